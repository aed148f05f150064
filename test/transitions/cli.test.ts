/**
 * The transition commands, run in-process (test/helpers/run-cli.ts), on a demo embedded
 * database (users, cycles, reports, some progress): exit codes, what is printed, and that
 * refusals write nothing. `watch` runs as the built `dist/phasectl.js` process against a
 * real PostgreSQL, with the change made by another process.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../helpers/postgres';
import { runPhasectl } from '../helpers/run-cli';
import type { TestDatabase } from '../helpers/postgres';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'phasectl.js');
const scratch = mkdtempSync(join(tmpdir(), 'phasectl-transitions-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The built CLI as a process: `watch` must see changes made by another process. */
function phasectlProcess(...args: string[]) {
  const run = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', PHASECTL_USER: '' } });
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace on stderr');
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** phasectl in-process. */
function phasectl(...args: string[]) {
  return runPhasectl(root, args);
}

void describe('phasectl phase / activity / explain / history (embedded)', () => {
  const db = `embedded:${join(scratch, 'db')}`;
  const on = ['--cycle', '2026-Q4', '--report', 'FR-Y-14Q', '--db', db];
  const historyLength = async () => (JSON.parse((await phasectl('history', ...on, '--format', 'json')).stdout) as { history: unknown[] }).history.length;

  before(async () => {
    const demo = await phasectl('demo', '--db', db);
    assert.equal(demo.code, 0, demo.stderr);
  });

  void test('an allowed activity transition: exit 0, what changed, one history row', async () => {
    const before = await historyLength();
    const run = await phasectl('activity', 'complete', 'scoping', 'assess_risk', ...on, '--as', 'ana.tester@example.com');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^allowed: complete activity `assess_risk` of phase `scoping` \(IN_PROGRESS -> COMPLETED\) by ana.tester@example.com at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\n  scoping\/assess_risk: IN_PROGRESS -> COMPLETED\n$/);
    assert.equal(await historyLength(), before + 1);
  });

  void test('the same request again: exit 0, already so, nothing written', async () => {
    const before = await historyLength();
    const run = await phasectl('activity', 'complete', 'scoping', 'assess_risk', ...on, '--as', 'ana.tester@example.com');
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^unchanged: complete activity `assess_risk` of phase `scoping` \(already COMPLETED\)\n  scoping: activity `assess_risk` is already COMPLETED \(completed by ana.tester@example.com at .+\): nothing to do\n$/);
    assert.equal(await historyLength(), before);
  });

  void test('a refused phase completion: exit 4, every unmet condition on stderr, nothing written', async () => {
    const before = await historyLength();
    const run = await phasectl('phase', 'complete', 'scoping', ...on, '--as', 'ana.tester@example.com');
    assert.equal(run.code, 4);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, [
      'refused: complete phase `scoping` (IN_PROGRESS -> COMPLETED): 2 unmet conditions',
      '  ✘ scoping: required activity `review_scope` is NOT_STARTED (it must be COMPLETED)',
      '  ✘ scoping: required activity `owner_approval` is NOT_STARTED (it must be COMPLETED)',
      '  (phasectl explain shows every condition)',
      '',
    ].join('\n'));
    assert.equal(await historyLength(), before);
  });

  void test('a role refusal and a missing reason, in JSON', async () => {
    const run = await phasectl('activity', 'start', 'scoping', 'review_scope', ...on, '--as', 'rita.owner@example.com', '--format', 'json');
    assert.equal(run.code, 4);
    const out = JSON.parse(run.stdout) as { verdict: string; guards: { id: string; result: string; message: string }[]; historyIds: number[] };
    assert.equal(out.verdict, 'refused');
    assert.deepEqual(out.guards.filter((g) => g.result === 'fail').map((g) => g.message), ['`review_scope` is for `test_executive`; rita.owner@example.com is `report_owner`']);
    assert.deepEqual(out.historyIds, []);
    const block = await phasectl('activity', 'block', 'scoping', 'select_attributes', ...on, '--as', 'ana.tester@example.com');
    assert.equal(block.code, 4);
    assert.match(block.stderr, /✘ scoping: activity `select_attributes` is COMPLETED; only IN_PROGRESS can be blocked/);
    const skip = await phasectl('phase', 'skip', 'observation_mgmt', ...on, '--as', 'ana.tester@example.com');
    assert.equal(skip.code, 4);
    assert.match(skip.stderr, /✘ skipping observation_mgmt needs a reason \(--reason\)/);
  });

  void test('explain: every condition, nothing written; --action sets the exit code', async () => {
    const before = await historyLength();
    const run = await phasectl('explain', 'scoping', 'review_scope', ...on, '--as', 'ted.exec@example.com', '--action', 'start');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, [
      'as ted.exec@example.com (test_executive)',
      '',
      'allowed: start activity `review_scope` of phase `scoping` (NOT_STARTED -> IN_PROGRESS)',
      '  ✔ scoping: activity `review_scope` exists',
      '  ✔ scoping: activity `review_scope` is NOT_STARTED',
      '  ✔ phase scoping is IN_PROGRESS',
      '  ✔ ted.exec@example.com is `test_executive`, as `review_scope` requires',
      '  ✔ scoping: the 3 required activities before `review_scope` are COMPLETED',
      '  -> scoping/review_scope: NOT_STARTED -> IN_PROGRESS',
      '',
    ].join('\n'));
    const refused = await phasectl('explain', 'data_request', ...on, '--action', 'start');
    assert.equal(refused.code, 4);
    assert.match(refused.stdout, /✘ data_request: depends on `scoping`, which is IN_PROGRESS/);
    const all = await phasectl('explain', 'scoping', ...on);
    assert.equal(all.code, 0);
    assert.equal(all.stdout.match(/^(allowed|refused|unchanged): /gm)?.length, 4, 'one explanation per phase action');
    assert.equal(await historyLength(), before);
  });

  void test('history: text lines, oldest first, with who, source and reason', async () => {
    const run = await phasectl('history', ...on, '--limit', '2');
    assert.equal(run.code, 0);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z +ana.tester@example.com +scoping\/assess_risk +IN_PROGRESS -> COMPLETED +cli$/);
  });

  void test('usage and lookup errors exit 2 with a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['phase', 'start', 'scoping', '--report', 'FR-Y-14Q', '--db', db], /--cycle is required/],
      [['phase', 'begin', 'scoping', ...on], /unknown action 'begin' \(use start, complete, reopen, skip\)/],
      [['activity', 'start', 'scoping', ...on], /missing activity name/],
      [['phase', 'start', 'scoping', '--cycle', '2031-Q1', '--report', 'FR-Y-14Q', '--db', db], /no test cycle '2031-Q1' in test_cycles/],
      [['phase', 'start', 'scoping', ...on, '--as', 'ghost@example.com'], /no user 'ghost@example.com' in users/],
      [['history', ...on, '--limit', 'x'], /--limit must be a positive whole number/],
      [['watch', '--cycle', '2031-Q1', '--db', db], /no test cycle '2031-Q1' in test_cycles/],
    ];
    for (const [args, message] of cases) {
      const run = await phasectl(...args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });
});

