/**
 * `npm run bench:share`: one embedded folder shared by several processes (build first:
 * it runs `dist/phasectl.js`).
 * - latency of a `SELECT 1`, of `phasectl status`'s query (the demo data) and of a small
 *   write transaction, in process on the holder (the baseline) and through its socket;
 * - time from COMMIT in a socket client to the holder's `listen` callback;
 * - wall time of `phasectl status` processes: one alone, one with a holder running, and
 *   10 at once with and without a holder, beside the same 10 run one after another.
 * Not a test: it prints a table. Figures depend on the machine and its load.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/database';
import type { Database } from '../server/db/database';
import { readStatus } from '../server/db/status';

const RUNS = 300;
const cli = join(__dirname, '..', 'dist', 'phasectl.js');

function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
  return `${at(0.5).toFixed(2).padStart(8)} ${at(0.99).toFixed(2).padStart(8)}`;
}

async function timeRuns(work: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await work(i);
    times.push(performance.now() - start);
  }
  return times;
}

function phasectl(folder: string, ...args: string[]): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args, '--db', `embedded:${folder}`], { stdio: 'ignore', env: { ...process.env, DATABASE_URL: '' } });
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`phasectl ${args.join(' ')} exited ${code}`))));
  });
}

async function latencies(holder: Database, client: Database): Promise<string[]> {
  await holder.exec('CREATE TABLE IF NOT EXISTS bench_share (id int PRIMARY KEY, n int)');
  await holder.exec('INSERT INTO bench_share VALUES (1, 0) ON CONFLICT DO NOTHING');
  const write = (db: Database) => db.transaction(async (tx) => tx.query('UPDATE bench_share SET n = n + 1 WHERE id = 1'));
  const cases: [string, (db: Database) => Promise<unknown>][] = [
    ['SELECT 1', (db) => db.query('SELECT 1')],
    ["status's query (9 instances' phases and activities)", (db) => readStatus(db)],
    ['a write transaction (BEGIN, UPDATE, COMMIT)', write],
  ];
  const rows: string[] = [];
  for (const [name, work] of cases) {
    const local = await timeRuns(() => work(holder));
    const shared = await timeRuns(() => work(client));
    rows.push(`${name.padEnd(52)} ${summary(local)} ${summary(shared)}`);
  }
  let resolveSeen: () => void = () => undefined;
  const stop = await holder.listen('bench_share', () => resolveSeen());
  const notify = await timeRuns(async () => {
    const seen = new Promise<void>((resolve) => (resolveSeen = resolve));
    await client.transaction((tx) => tx.query("SELECT pg_notify('bench_share', 'x')"));
    await seen;
  });
  await stop();
  rows.push(`${'COMMIT in a client -> the holder\'s listen callback'.padEnd(52)} ${'-'.padStart(8)} ${'-'.padStart(8)} ${summary(notify)}`);
  return rows;
}

async function commands(folder: string): Promise<string[]> {
  const rows: string[] = [];
  const at = async (n: number) => Math.max(...(await Promise.all(Array.from({ length: n }, () => phasectl(folder, 'status')))));
  const oneAfterAnother = async (n: number) => {
    const start = performance.now();
    for (let i = 0; i < n; i++) await phasectl(folder, 'status');
    return performance.now() - start;
  };
  rows.push(`${'1 status, no holder (opens the folder)'.padEnd(52)} ${(await at(1)).toFixed(0).padStart(8)}`);
  rows.push(`${'10 status one after another, no holder'.padEnd(52)} ${(await oneAfterAnother(10)).toFixed(0).padStart(8)}`);
  rows.push(`${'10 status at once, no holder'.padEnd(52)} ${(await at(10)).toFixed(0).padStart(8)}`);
  const holder = await openDatabase({ kind: 'embedded', folder });
  try {
    rows.push(`${'1 status, a holder running (connects through it)'.padEnd(52)} ${(await at(1)).toFixed(0).padStart(8)}`);
    rows.push(`${'10 status at once, a holder running'.padEnd(52)} ${(await at(10)).toFixed(0).padStart(8)}`);
  } finally {
    await holder.close();
  }
  return rows;
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'wp-bench-share-'));
  const folder = join(scratch, 'db');
  try {
    console.log(`bench:share — load average at start: ${loadavg().map((l) => l.toFixed(2)).join(', ')} (the machine is shared: figures are indicative)\n`);
    await phasectl(folder, 'demo');
    const holder = await openDatabase({ kind: 'embedded', folder });
    const client = await openDatabase({ kind: 'embedded', folder });
    let rows: string[];
    try {
      rows = await latencies(holder, client);
    } finally {
      await client.close();
      await holder.close();
    }
    console.log(`Latency, ms over ${RUNS} runs: in process on the holder (the baseline) vs through its socket (another connection, here in the same process).`);
    console.log(`${'case'.padEnd(52)} ${'in p50'.padStart(8)} ${'in p99'.padStart(8)} ${'sock p50'.padStart(8)} ${'sock p99'.padStart(8)}`);
    for (const row of rows) console.log(row);
    console.log('\n`phasectl status` processes on one folder: wall time, ms (for several at once: until the last one ends).');
    for (const row of await commands(folder)) console.log(row);
    console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
