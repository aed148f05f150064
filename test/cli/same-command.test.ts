/**
 * The built `dist/phasectl.js` on PostgreSQL, as a team uses it: twenty people start the
 * same activity at once and get one answer for one situation (one `allowed`, nineteen
 * `unchanged`, all exit 0); and every time it prints is ISO 8601 with microseconds and zone.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../helpers/postgres';
import type { TestDatabase } from '../helpers/postgres';
import { phasectl, phasectlAsync } from './helpers/phasectl';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const PROCESSES = 20;

void describe('the same command from many processes, and times [postgres]', () => {
  let testDb: TestDatabase | null = null;
  const cwd = mkdtempSync(join(tmpdir(), 'wp-same-command-'));
  let on: string[] = [];
  let instance: string[] = [];
  before(async () => {
    testDb = await createTestDatabase('same_command');
    if (!testDb) return;
    mkdirSync(join(cwd, 'defs'));
    copyFileSync(join(__dirname, '..', 'db', 'cli-fixtures', 'two-reports.phases.yaml'), join(cwd, 'defs', 'two-reports.phases.yaml'));
    const db = ['--db', testDb.url];
    instance = ['--cycle', '2026-Q4', '--report', 'CCAR', ...db];
    on = [...instance, '--as', 'tess@example.com'];
    for (const args of [['sync', 'defs', '--create-missing', ...db], ['user', 'add', 'tess@example.com', '--role', 'tester', ...db], ['phase', 'start', 'planning', ...on]]) {
      const run = phasectl(cwd, args);
      assert.equal(run.code, 0, run.stderr);
    }
  });
  after(async () => {
    rmSync(cwd, { recursive: true, force: true });
    await testDb?.drop();
  });

  void test(`${PROCESSES} processes start the same activity: one allowed, the others unchanged, every one exit 0`, { timeout: 300_000 }, async (t) => {
    if (!testDb) return t.skip('no PostgreSQL (set DATABASE_URL)');
    const runs = await Promise.all(Array.from({ length: PROCESSES }, () => phasectlAsync(cwd, ['activity', 'start', 'planning', 'load_attributes', ...on])));
    for (const r of runs) assert.equal(r.code, 0, r.stdout + r.stderr);
    const allowed = runs.filter((r) => r.stdout.startsWith('allowed: '));
    const unchanged = runs.filter((r) => r.stdout.startsWith('unchanged: '));
    assert.equal(allowed.length, 1);
    assert.equal(unchanged.length, PROCESSES - 1);
    for (const r of unchanged) {
      assert.match(r.stdout, /^unchanged: start activity `load_attributes` of phase `planning` \(already IN_PROGRESS\)\n  planning: activity `load_attributes` is already IN_PROGRESS \(started by tess@example.com at \d{4}-\d\d-\d\dT[\d:.]{15}Z\): nothing to do\n$/);
    }
    const history = JSON.parse(phasectl(cwd, ['history', '--format', 'json', ...instance]).stdout) as { history: { activity: string | null; to: string }[] };
    assert.equal(history.history.filter((h) => h.activity === 'load_attributes').length, 1, 'one history row');
  });

  void test('every time printed is ISO 8601 with microseconds and the zone: history, transitions, status', { timeout: 120_000 }, (t) => {
    if (!testDb) return t.skip('no PostgreSQL (set DATABASE_URL)');
    const done = phasectl(cwd, ['activity', 'complete', 'planning', 'load_attributes', '--format', 'json', ...on]);
    assert.equal(done.code, 0, done.stderr);
    assert.match((JSON.parse(done.stdout) as { at: string }).at, ISO);
    const history = phasectl(cwd, ['history', ...instance]);
    const first = history.stdout.split('\n').filter(Boolean).map((l) => l.split(/ {2,}/)[0]!);
    assert.ok(first.length >= 3);
    for (const at of first) assert.match(at, ISO);
    const json = JSON.parse(phasectl(cwd, ['history', '--format', 'json', ...instance]).stdout) as { history: { at: string }[] };
    for (const h of json.history) assert.match(h.at, ISO);
    const status = JSON.parse(phasectl(cwd, ['status', '--report', 'CCAR', '--format', 'json', '--db', testDb.url]).stdout) as { instances: { phases: { name: string; started_at: string | null }[] }[] };
    assert.match(status.instances[0]!.phases.find((p) => p.name === 'planning')!.started_at!, ISO);
    // The same moment, in the same format, wherever it is shown.
    const started = json.history.find((h) => (h as { entity?: string }).entity === 'phase')!.at;
    assert.equal(status.instances[0]!.phases.find((p) => p.name === 'planning')!.started_at, started);
  });
});
