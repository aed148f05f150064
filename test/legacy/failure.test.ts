/**
 * Failures roll everything back and name the row: an unknown status found part-way
 * (after earlier tables were moved), a host constraint violated in the middle of a
 * set-based insert, a data row pointing at an orphan. And a dry run reports in full
 * and leaves the database as it was.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { EMPTY_LEGACY_CONFIG } from '../../server/db/legacy/config';
import { migrateLegacy } from '../../server/db/legacy/migrate';
import type { Queryable } from '../../server/db/database';
import { buildLegacyFixture } from './fixture';
import { legacyTestDb } from './setup';
import type { LegacyTestDb } from './setup';

const small = { cycles: 2, reportsPerCycle: 3, dataRows: 100 };
const opened: LegacyTestDb[] = [];
after(async () => {
  for (const t of opened) await t.close();
});

async function fresh(label: string): Promise<LegacyTestDb | null> {
  const t = await legacyTestDb(label);
  if (t) opened.push(t);
  return t;
}

/** What a rolled-back run must leave: no unified rows, no phase_id added, keys still on the legacy tables. */
async function assertUntouched(db: Queryable) {
  assert.equal((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM workflow_phases')).rows[0]!.n, 0, 'no unified rows');
  const added = await db.query(`SELECT table_name FROM information_schema.columns WHERE table_name = 'cycle_report_scoping_decisions' AND column_name = 'phase_id'`);
  assert.equal(added.rows.length, 0, 'no phase_id column added');
  const legacyKey = await db.query<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'cycle_report_planning_attributes'::regclass AND contype = 'f'`,
  );
  assert.deepEqual(legacyKey.rows, [{ def: 'FOREIGN KEY (planning_phase_id) REFERENCES planning_phases(phase_id)' }]);
}

void describe('migrate-legacy failures and dry runs', () => {
  void test('an unknown status found after six tables were moved: everything rolled back, the row named', async (ctx) => {
    const t = await fresh('legacy_unknown_status');
    if (!t) return ctx.skip('no PostgreSQL');
    await buildLegacyFixture(t.db, { ...small, unknownStatus: true });
    const report = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: false });
    assert.equal(report.outcome, 'rolled-back');
    const moved = report.phaseTables.filter((p) => p.migrated > 0).map((p) => p.table);
    assert.deepEqual(moved, ['planning_phases', 'scoping_phases', 'data_owner_phases', 'data_profiling_phases', 'sample_selection_phases', 'cycle_report_request_info_phases']);
    assert.equal(report.problems.length, 1);
    const problem = report.problems[0]!;
    assert.deepEqual(problem.row, { table: 'testing_execution_phases', key: { execution_id: 5 }, cycleId: 2, reportId: 2 });
    assert.equal(problem.column, 'status');
    assert.match(problem.message, /^status 'On Hold' has no unified equivalent; add it under "statuses" in the config file/);
    assert.equal(report.verification, null, 'no verification after a stop');
    await assertUntouched(t.db);
  });

  void test('a host constraint violated in the middle of an insert: rolled back, the step, table and row named', async (ctx) => {
    const t = await fresh('legacy_host_constraint');
    if (!t) return ctx.skip('no PostgreSQL');
    await buildLegacyFixture(t.db, small);
    await t.db.query(`ALTER TABLE workflow_phases ADD CONSTRAINT host_dates CHECK (completed_at IS NULL OR started_at IS NULL OR completed_at >= started_at)`);
    await t.db.query(`UPDATE observation_management_phases SET started_at = TIMESTAMP '2025-05-02', completed_at = TIMESTAMP '2025-05-01' WHERE id = 4`);
    const report = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: false });
    assert.equal(report.outcome, 'rolled-back');
    assert.equal(report.failure?.step, 'move phase rows');
    assert.equal(report.failure?.table, 'observation_management_phases');
    assert.match(report.failure.message, /violates check constraint "host_dates"/);
    assert.match(report.failure.detail ?? '', /^Failing row contains/);
    assert.deepEqual(report.failure.rows, [{ table: 'observation_management_phases', key: { id: 4 }, cycleId: 2, reportId: 1 }]);
    await assertUntouched(t.db);
  });

  void test('a data row that references an orphan legacy row cannot be re-pointed: rolled back, the row named', async (ctx) => {
    const t = await fresh('legacy_orphan_reference');
    if (!t) return ctx.skip('no PostgreSQL');
    await buildLegacyFixture(t.db, { ...small, orphans: true });
    await t.db.query(`INSERT INTO cycle_report_planning_attributes (id, cycle_id, report_id, attribute_name, planning_phase_id) VALUES (9001, 99999, 1, 'ghost', 7)`);
    const report = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: false });
    assert.equal(report.outcome, 'rolled-back');
    assert.deepEqual(
      report.problems.map((p) => `${p.table} ${JSON.stringify(p.row?.key)} [${p.column}] ${p.message}`),
      ['cycle_report_planning_attributes {"id":9001} [planning_phase_id] references planning_phases.phase_id = 7, a legacy row that has no unified row (orphan or missing), so it cannot be re-pointed'],
    );
    await assertUntouched(t.db);
  });

  void test('without the unified schema: a failure that says what to apply, nothing changed', async (ctx) => {
    const t = await legacyTestDb('legacy_no_schema', false);
    if (!t) return ctx.skip('no PostgreSQL');
    opened.push(t);
    await buildLegacyFixture(t.db, small);
    const report = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: false });
    assert.equal(report.outcome, 'rolled-back');
    assert.deepEqual(report.failure, {
      step: 'discover',
      table: 'workflow_phases',
      message: 'workflow_phases does not exist in schema public: apply the Workflow Phases schema (migration 0001) first',
      detail: null,
      rows: [],
    });
  });

  void test('a status column of an enum type is read as text', async (ctx) => {
    const t = await fresh('legacy_enum_status');
    if (!t) return ctx.skip('no PostgreSQL');
    await t.db.exec(`
      INSERT INTO test_cycles (cycle_id, cycle_name) VALUES (1, 'c1');
      INSERT INTO reports (id, report_name) VALUES (1, 'r1'), (2, 'r2');
      CREATE TYPE legacy_state AS ENUM ('Not Started', 'In Progress', 'Complete');
      CREATE TABLE planning_phases (id SERIAL PRIMARY KEY, cycle_id INTEGER, report_id INTEGER, status legacy_state);
      INSERT INTO planning_phases (cycle_id, report_id, status) VALUES (1, 1, 'Complete'), (1, 2, 'In Progress');`);
    const report = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: true });
    assert.equal(report.outcome, 'committed', JSON.stringify(report.problems));
    const rows = await t.db.query<{ status: string }>('SELECT status FROM workflow_phases ORDER BY report_id');
    assert.deepEqual(rows.rows.map((r) => r.status), ['COMPLETED', 'IN_PROGRESS']);
    assert.deepEqual(report.dropped, ['planning_phases']);
  });

  void test('two runs at once: one migrates, the other waits and finds nothing to do', async (ctx) => {
    const t = await fresh('legacy_concurrent');
    if (!t) return ctx.skip('no PostgreSQL');
    const fixture = await buildLegacyFixture(t.db, small);
    const options = { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: false };
    const reports = await Promise.all([migrateLegacy(t.db, options), migrateLegacy(t.db, options)]);
    assert.deepEqual(reports.map((r) => r.outcome), ['committed', 'committed']);
    assert.deepEqual(reports.map((r) => r.nothingToDo).sort(), [false, true]);
    assert.ok(reports.every((r) => r.conflicts.length === 0 && r.verification?.passed));
    const rows = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM workflow_phases');
    assert.equal(rows.rows[0]!.n, fixture.pairs * 9);
  });

  void test('a dry run reports everything, verification and drops included, then rolls back', async (ctx) => {
    const t = await fresh('legacy_dry_run');
    if (!t) return ctx.skip('no PostgreSQL');
    const fixture = await buildLegacyFixture(t.db, small);
    const report = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: true, dropLegacy: true });
    assert.equal(report.outcome, 'rolled-back');
    assert.equal(report.dryRun, true);
    assert.equal(report.failure, null);
    assert.deepEqual(
      report.phaseTables.map((p) => p.migrated),
      report.phaseTables.map(() => fixture.pairs),
    );
    assert.equal(report.verification?.passed, true, JSON.stringify(report.verification?.checks));
    assert.equal(report.dropped.length, 9, 'the drop ran inside the dry run');
    assert.equal(report.dataTables.reduce((n, d) => n + d.backfilled, 0) > 0, true);
    await assertUntouched(t.db);
    const legacy = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM planning_phases`);
    assert.equal(legacy.rows[0]!.n, fixture.pairs, 'legacy tables still there');
  });
});
