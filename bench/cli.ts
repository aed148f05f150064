/**
 * `npm run bench:cli`: how long the built `phasectl` takes to start, beside a bare
 * `node -e 0` measured in the same run. Like hyperfine: warm-up runs, then many runs of
 * each command interleaved (so load from other processes hits all of them alike), and
 * the median. Targets: `--version` and `validate` of one file (clean, or with a mistake to
 * word) within 1.5× of the baseline.
 * Not a test: it prints a table. Figures depend on the machine and its load.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'phasectl.js');
const example = join(root, 'examples', 'regulatory-testing.phases.yaml');
const broken = join(root, 'examples', 'broken', 'activity-type-typo.phases.yaml');
const RUNS = 40;
const WARM_UP = 3;

interface Case {
  readonly label: string;
  readonly args: readonly string[];
  readonly target: string;
  /** The exit code a run must end with, or the figure is wrong. */
  readonly exit: number;
}

/** A bundle of zod alone, built as the CLI bundles it: what loading zod would cost at start-up (the core reads a generated table instead). */
function zodAlone(dir: string): string {
  const entry = join(dir, 'zod-alone.ts');
  writeFileSync(entry, "import { z } from 'zod';\nif (typeof z.object !== 'function') process.exit(1);\n");
  const out = join(dir, 'zod-alone.js');
  buildSync({ entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20', nodePaths: [join(root, 'node_modules')], logLevel: 'silent' });
  return out;
}

function cases(dir: string): Case[] {
  return [
    { label: 'baseline: node -e 0', args: ['-e', '0'], target: '', exit: 0 },
    { label: 'phasectl --version', args: [cli, '--version'], target: '<= 1.5x', exit: 0 },
    { label: 'phasectl validate one.phases.yaml', args: [cli, 'validate', example], target: '<= 1.5x', exit: 0 },
    { label: 'phasectl validate, a file with a mistake', args: [cli, 'validate', broken], target: '<= 1.5x', exit: 1 },
    { label: 'phasectl --help (loads every command)', args: [cli, '--help'], target: '', exit: 0 },
    { label: 'reference: node + bundled zod (validate loads none)', args: [zodAlone(dir)], target: '', exit: 0 },
  ];
}

function once(c: Case): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, c.args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (run.status !== c.exit) throw new Error(`${c.label}: exit ${run.status}: ${run.stderr.toString()}`);
  return ms;
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * q))]!;

function main(): void {
  if (!existsSync(cli)) throw new Error('dist/phasectl.js is missing: run `npm run build`');
  const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
  try {
    measure(cases(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measure(CASES: readonly Case[]): void {
  const before = loadavg();
  for (let i = 0; i < WARM_UP; i++) for (const c of CASES) once(c);
  const times = CASES.map(() => [] as number[]);
  for (let r = 0; r < RUNS; r++) CASES.forEach((c, i) => times[i]!.push(once(c)));
  const after = loadavg();
  const sorted = times.map((t) => [...t].sort((a, b) => a - b));
  const baseline = quantile(sorted[0]!, 0.5);
  const kib = (file: string) => `${(statSync(join(root, 'dist', file)).size / 1024).toFixed(0)} KiB`;
  console.log(`bench:cli — start-up of the built CLI, ${RUNS} interleaved runs each after ${WARM_UP} warm-ups (median, p25–p75).`);
  console.log(`Load average (1 min) ${before[0]!.toFixed(2)} before, ${after[0]!.toFixed(2)} after; node ${process.version}.`);
  console.log(`Bundles: phasectl.js ${kib('phasectl.js')}, phasectl-validate.js ${kib('phasectl-validate.js')}, phasectl-db.js ${kib('phasectl-db.js')}.\n`);
  const rows = [
    ['command', 'median ms', 'p25–p75 ms', 'x baseline', 'target'],
    ...CASES.map((c, i) => {
      const s = sorted[i]!;
      const median = quantile(s, 0.5);
      return [c.label, median.toFixed(1), `${quantile(s, 0.25).toFixed(1)}–${quantile(s, 0.75).toFixed(1)}`, `${(median / baseline).toFixed(2)}x`, c.target];
    }),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
}

main();