void describe('phasectl watch [postgres]', () => {
  void test('prints changes made by another process as JSON lines, then stops after --count', { timeout: 180_000 }, async (t) => {
    // Created here, not while the suites are declared: the spawnSync calls above block the event loop.
    const testDb = await createTestDatabase('transitions_watch');
    if (testDb === null) return t.skip('no PostgreSQL (set DATABASE_URL)');
    try {
      await watchOnce(testDb);
    } finally {
      await testDb.drop();
    }
  });
});

async function watchOnce(testDb: TestDatabase): Promise<void> {
  assert.equal(phasectlProcess('demo', '--db', testDb.url).code, 0);
  const watcher = spawn(process.execPath, [cli, 'watch', '--db', testDb.url, '--cycle', '2026-Q4', '--format', 'json', '--count', '2'], { cwd: root });
  let stdout = '';
  let stderr = '';
  watcher.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => watcher.on('exit', resolve));
  await new Promise<void>((resolve) => watcher.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    if (stderr.includes('Ctrl-C to stop')) resolve();
  }));
  const run = phasectlProcess('activity', 'complete', 'scoping', 'assess_risk', '--cycle', '2026-Q4', '--report', 'FR-Y-14Q', '--as', 'ana.tester@example.com', '--db', testDb.url);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(await exited, 0, stderr);
  const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  // The one time format of every output: ISO 8601 with microseconds and the zone.
  for (const l of lines) assert.match(String(l.received_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  // Both rows change in one statement: the two events may come in either order.
  assert.deepEqual(lines.map((l) => [l.type, l.table, l.cycle, l.report, l.phase, l.activity, l.status]).sort(), [
    ['change', 'workflow_activities', '2026-Q4', 'FR-Y-14Q', 'scoping', 'assess_risk', 'COMPLETED'],
    ['change', 'workflow_phases', '2026-Q4', 'FR-Y-14Q', 'scoping', null, 'IN_PROGRESS'],
  ]);
}
