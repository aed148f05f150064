/**
 * The legacy migration on a realistic legacy database (real PostgreSQL): every row
 * arrives with its metadata, conflicts and orphans are reported and left alone,
 * data tables are linked, a re-run does nothing, and --drop-legacy refuses while
 * verification fails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EMPTY_LEGACY_CONFIG } from '../../server/db/legacy/config';
import { migrateLegacy } from '../../server/db/legacy/migrate';
import type { LegacyReport } from '../../server/db/legacy/report';
import { FIXTURE_PHASE_TABLES, buildLegacyFixture } from './fixture';
import type { Fixture } from './fixture';
import { assertNothingLost } from './helpers';
import { legacyTestDb } from './setup';
import type { LegacyTestDb } from './setup';

const PRIMARY_KEYS: Record<string, string> = {
  planning_phases: 'phase_id',
  sample_selection_phases: 'phase_id',
  testing_execution_phases: 'execution_id',
};

void describe('migrate-legacy on a realistic legacy database', () => {
  let t: LegacyTestDb | null;
  let fixture: Fixture;
  let report: LegacyReport;

  /** A fingerprint of everything the migration may touch, to prove a run changed nothing. */
  async function fingerprint(): Promise<string> {
    const rows = await t!.db.query<{ f: string }>(
      `SELECT md5(string_agg(x, '|' ORDER BY x)) AS f FROM (
         SELECT to_jsonb(w)::text AS x FROM workflow_phases w
         UNION ALL SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'
         UNION ALL SELECT conname || ':' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
         UNION ALL SELECT 'samples ' || count(*) FILTER (WHERE phase_id IS NOT NULL) FROM cycle_report_sample_selection_samples) s`,
    );
    return rows.rows[0]!.f;
  }

  before(async () => {
    t = await legacyTestDb('legacy_realistic');
    if (!t) return;
    fixture = await buildLegacyFixture(t.db, { cycles: 3, reportsPerCycle: 4, dataRows: 300, orphans: true, conflicts: true });
    report = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: false, listLimit: 50, databaseDescription: t.db.description });
  });
  after(async () => {
    await t?.close();
  });

  void test('commits, and finds every known legacy table', (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    assert.equal(report.failure, null);
    assert.deepEqual(report.problems, []);
    assert.equal(report.outcome, 'committed');
    assert.deepEqual(
      report.phaseTables.map((p) => [p.table, p.phase]),
      [...Object.entries(FIXTURE_PHASE_TABLES), ['data_provider_phases', 'data_request']].sort(
        (a, b) => Object.values(FIXTURE_PHASE_TABLES).indexOf(a[1] as never) - Object.values(FIXTURE_PHASE_TABLES).indexOf(b[1] as never) || a[0]!.localeCompare(b[0]!),
      ),
    );
    for (const p of report.phaseTables) assert.equal(p.rows, fixture.phaseRows[p.table], p.table);
  });

  void test('every legacy row arrived: status normalised, dates and users kept, every other column in phase_metadata.legacy', async (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    for (const p of report.phaseTables) {
      const checked = await assertNothingLost(t.db, p.table, PRIMARY_KEYS[p.table] ?? 'id', p.columnMap);
      assert.equal(checked, p.migrated, `${p.table}: every moved row checked`);
      assert.equal(p.migrated + p.conflicts + p.orphans, p.rows, `${p.table}: every row accounted for`);
    }
    const sample = report.phaseTables.find((p) => p.table === 'sample_selection_phases')!;
    assert.equal(sample.columnMap.test_cycle_id, 'cycle_id');
    assert.match(sample.notes.join('\n'), /started_by \(character varying\) does not fit started_by/);
    const orders = await t.db.query<{ phase_name: string; phase_order: number }>('SELECT DISTINCT phase_name, phase_order FROM workflow_phases ORDER BY 2');
    assert.equal(orders.rows.length, 9);
  });

  void test('a user id missing from users is not copied but kept in the metadata', async (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    assert.equal(report.phaseTables.find((p) => p.table === 'planning_phases')!.unknownUsers, 1);
    const row = await t.db.query<{ started_by: number | null; kept: string }>(
      `SELECT started_by, phase_metadata->'legacy'->'columns'->>'started_by' AS kept FROM workflow_phases
        WHERE phase_metadata->'legacy'->>'table' = 'planning_phases' AND phase_metadata->'legacy'->'key'->>'phase_id' = '1'`,
    );
    assert.deepEqual(row.rows, [{ started_by: null, kept: '999' }]);
  });

  void test('conflicting rows are reported, named, and do not overwrite the existing unified row', async (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    const named = report.conflicts.map((c) => `${c.row.table} ${JSON.stringify(c.row.key)} ${c.row.cycleId}/${c.row.reportId} <- ${c.existingFrom ?? 'sync'}`).sort();
    assert.deepEqual(named, [
      'data_provider_phases {"id":1} 1/1 <- data_owner_phases',
      'data_provider_phases {"id":2} 1/2 <- data_owner_phases',
      'scoping_phases {"id":3} 1/3 <- sync',
      'test_report_phases {"id":13} 1/1 <- test_report_phases',
    ]);
    const synced = await t.db.query<{ status: string; phase_metadata: unknown }>(
      `SELECT status, phase_metadata FROM workflow_phases WHERE cycle_id = 1 AND report_id = 3 AND phase_name = 'scoping'`,
    );
    assert.deepEqual(synced.rows, [{ status: 'IN_PROGRESS', phase_metadata: { synced_from: 'regulatory-testing.phases.yaml' } }]);
  });

  void test('orphan rows are reported with the reason and not moved', (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    assert.deepEqual(
      report.orphans.map((o) => `${o.row.table} ${JSON.stringify(o.row.key)}: ${o.reason}`),
      ['planning_phases {"phase_id":13}: cycle 99999 is not in test_cycles', 'planning_phases {"phase_id":14}: no report_id'],
    );
  });

  void test('data tables get a back-filled phase_id with a foreign key; references to legacy tables are re-pointed', async (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    assert.deepEqual(
      report.repointed.map((r) => `${r.table}.${r.column} was ${r.from}`).sort(),
      [
        'cycle_report_data_profiling_files.data_profiling_phase_id was data_profiling_phases',
        'cycle_report_data_profiling_rules.phase_id was data_profiling_phases',
        'cycle_report_planning_attributes.planning_phase_id was planning_phases',
        'cycle_report_request_info_evidence.request_info_phase_id was cycle_report_request_info_phases',
      ],
    );
    assert.equal(report.dataTables.length, 10);
    for (const d of report.dataTables) {
      assert.equal(d.rows, fixture.dataRows[d.table], d.table);
      const wrong: { rows: { n: number }[] } = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${d.table} d LEFT JOIN workflow_phases w ON w.phase_id = d.phase_id
          WHERE d.phase_id IS NOT NULL AND w.phase_name IS DISTINCT FROM $1`,
        [d.phase],
      );
      assert.equal(wrong.rows[0]!.n, 0, `${d.table}: linked to its own phase`);
    }
    const keys = await t.db.query<{ table_name: string; def: string }>(
      `SELECT conrelid::regclass::text AS table_name, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE contype = 'f' AND conrelid::regclass::text LIKE 'cycle_report_%' ORDER BY 1, 2`,
    );
    for (const d of report.dataTables) {
      assert.ok(keys.rows.some((k) => k.table_name === d.table && k.def === 'FOREIGN KEY (phase_id) REFERENCES workflow_phases(phase_id)'), d.table);
    }
    assert.ok(keys.rows.every((k) => k.def.endsWith('REFERENCES workflow_phases(phase_id)')), 'no key points at a legacy table');
    const samples = report.dataTables.find((d) => d.table === 'cycle_report_sample_selection_samples')!;
    assert.equal(samples.unassigned, 2);
    const observations = report.dataTables.find((d) => d.table === 'cycle_report_observation_mgmt_observations')!;
    assert.equal(observations.unlinked, 1);
    assert.deepEqual(report.unlinkedRows.map((r) => [r.table, r.cycleId, r.reportId]), [['cycle_report_observation_mgmt_observations', 99999, 1]]);
    const evidence = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cycle_report_request_info_evidence e
         JOIN workflow_phases w ON w.phase_id = e.phase_id AND w.phase_id = e.request_info_phase_id
         JOIN cycle_report_request_info_phases l ON l.cycle_id = w.cycle_id AND l.report_id = w.report_id`,
    );
    assert.equal(evidence.rows[0]!.n, fixture.dataRows.cycle_report_request_info_evidence, 'linked through the old reference');
  });

  void test('unrecognised tables are reported and left alone', (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    assert.deepEqual(
      report.unrecognised.map((u) => u.table),
      ['approval_phases', 'cycle_report_misc_notes'],
    );
  });

  void test('verification fails on exactly the rows left behind', (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    const v = report.verification!;
    assert.equal(v.passed, false);
    const failed = v.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`);
    assert.deepEqual(failed, [
      'every legacy row has its unified row: 6 of 113 legacy rows have none: planning_phases (2), scoping_phases (1), data_provider_phases (2), test_report_phases (1)',
      'every data row with a (cycle, report) has a phase_id: rows without a phase_id: cycle_report_observation_mgmt_observations (1)',
      'counts per phase match: planning: 14 legacy, 12 unified; scoping: 12 legacy, 11 unified; data_request: 14 legacy, 12 unified; test_report: 13 legacy, 12 unified',
    ]);
  });

  void test('a second run finds nothing to do and changes nothing', async (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    const before = await fingerprint();
    const again = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: false });
    assert.equal(again.nothingToDo, true);
    assert.equal(again.outcome, 'committed');
    assert.ok(again.phaseTables.every((p) => p.migrated === 0));
    assert.equal(again.phaseTables.reduce((n, p) => n + p.alreadyMigrated, 0), report.phaseTables.reduce((n, p) => n + p.migrated, 0));
    assert.equal(await fingerprint(), before);
  });

  void test('--drop-legacy refuses while verification fails, and rolls everything back', async (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    const before = await fingerprint();
    const refused = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: true });
    assert.equal(refused.outcome, 'rolled-back');
    assert.deepEqual(refused.dropped, []);
    assert.match(refused.dropRefused!, /^verification failed: every legacy row has its unified row \(6 of 113/);
    const legacy = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE '%_phases' AND tablename <> 'workflow_phases'`);
    assert.equal(legacy.rows[0]!.n, 11, 'the 10 legacy phase tables and the unrecognised approval_phases are still there');
    assert.equal(await fingerprint(), before);
  });

  void test('once the reported rows are resolved, a re-run verifies and --drop-legacy drops the legacy tables', async (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    // What a team would do with the report: settle each named row.
    await t.db.exec(`
      DELETE FROM planning_phases WHERE phase_id IN (13, 14);
      DELETE FROM data_provider_phases;
      DELETE FROM test_report_phases WHERE id = 13;
      DELETE FROM scoping_phases WHERE id = 3;
      DELETE FROM cycle_report_observation_mgmt_observations WHERE cycle_id = 99999;`);
    const done = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: true });
    assert.equal(done.outcome, 'committed', done.dropRefused ?? '');
    assert.equal(done.verification?.passed, true);
    assert.deepEqual([...done.dropped].sort(), [...Object.keys(FIXTURE_PHASE_TABLES), 'data_provider_phases'].sort());
    const moved = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM workflow_phases WHERE phase_metadata IS NOT NULL`);
    assert.equal(moved.rows[0]!.n, report.phaseTables.reduce((n, p) => n + p.migrated, 0) + 1, 'every moved row, and the synced one, still there');
    const last = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: true });
    assert.equal(last.nothingToDo, true);
    assert.deepEqual(last.phaseTables, []);
  });
});
