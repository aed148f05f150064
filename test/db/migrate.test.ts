import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, DatabaseError } from '../../server/db/database';
import type { Database } from '../../server/db/database';
import { MIGRATIONS } from '../../server/db/migrations/generated-sql';
import { migrate, MIGRATIONS_TABLE } from '../../server/db/migrations/migrate';
import { describeEachBackend } from './helpers/backends';

/** Everything the migrations create, so a test can start from a database with host tables of its own. */
const DROP_SCHEMA = `
      DROP TABLE IF EXISTS ${MIGRATIONS_TABLE}, workflow_transition_history, workflow_definitions, workflow_instances,
        workflow_activities, workflow_phases, test_cycles, reports, users CASCADE;
      DROP FUNCTION IF EXISTS workflow_transition_history_append_only, workflow_phases_notify_changes, workflow_activities_notify_changes CASCADE;`;

const TABLES = ['test_cycles', 'reports', 'users', 'workflow_phases', 'workflow_activities', 'workflow_instances', 'workflow_definitions', 'workflow_transition_history'];

async function tables(db: Database): Promise<string[]> {
  const r = await db.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
  return r.rows.map((row) => row.name);
}

async function appliedVersions(db: Database): Promise<number[]> {
  const r = await db.query<{ version: number }>(`SELECT version FROM ${MIGRATIONS_TABLE} ORDER BY version`);
  return r.rows.map((row) => row.version);
}

describeEachBackend('migrations', (backend) => {
  void test('a blank database gets every table, and a second run changes nothing', async () => {
    const db = await backend.freshDatabase();
    const first = await migrate(db);
    // A new embedded folder may start from the shipped, already migrated template.
    assert.equal(first.applied.length + first.alreadyApplied, MIGRATIONS.length);
    for (const table of [...TABLES, MIGRATIONS_TABLE]) assert.ok((await tables(db)).includes(table), `missing ${table}`);
    assert.deepEqual(await appliedVersions(db), MIGRATIONS.map((m) => m.version));

    const second = await migrate(db);
    assert.deepEqual(second.applied, []);
    assert.equal(second.alreadyApplied, MIGRATIONS.length);
    assert.deepEqual(second.changedSinceApplied, []);
    assert.deepEqual(await appliedVersions(db), MIGRATIONS.map((m) => m.version));
  });

  void test('both backends return the same JS types', async () => {
    const db = await backend.freshDatabase();
    const r = await db.query("SELECT ARRAY[1,2]::int8[] AS a, 5::int8 AS b, '2026-01-02 03:04:05'::timestamp AS ts, '{\"k\": [1]}'::jsonb AS j, 1.50::numeric AS n, NULL::text AS z");
    assert.deepEqual(r.rows, [{ a: [1, 2], b: 5, ts: new Date('2026-01-02T03:04:05Z'), j: { k: [1] }, n: '1.50', z: null }]);
  });

  void test('workflow_phases keeps the seed columns, unique key and checks', async () => {
    const db = await backend.freshDatabase();
    await migrate(db);
    await db.query("INSERT INTO test_cycles (cycle_name) VALUES ('Q1') ");
    await db.query("INSERT INTO reports (report_name) VALUES ('FR Y-14') ");
    const insert = 'INSERT INTO workflow_phases (cycle_id, report_id, phase_name, phase_order) VALUES (1, 1, $1, $2)';
    await db.query(insert, ['planning', 1]);
    await assert.rejects(db.query(insert, ['planning', 1]), /duplicate key/);
    await assert.rejects(db.query(insert, ['planning_x', 1]), /workflow_phases_name_check/);
    await assert.rejects(db.query(insert, ['scoping', 10]), /workflow_phases_order_check/);
    const row = await db.query<{ status: string; created_at: Date }>('SELECT status, created_at FROM workflow_phases');
    assert.equal(row.rows[0]?.status, 'NOT_STARTED');
    assert.ok(row.rows[0]?.created_at instanceof Date);
  });

  void test('two migrations at once: both succeed, each migration is applied once', async () => {
    const target = await backend.freshTarget();
    if (target.kind === 'postgres') {
      const [a, b] = [await openDatabase(target), await openDatabase(target)];
      try {
        const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
        assert.equal(ra.applied.length + rb.applied.length, MIGRATIONS.length);
        assert.deepEqual(await appliedVersions(a), MIGRATIONS.map((m) => m.version));
      } finally {
        await a.close();
        await b.close();
      }
    } else {
      // One process owns an embedded folder; concurrent calls in it must still be safe.
      const db = await openDatabase(target);
      try {
        await Promise.all([migrate(db), migrate(db), migrate(db)]);
        assert.deepEqual(await appliedVersions(db), MIGRATIONS.map((m) => m.version));
      } finally {
        await db.close();
      }
    }
  });

  void test('existing host tables with more columns are kept and referenced', async () => {
    const db = await backend.freshDatabase();
    await db.exec(`${DROP_SCHEMA}
      CREATE TABLE test_cycles (cycle_id SERIAL PRIMARY KEY, cycle_name VARCHAR(255) NOT NULL UNIQUE, owner TEXT DEFAULT 'host');
      CREATE TABLE reports (id SERIAL PRIMARY KEY, report_name VARCHAR(255) NOT NULL UNIQUE, regulator TEXT);
      INSERT INTO test_cycles (cycle_name) VALUES ('2026 Q1');`);
    const report = await migrate(db);
    assert.equal(report.applied.length, MIGRATIONS.length);
    const cols = await db.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'test_cycles' ORDER BY ordinal_position");
    assert.deepEqual(cols.rows.map((c) => c.column_name), ['cycle_id', 'cycle_name', 'owner']);
    assert.equal((await db.query('SELECT * FROM test_cycles')).rows.length, 1);
  });

  void test('a database whose tables conflict with the schema: a clear error, nothing half-applied', async () => {
    const db = await backend.freshDatabase();
    await db.exec(`${DROP_SCHEMA}
      CREATE TABLE workflow_phases (id SERIAL PRIMARY KEY, label TEXT);`);
    await assert.rejects(migrate(db), (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.equal(error.kind, 'schema-conflict');
      assert.match(error.message, /migration 0001-unified-workflow cannot run: relation "workflow_phases" already exists/);
      assert.match(error.message, /conflict with the Workflow Phases schema/);
      return true;
    });
    // The failed migration rolled back as a whole: the host tables it would have made are not there.
    const present = await tables(db);
    assert.deepEqual(present, ['workflow_phases']);
  });
});
