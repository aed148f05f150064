/**
 * `phasectl migrate-legacy` as the built `dist/phasectl.js` process on real PostgreSQL:
 * a dry run on a database without the Workflow Phases schema, the real run with
 * --drop-legacy (JSON report compared with a golden file; UPDATE_GOLDEN=1 rewrites it),
 * the re-run, exit codes, and the embedded database refused.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { LegacyReport } from '../../server/db/legacy/report';
import { MIGRATIONS } from '../../server/db/migrations/generated-sql';
import { migrationLabel } from '../../server/db/migrations/migrate';
import { buildLegacyFixture } from './fixture';
import { phasectl } from './helpers';
import { legacyTestDb } from './setup';
import type { LegacyTestDb } from './setup';

const GOLDEN = join(__dirname, 'golden', 'clean-drop.json');
const small = { cycles: 2, reportsPerCycle: 3, dataRows: 60 };
const opened: LegacyTestDb[] = [];
after(async () => {
  for (const t of opened) await t.close();
});

async function fresh(label: string, migrated: boolean): Promise<LegacyTestDb | null> {
  const t = await legacyTestDb(label, migrated);
  if (t) opened.push(t);
  return t;
}

const ALL_MIGRATIONS = MIGRATIONS.map(migrationLabel);

/** The report without what changes from run to run or release to release (timing, database name, schema migrations). */
function stable(report: LegacyReport): LegacyReport {
  assert.deepEqual(report.schemaMigrations, ALL_MIGRATIONS, 'every bundled schema migration applied first');
  return { ...report, database: '<database>', elapsedMs: 0, schemaMigrations: ['<all bundled migrations>'] };
}

void describe('phasectl migrate-legacy', () => {
  void test('refuses the embedded database, with what to do instead', () => {
    const explicit = phasectl(['migrate-legacy', '--db', 'embedded:/tmp/wp-legacy-never-created']);
    assert.equal(explicit.code, 2);
    assert.match(explicit.stderr, /^phasectl migrate-legacy: migrate-legacy works on a real PostgreSQL database only: the embedded database \(\/tmp\/wp-legacy-never-created\) never has legacy tables\. Pass --db postgres:\/\/user@host:port\/database or set DATABASE_URL\.\n$/);
    assert.equal(existsSync('/tmp/wp-legacy-never-created'), false, 'nothing created');
    const byDefault = phasectl(['migrate-legacy', '--dry-run']);
    assert.equal(byDefault.code, 2);
    assert.match(byDefault.stderr, /works on a real PostgreSQL database only/);
  });

  void test('usage errors exit 2 with the usage', () => {
    const run = phasectl(['migrate-legacy', '--format', 'xml', '--db', 'postgres://postgres@127.0.0.1:1/none']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown format 'xml' \(use text or json\)/);
    assert.match(run.stderr, /Usage: phasectl migrate-legacy/);
  });

  void test('dry run on a database without the schema, then migrate and drop, then nothing to do', async (ctx) => {
    const t = await fresh('legacy_cli_clean', false);
    if (!t) return ctx.skip('no PostgreSQL');
    const fixture = await buildLegacyFixture(t.db, small);

    const dry = phasectl(['migrate-legacy', '--dry-run', '--drop-legacy', '--db', t.url]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Legacy migration \(dry run\) on postgres /);
    assert.ok(dry.stdout.includes(`\nSchema migrations applied first (inside the dry run): ${ALL_MIGRATIONS.join(', ')}\n`), dry.stdout);
    assert.match(dry.stdout, /\n  planning_phases +planning +6 +6 +0 +0 +0 +0\n/);
    assert.match(dry.stdout, /\nVerification: passed\n/);
    assert.match(dry.stdout, /\nDropped \(in the dry run\): planning_phases, scoping_phases, /);
    assert.match(dry.stdout, /\nResult: dry run, rolled back \(\d+\.\ds\)\. Run without --dry-run to apply\.\n$/);
    const schema = await t.db.query<{ present: boolean }>(`SELECT to_regclass('workflow_phases') IS NOT NULL AS present`);
    assert.equal(schema.rows[0]!.present, false, 'the dry run left no schema behind');

    const real = phasectl(['migrate-legacy', '--drop-legacy', '--format', 'json', '--db', t.url]);
    assert.equal(real.code, 0, real.stderr);
    const report = JSON.parse(real.stdout) as LegacyReport;
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(join(__dirname, 'golden'), { recursive: true });
      writeFileSync(GOLDEN, `${JSON.stringify(stable(report), null, 2)}\n`);
    }
    assert.deepEqual(stable(report), JSON.parse(readFileSync(GOLDEN, 'utf8')), 'JSON report matches test/legacy/golden/clean-drop.json (UPDATE_GOLDEN=1 to rewrite)');
    assert.equal(report.outcome, 'committed');
    assert.equal(report.dropped.length, 9);
    const rows = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM workflow_phases');
    assert.equal(rows.rows[0]!.n, fixture.pairs * 9);
    const left = await t.db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE '%phases' ORDER BY 1`);
    assert.deepEqual(left.rows.map((r) => r.tablename), ['approval_phases', 'workflow_phases']);

    const again = phasectl(['migrate-legacy', '--db', t.url]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /\nNo legacy phase tables found\.\n/);
    assert.match(again.stdout, /\nResult: nothing to do; everything was already migrated/);
  });

  void test('--drop-legacy refused: exit 3, the reason, nothing changed', async (ctx) => {
    const t = await fresh('legacy_cli_refused', true);
    if (!t) return ctx.skip('no PostgreSQL');
    await buildLegacyFixture(t.db, { ...small, conflicts: true });
    const run = phasectl(['migrate-legacy', '--drop-legacy', '--db', t.url]);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stdout, /\nConflicts \(kept the existing unified row, did not overwrite\)\n(  .*\n)*  data_provider_phases id=1 \(cycle 1, report 1\): data_request already has workflow_phases row \d+ \(from data_owner_phases\)\n/);
    assert.match(run.stdout, /\n--drop-legacy refused: verification failed: every legacy row has its unified row \(4 of 57 legacy rows have none: /);
    assert.match(run.stdout, /\nResult: rolled back, nothing was changed/);
    const rows = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM workflow_phases');
    assert.equal(rows.rows[0]!.n, 1, 'only the synced row that was there before');
  });

  void test('a row with an unknown status: exit 1, the row named, nothing changed', async (ctx) => {
    const t = await fresh('legacy_cli_status', true);
    if (!t) return ctx.skip('no PostgreSQL');
    await buildLegacyFixture(t.db, { ...small, unknownStatus: true });
    const run = phasectl(['migrate-legacy', '--db', t.url]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /\nProblems \(the migration stopped; nothing was changed\)\n  testing_execution_phases execution_id=5 \(cycle 2, report 2\) \[status\]: status 'On Hold' has no unified equivalent; add it under "statuses" in the config file/,
    );
    const rows = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM workflow_phases');
    assert.equal(rows.rows[0]!.n, 0);
  });
});
