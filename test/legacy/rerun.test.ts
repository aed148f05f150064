/**
 * The README's two steps, `migrate-legacy` and then `migrate-legacy --drop-legacy`, on a
 * legacy database whose data tables are named after another phase than their foreign
 * key (`cycle_report_observations` referencing planning_phases): the second run must
 * take the phase from the key the first run re-pointed, not from the name, so it
 * verifies, back-fills rows written in between into the right phase, and drops.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EMPTY_LEGACY_CONFIG } from '../../server/db/legacy/config';
import { migrateLegacy } from '../../server/db/legacy/migrate';
import type { LegacyReport } from '../../server/db/legacy/report';
import type { Queryable } from '../../server/db/database';
import { FIXTURE_PHASE_TABLES, buildLegacyFixture } from './fixture';
import { phasectl } from './helpers';
import { legacyTestDb } from './setup';
import type { LegacyTestDb } from './setup';

const MISLEADING = ['cycle_report_observations', 'cycle_report_test_cases_scope'];
const fixtureOptions = { cycles: 2, reportsPerCycle: 3, dataRows: 60, misleadingNames: true };

/** phase, how it was told, and rows back-filled, for the two misleadingly named tables. */
const misleading = (report: LegacyReport) => report.dataTables.filter((d) => MISLEADING.includes(d.table)).map((d) => [d.table, d.phase, d.phaseFrom, d.backfilled]);

/** How many rows of `table` are linked to a unified phase other than `phase`, or of another (cycle, report) than their own. */
async function wronglyLinked(db: Queryable, table: string, phase: string, sameInstance: boolean): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} d JOIN workflow_phases w ON w.phase_id = d.phase_id
      WHERE w.phase_name <> $1 ${sameInstance ? 'OR w.cycle_id <> d.cycle_id OR w.report_id <> d.report_id' : ''}`,
    [phase],
  );
  return rows.rows[0]!.n;
}

void describe('migrate-legacy, then migrate-legacy --drop-legacy, when a data table is named after another phase than its key', () => {
  let t: LegacyTestDb | null;
  let first: LegacyReport;

  before(async () => {
    t = await legacyTestDb('legacy_rerun');
    if (!t) return;
    await buildLegacyFixture(t.db, fixtureOptions);
    first = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: false });
  });
  after(async () => {
    await t?.close();
  });

  void test('the first run links each table by its foreign key, not its name, and verifies', async (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    assert.equal(first.outcome, 'committed');
    assert.equal(first.verification?.passed, true, JSON.stringify(first.verification?.checks));
    assert.deepEqual(misleading(first), [
      ['cycle_report_observations', 'planning', 'reference', 6],
      ['cycle_report_test_cases_scope', 'scoping', 'reference', 0],
    ]);
    assert.equal(await wronglyLinked(t.db, 'cycle_report_observations', 'planning', true), 0);
    assert.equal(await wronglyLinked(t.db, 'cycle_report_test_cases_scope', 'scoping', false), 0);
  });

  void test('the second run verifies by the foreign key, links rows written in between to the right phase, and drops', async (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    // The host application keeps writing between the two steps.
    await t.db.query(`INSERT INTO cycle_report_observations (cycle_id, report_id, finding) VALUES (2, 3, 'found between the runs')`);
    await t.db.query(
      `INSERT INTO cycle_report_observations (finding, planning_phase_id)
       SELECT 'referenced between the runs', phase_id FROM workflow_phases WHERE cycle_id = 1 AND report_id = 2 AND phase_name = 'planning'`,
    );
    const second = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: true });
    assert.equal(second.dropRefused, null);
    assert.equal(second.outcome, 'committed');
    assert.deepEqual(
      second.verification?.checks.filter((c) => !c.passed),
      [],
    );
    assert.deepEqual([...second.dropped].sort(), Object.keys(FIXTURE_PHASE_TABLES).sort());
    assert.deepEqual(misleading(second), [
      ['cycle_report_observations', 'planning', 'reference', 2],
      ['cycle_report_test_cases_scope', 'scoping', 'reference', 0],
    ]);
    const late = await t.db.query<{ phase_name: string; cycle_id: number; report_id: number }>(
      `SELECT w.phase_name, w.cycle_id, w.report_id FROM cycle_report_observations d JOIN workflow_phases w ON w.phase_id = d.phase_id
        WHERE d.finding LIKE '% between the runs' ORDER BY d.id`,
    );
    assert.deepEqual(late.rows, [
      { phase_name: 'planning', cycle_id: 2, report_id: 3 },
      { phase_name: 'planning', cycle_id: 1, report_id: 2 },
    ]);
    assert.equal(await wronglyLinked(t.db, 'cycle_report_observations', 'planning', true), 0);
    assert.equal(await wronglyLinked(t.db, 'cycle_report_test_cases_scope', 'scoping', false), 0);
  });

  void test('a third run finds nothing to do', async (ctx) => {
    if (!t) return ctx.skip('no PostgreSQL');
    const third = await migrateLegacy(t.db, { config: EMPTY_LEGACY_CONFIG, dryRun: false, dropLegacy: true });
    assert.equal(third.nothingToDo, true);
    assert.equal(third.verification?.passed, true);
    assert.deepEqual(misleading(third), [
      ['cycle_report_observations', 'planning', 'reference', 0],
      ['cycle_report_test_cases_scope', 'scoping', 'reference', 0],
    ]);
  });
});

void describe('phasectl migrate-legacy, then phasectl migrate-legacy --drop-legacy (built dist/phasectl.js)', () => {
  let t: LegacyTestDb | null = null;
  after(async () => {
    await t?.close();
  });

  void test('both steps exit 0 and the second drops the legacy tables', async (ctx) => {
    t = await legacyTestDb('legacy_rerun_cli');
    if (!t) return ctx.skip('no PostgreSQL');
    await buildLegacyFixture(t.db, fixtureOptions);
    const migrate = phasectl(['migrate-legacy', '--db', t.url]);
    assert.equal(migrate.code, 0, migrate.stdout + migrate.stderr);
    assert.match(migrate.stdout, /\n {2}cycle_report_observations +planning +reference /);
    assert.match(migrate.stdout, /\nVerification: passed\n/);
    const drop = phasectl(['migrate-legacy', '--drop-legacy', '--db', t.url]);
    assert.equal(drop.code, 0, drop.stdout + drop.stderr);
    assert.match(drop.stdout, /\n {2}\[ok\] every phase_id points at its own \(cycle, report, phase\): all linked rows agree\n/);
    assert.match(drop.stdout, /\nDropped: planning_phases, scoping_phases, /);
    assert.match(drop.stdout, /\nResult: committed /);
  });
});
