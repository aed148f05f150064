/**
 * Times are right on a PostgreSQL whose time zone is not UTC: the `timestamp` columns are
 * written and read as UTC whatever `ALTER DATABASE … SET timezone` says. Runs the built
 * `dist/phasectl.js` (transitions and sync through `demo`, then `migrate-legacy`) on a
 * database set to America/New_York, and checks what `status` and `history` print against
 * the wall clock, and what is stored as seen from a session left in New York time.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { openDatabase } from '../../server/db/database';
import { migrate } from '../../server/db/migrations/migrate';
import { createTestDatabase } from '../helpers/postgres';
import type { TestDatabase } from '../helpers/postgres';
import { buildLegacyFixture } from '../legacy/fixture';
import { phasectl } from '../legacy/helpers';

const SANE_MS = 10 * 60_000;
const created: TestDatabase[] = [];
after(async () => {
  for (const d of created) await d.drop();
});

/** A fresh database whose sessions default to New York time; null (skip) without PostgreSQL. */
async function newYorkDatabase(label: string): Promise<TestDatabase | null> {
  const db = await createTestDatabase(label);
  if (db === null) return null;
  created.push(db);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE "${db.name}" SET timezone = 'America/New_York'`);
  } finally {
    await admin.end();
  }
  return db;
}

/** Runs `sql` in a plain session, which keeps the database's New York time zone. */
async function inNewYork<R>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    assert.deepEqual((await client.query('SHOW timezone')).rows, [{ TimeZone: 'America/New_York' }]);
    return (await client.query(sql)).rows as R[];
  } finally {
    await client.end();
  }
}

/** Seconds between a stored `timestamp` column, read as UTC, and the UTC wall clock. */
const OFF_BY = (column: string) => `abs(extract(epoch FROM (${column} - (now() AT TIME ZONE 'UTC'))))`;

function nearNow(iso: string | null | undefined, what: string): void {
  assert.ok(iso, `${what} is set`);
  assert.ok(Math.abs(Date.now() - Date.parse(iso)) < SANE_MS, `${what} ${iso} is the wall clock's time (now ${new Date().toISOString()})`);
}

void describe('times on a PostgreSQL in America/New_York', () => {
  void test('transitions and sync: status and history print the wall clock, and agree; the columns hold UTC', async (t) => {
    const db = await newYorkDatabase('tz_transitions');
    if (db === null) return t.skip('no PostgreSQL');
    const demo = phasectl(['demo', '--db', db.url]);
    assert.equal(demo.code, 0, demo.stderr);

    const on = ['--cycle', '2026-Q4', '--report', 'FR-Y-14Q', '--db', db.url];
    const status = phasectl(['status', ...on, '--format', 'json']);
    assert.equal(status.code, 0, status.stderr);
    const phases = (JSON.parse(status.stdout) as { instances: { phases: { name: string; started_at: string | null }[] }[] }).instances[0]?.phases ?? [];
    const started = phases.filter((p) => p.started_at !== null);
    assert.ok(started.length >= 2, 'the demo started phases');
    const history = phasectl(['history', ...on, '--format', 'json']);
    assert.equal(history.code, 0, history.stderr);
    const times = (JSON.parse(history.stdout) as { history: { at: string }[] }).history.map((h) => Date.parse(h.at));
    for (const p of started) {
      nearNow(p.started_at, `status: ${p.name} started_at`);
      assert.ok(times.includes(Date.parse(p.started_at ?? '')), `history has the transition that started ${p.name} at ${p.started_at}`);
    }

    const stored = await inNewYork<{ ok: boolean }>(
      db.url,
      `SELECT bool_and(${OFF_BY('started_at')} < 600) AS ok FROM workflow_phases WHERE started_at IS NOT NULL
       UNION ALL SELECT bool_and(${OFF_BY('updated_at')} < 600) FROM workflow_activities
       UNION ALL SELECT bool_and(${OFF_BY('synced_at')} < 600) FROM workflow_definitions
       UNION ALL SELECT bool_and(${OFF_BY('at')} < 600) FROM workflow_transition_history`,
    );
    assert.deepEqual(stored, [{ ok: true }, { ok: true }, { ok: true }, { ok: true }]);
  });

  void test('legacy migration: rows it creates are stamped in UTC, copied times are unchanged', async (t) => {
    const db = await newYorkDatabase('tz_legacy');
    if (db === null) return t.skip('no PostgreSQL');
    const setup = await openDatabase({ kind: 'postgres', url: db.url });
    try {
      await migrate(setup);
      await buildLegacyFixture(setup, { cycles: 1, reportsPerCycle: 2, dataRows: 10 });
    } finally {
      await setup.close();
    }
    const run = phasectl(['migrate-legacy', '--db', db.url]);
    assert.equal(run.code, 0, run.stderr);
    // data_owner_phases has no created_at: the migration stamps those rows itself.
    const stamped = await inNewYork<{ ok: boolean; n: number }>(db.url, `SELECT bool_and(${OFF_BY('created_at')} < 600) AS ok, count(*)::int AS n FROM workflow_phases WHERE phase_name = 'data_request'`);
    assert.deepEqual(stamped, [{ ok: true, n: 2 }]);
    const moved = await inNewYork<{ differ: number; n: number }>(
      db.url,
      `SELECT count(*) FILTER (WHERE w.started_at IS DISTINCT FROM p.started_at)::int AS differ, count(*)::int AS n
         FROM workflow_phases w JOIN planning_phases p ON (p.cycle_id, p.report_id) = (w.cycle_id, w.report_id)
        WHERE w.phase_name = 'planning'`,
    );
    assert.deepEqual(moved, [{ differ: 0, n: 2 }]);
  });
});
