/**
 * `npm run bench:lsp`: our language server against yaml-language-server (configured with
 * schemas/phases.schema.json), both over stdio as separate processes, on generated files
 * of 90 to 90,000 activities with one invalid activity type near the end. Measures
 * didOpen -> diagnostics with that error, a one-character didChange -> the next
 * diagnostics (5 repetitions), and each server's peak RSS. Prints one table.
 * `BENCH_SIZES=90,900` limits the sizes, `BENCH_SERVERS=ours` the servers (for profiling only).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/lsp/client';
import { generateDefinition, INVALID_TYPE } from './generate';

const root = join(__dirname, '..');
const schemaUri = pathToFileURL(join(root, 'schemas', 'phases.schema.json')).href;
const yamlSettings = {
  validate: true,
  hover: true,
  completion: true,
  format: { enable: false },
  schemaStore: { enable: false },
  schemas: { [schemaUri]: ['*.phases.yaml'] },
};

interface Result {
  readonly openMs: number;
  readonly editMs: number[];
  readonly peakRssMb: number;
}

const SERVERS = {
  ours: { label: 'workflow-phases', command: [join(root, 'dist', 'server.js'), '--stdio'] },
  yamlls: { label: 'yaml-language-server', command: [join(root, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'] },
} as const;

/** The peak resident set size of a process, from /proc (Linux). */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+)/.exec(status);
  return kb ? Number(kb[1]) / 1024 : NaN;
}

async function measure(server: keyof typeof SERVERS, activities: number): Promise<Result> {
  const text = generateDefinition(activities);
  const errorLine = text.slice(0, text.indexOf(INVALID_TYPE)).split('\n').length - 1;
  const uri = `file:///bench/bench-${activities}.phases.yaml`;
  const client = await LspClient.start({
    command: SERVERS[server].command,
    configuration: { yaml: yamlSettings, '[yaml]': {}, http: {}, editor: {}, files: {} },
    capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } }, textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  try {
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: yamlSettings } });
    const hasError = (d: { range: { start: { line: number } } }[]) => d.some((x) => x.range.start.line === errorLine);
    let started = performance.now();
    const opened = client.nextDiagnostics(uri, hasError);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    await opened;
    const openMs = performance.now() - started;
    // One character typed into (then deleted from) an activity name in the middle of the file.
    const lines = text.split('\n');
    const editLine = lines.findIndex((l, i) => i > lines.length / 2 && l.includes('- name: '));
    const character = lines[editLine]!.indexOf('name: ') + 6;
    const editMs: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      const insert = rep % 2 === 0;
      const range = { start: { line: editLine, character }, end: { line: editLine, character: insert ? character : character + 1 } };
      started = performance.now();
      const next = client.nextDiagnostics(uri, hasError);
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: rep + 2 }, contentChanges: [{ range, text: insert ? 'x' : '' }] });
      await next;
      editMs.push(performance.now() - started);
    }
    return { openMs, editMs, peakRssMb: peakRssMb(client.process.pid!) };
  } finally {
    await client.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? '90,900,9000,90000').split(',').map(Number);
  const rows: string[][] = [['activities', 'file KB', 'server', 'open->diag ms', 'edit min ms', 'edit median ms', 'peak RSS MB']];
  const ratios: string[][] = [['activities', 'open (yaml-ls / ours)', 'edit median (yaml-ls / ours)', 'peak RSS (yaml-ls / ours)']];
  const targets: string[] = [];
  for (const n of sizes) {
    const kb = (generateDefinition(n).length / 1024).toFixed(0);
    const results: Partial<Record<keyof typeof SERVERS, Result>> = {};
    const servers = (process.env.BENCH_SERVERS ?? 'ours,yamlls').split(',') as (keyof typeof SERVERS)[];
    for (const server of servers) {
      const r = await measure(server, n);
      results[server] = r;
      rows.push([String(n), kb, SERVERS[server].label, fmt(r.openMs), fmt(Math.min(...r.editMs)), fmt(median(r.editMs)), fmt(r.peakRssMb)]);
      console.error(`  measured ${SERVERS[server].label} at ${n} activities`);
    }
    const ours = results.ours;
    const theirs = results.yamlls;
    if (ours && theirs && (n === 900 || n === 9000)) {
      const ratio = median(theirs.editMs) / median(ours.editMs);
      targets.push(`edit -> diagnostics at ${n}: ${ratio.toFixed(1)}x faster than yaml-language-server (target 5x): ${ratio >= 5 ? 'met' : 'MISSED'}`);
    }
    if (ours && n === 90000) {
      targets.push(`cold open at 90,000: ${fmt(ours.openMs)} ms (target < 2000 ms): ${ours.openMs < 2000 ? 'met' : 'MISSED'}`);
      targets.push(`peak RSS at 90,000: ${fmt(ours.peakRssMb)} MB (target < 500 MB): ${ours.peakRssMb < 500 ? 'met' : 'MISSED'}`);
    }
    if (ours && theirs) ratios.push([String(n), `${(theirs.openMs / ours.openMs).toFixed(1)}x`, `${(median(theirs.editMs) / median(ours.editMs)).toFixed(1)}x`, `${(theirs.peakRssMb / ours.peakRssMb).toFixed(1)}x`]);
  }
  const print = (table: string[][]) => {
    const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
    for (const row of table) console.log(`| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`);
  };
  console.log(`\nLanguage server benchmark (Node ${process.version}, ${new Date().toISOString()}; shared machine, numbers are noisy)\n`);
  print(rows);
  console.log('');
  print(ratios);
  if (targets.length > 0) console.log(`\n${targets.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
