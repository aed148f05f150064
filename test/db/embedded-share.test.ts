/**
 * One embedded folder, several real processes: a holder process (as the language server
 * would be) holds and shares the folder while the built `dist/phasectl.js` runs against
 * it: transitions and status succeed through the holder and its change feed sees them,
 * `watch` works through it, a sync killed mid-way writes nothing, and 20 commands at once
 * all succeed, with and without a holder to begin with.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generateDefinition } from '../../bench/generate';
import { inspectFolderLock } from '../../server/db/backends/folder-lock';
import { openChangeFeed } from '../../server/db/change-feed';
import type { ChangeFeedEvent } from '../../server/db/change-feed';
import { DatabaseError, openDatabase } from '../../server/db/database';
import { rowVersions } from './helpers/db-tools';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'phasectl.js');
const scratch = mkdtempSync(join(tmpdir(), 'wp-share-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const folder = join(scratch, 'db');
const db = `embedded:${folder}`;
const ANA = 'ana.tester@example.com';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function start(args: string[]): { child: ChildProcessWithoutNullStreams; done: Promise<Run> } {
  const began = Date.now();
  const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, DATABASE_URL: '', PHASECTL_USER: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - began })));
  return { child, done };
}

function phasectl(...args: string[]): Promise<Run> {
  return start(args).done;
}

/** The holder process and the JSON lines it prints. */
interface Holder {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: Record<string, unknown>[];
  waitFor(what: string, accept: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function startHolder(on = folder): Holder {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'helpers', 'share-holder.ts'), on], { cwd: root });
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
    for (const w of waiters.splice(0)) w();
  });
  return {
    child,
    lines,
    waitFor(what, accept, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the holder printed no ${what} within ${timeoutMs} ms; it printed:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`)), timeoutMs);
        const look = () => {
          const found = lines.find(accept);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(look);
        };
        look();
      });
    },
  };
}

interface StatusJson {
  instances: { cycle: string; report: string; phases: { name: string; status: string; started_at: string | null }[] }[];
}

void describe('one embedded folder, several processes', () => {
  let holder: Holder;

  before(async () => {
    const demo = await phasectl('demo', '--db', db);
    assert.equal(demo.code, 0, demo.stderr);
    holder = startHolder();
    const ready = await holder.waitFor('ready line', (l) => l.ready === true || 'error' in l);
    assert.equal(ready.role, 'holder', JSON.stringify(ready));
  });

  after(() => {
    if (holder.child.exitCode === null) holder.child.kill('SIGKILL');
  });

  void test('phase start and status run through the holder, and its change feed sees the change', async () => {
    const started = await phasectl('phase', 'start', 'planning', '--cycle', '2027-Q1', '--report', 'CCAR', '--as', ANA, '--db', db);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /^allowed: start phase `planning`/);
    assert.doesNotMatch(started.stderr, /waiting/);
    const change = await holder.waitFor('change event', (l) => {
      const feed = l.feed as { type?: string; change?: { table: string; status: string } } | undefined;
      return feed?.type === 'change' && feed.change?.table === 'workflow_phases' && feed.change.status === 'IN_PROGRESS';
    });
    assert.ok(change);
    assert.ok(holder.lines.some((l) => (l.event as { type?: string; client?: string } | undefined)?.type === 'connected' && /^workflow-phases \(pid \d+\)$/.test((l.event as { client: string }).client)));

    const status = await phasectl('status', '--cycle', '2027-Q1', '--report', 'CCAR', '--format', 'json', '--db', db);
    assert.equal(status.code, 0, status.stderr);
    const planning = (JSON.parse(status.stdout) as StatusJson).instances[0]?.phases.find((p) => p.name === 'planning');
    assert.equal(planning?.status, 'IN_PROGRESS');
    const at = Date.parse(planning?.started_at ?? '');
    assert.ok(Math.abs(Date.now() - at) < 10 * 60_000, `started_at ${planning?.started_at} is the time it started`);
  });

  void test('phasectl watch runs through the holder and prints a change another phasectl makes', async () => {
    const watch = start(['watch', '--count', '1', '--format', 'json', '--db', db]);
    await new Promise<void>((resolve) => watch.child.stderr.on('data', (d: Buffer) => d.toString().includes('watching') && resolve()));
    const moved = await phasectl('activity', 'complete', 'scoping', 'assess_risk', '--cycle', '2026-Q4', '--report', 'FR-Y-14Q', '--as', ANA, '--db', db);
    assert.equal(moved.code, 0, moved.stderr);
    const watched = await watch.done;
    assert.equal(watched.code, 0, watched.stderr);
    assert.match(watched.stderr, new RegExp(`watching embedded ${folder} \\(shared by process ${holder.child.pid}\\)`));
    const line = JSON.parse(watched.stdout) as { type: string; phase: string; activity: string; status: string };
    assert.deepEqual([line.type, line.phase, line.activity, line.status], ['change', 'scoping', 'assess_risk', 'COMPLETED']);
  });

  void test('a sync through the holder is one transaction: killed in the middle, it writes nothing', async () => {
    const defs = join(scratch, 'big');
    mkdirSync(defs, { recursive: true });
    writeFileSync(join(defs, 'big.phases.yaml'), `${generateDefinition(9_000, 'big', false)}applies_to:\n  - cycle: 2027-Q1\n    reports: [FR-Y-14Q, FR-2052a]\n`);
    const reader = await openDatabase({ kind: 'embedded', folder });
    try {
      assert.equal(reader.sharing?.role, 'client');
      const before = await rowVersions(reader);
      const sync = start(['sync', defs, '--db', db]);
      const client = `workflow-phases (pid ${sync.child.pid})`;
      const isOurs = (l: Record<string, unknown>, type: string) => (l.event as { type?: string; client?: string } | undefined)?.type === type && (l.event as { client: string }).client === client;
      await holder.waitFor('INSERT inside the sync\'s transaction', (l) => isOurs(l, 'statement') && /^INSERT/.test((l.event as { tag: string }).tag) && (l.event as { inTransaction: boolean }).inTransaction);
      sync.child.kill('SIGKILL');
      const gone = await holder.waitFor('disconnect of the sync', (l) => isOurs(l, 'disconnected'));
      assert.equal((gone.event as { rolledBack: boolean }).rolledBack, true);
      assert.equal((await sync.done).code, null);
      assert.deepEqual(await rowVersions(reader), before);
    } finally {
      await reader.close();
    }
  });

  void test('20 commands at once through the holder all succeed', async (t) => {
    const runs = await Promise.all(Array.from({ length: 20 }, () => phasectl('status', '--format', 'json', '--db', db)));
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.ok((JSON.parse(run.stdout) as StatusJson).instances.length >= 3);
    }
    t.diagnostic(`slowest of 20 through the holder: ${Math.max(...runs.map((r) => r.ms))} ms`);
  });

  void test('20 commands at once with no holder to begin with all succeed', async (t) => {
    holder.child.stdin.end();
    await holder.waitFor('closed line', (l) => l.closed === true);
    assert.deepEqual(inspectFolderLock(folder), { state: 'free' });
    const runs = await Promise.all(Array.from({ length: 20 }, () => phasectl('status', '--format', 'json', '--db', db)));
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /in use/);
      assert.ok((JSON.parse(run.stdout) as StatusJson).instances.length >= 3);
    }
    t.diagnostic(`slowest of 20 with no holder to begin with: ${Math.max(...runs.map((r) => r.ms))} ms`);
    assert.deepEqual(inspectFolderLock(folder), { state: 'free' });
  });
});

void describe('when the holder crashes', () => {
  void test('its clients get a clear error, opening again takes the folder, and a client\'s feed reconnects to the next holder', async () => {
    const crashed = join(scratch, 'crashed');
    const first = startHolder(crashed);
    assert.equal((await first.waitFor('ready line', (l) => l.ready === true || 'error' in l)).role, 'holder');
    const client = await openDatabase({ kind: 'embedded', folder: crashed });
    const events: ChangeFeedEvent[] = [];
    const feed = await openChangeFeed({ kind: 'embedded', database: client }, (e) => events.push(e), { backoff: { initialMs: 50, maxMs: 200 } });
    const until = async (what: string, accept: (e: ChangeFeedEvent) => boolean) => {
      for (let i = 0; i < 600 && !events.some(accept); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(events.some(accept), `the feed reported ${what}: ${JSON.stringify(events)}`);
    };
    try {
      first.child.kill('SIGKILL');
      await until('the lost connection', (e) => e.type === 'disconnected');
      await assert.rejects(client.query('SELECT 1'), (error: unknown) => error instanceof DatabaseError && new RegExp(`^process ${first.child.pid}, which held the embedded database in ${crashed}, has closed it or exited`).test(error.message));

      const mine = await openDatabase({ kind: 'embedded', folder: crashed });
      assert.equal(mine.sharing?.role, 'holder', 'the stale lock of the killed holder is taken over');
      await mine.close();

      const next = startHolder(crashed);
      assert.equal((await next.waitFor('ready line', (l) => l.ready === true || 'error' in l)).role, 'holder');
      await until('reconnecting', (e) => e.type === 'reconnected');
      const writer = await openDatabase({ kind: 'embedded', folder: crashed });
      const payload = { table: 'workflow_phases', op: 'UPDATE', cycle_id: 7, report_id: 8, phase_id: 9, activity_id: null, status: 'IN_PROGRESS', rows: 1 };
      await writer.query("SELECT pg_notify('workflow_phases_changes', $1)", [JSON.stringify(payload)]);
      await until('the change made through the next holder', (e) => e.type === 'change' && e.change.phase_id === 9);
      await writer.close();
      next.child.stdin.end();
      await next.waitFor('closed line', (l) => l.closed === true);
    } finally {
      await feed.close();
      await client.close();
    }
  });
});
