/**
 * `npm run bench:validate`: the whole core validation against the `yaml` package's
 * parseDocument alone, on generated definitions of 90 to 90,000 activities.
 * Not a test: it prints a table. Figures depend on the machine and its load.
 */
import { parseDocument } from 'yaml';
import { validateTexts } from '../server/core/index';
import { generateDefinition } from './generate';

const SIZES: [activities: number, runs: number][] = [[90, 40], [900, 20], [9_000, 10], [90_000, 5]];

function measure(runs: number, work: () => void): { min: number; median: number } {
  work(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { min: times[0]!, median: times[Math.floor(times.length / 2)]! };
}

const rows: string[][] = [['activities', 'size', 'parseDocument min', 'median', 'validation min', 'median', 'ratio (median)']];
for (const [activities, runs] of SIZES) {
  const text = generateDefinition(activities, 'bench', false);
  const problems = validateTexts([{ file: 'bench', text }])[0]!.problems;
  if (problems.length > 0) throw new Error(`generated file is not valid: ${problems[0]!.message}`);
  const yaml = measure(runs, () => void parseDocument(text));
  const ours = measure(runs, () => void validateTexts([{ file: 'bench', text }]));
  rows.push([
    activities.toLocaleString('en-US'),
    `${(text.length / 1e6).toFixed(2)} MB`,
    yaml.min.toFixed(1), yaml.median.toFixed(1),
    ours.min.toFixed(1), ours.median.toFixed(1),
    `${(ours.median / yaml.median).toFixed(3)}x`,
  ]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
console.log('bench:validate — ms, whole core validation vs yaml.parseDocument alone (target: ratio <= 1.15 at 9,000 and 90,000)');
for (const row of rows) console.log(row.map((cell, c) => cell.padStart(widths[c]!)).join('  '));
