/**
 * `npm run bench:migrate`: the legacy migration on 10,000 (cycle, report) pairs with rows
 * in all nine legacy phase tables (90,000 rows) and 200,000 cycle_report_* rows, on a
 * throwaway database of the PostgreSQL at DATABASE_URL (default 127.0.0.1:5432).
 * Baseline, in the same run: copying the same rows once with CREATE TABLE AS (no logic).
 * Not a test: it prints a table. Figures depend on the machine and its load.
 */
import { openDatabase } from '../server/db/database';
import { EMPTY_LEGACY_CONFIG } from '../server/db/legacy/config';
import { migrateLegacy } from '../server/db/legacy/migrate';
import type { LegacyReport } from '../server/db/legacy/report';
import { migrate } from '../server/db/migrations/migrate';
import { createTestDatabase } from '../test/helpers/postgres';
import { buildLegacyFixture } from '../test/legacy/fixture';

const CYCLES = 100;
const REPORTS = 100;
const DATA_ROWS = 200_000;
const TARGET_SECONDS = 30;

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { seconds: (performance.now() - start) / 1000, value };
}

async function main(): Promise<void> {
  const created = await createTestDatabase('bench_migrate');
  if (!created) throw new Error('bench:migrate needs PostgreSQL (set DATABASE_URL)');
  const db = await openDatabase({ kind: 'postgres', url: created.url });
  try {
    await migrate(db);
    const build = await timed(() => buildLegacyFixture(db, { cycles: CYCLES, reportsPerCycle: REPORTS, dataRows: DATA_ROWS }));
    const fixture = build.value;
    const phaseRows = Object.values(fixture.phaseRows).reduce((a, b) => a + b, 0);
    const dataRows = Object.values(fixture.dataRows).reduce((a, b) => a + b, 0);
    const tables = [...Object.keys(fixture.phaseRows), ...Object.keys(fixture.dataRows)];

    // Baseline: read and write every row once, no logic, in a transaction that rolls back.
    const baseline = await timed(async () => {
      try {
        await db.transaction(async (tx) => {
          for (const table of tables) await tx.query(`CREATE TEMP TABLE ${table}_copy AS SELECT * FROM ${table}`);
          throw new Error('roll back');
        });
      } catch {
        // rolled back on purpose
      }
    });
    const options = { config: EMPTY_LEGACY_CONFIG, dropLegacy: false, databaseDescription: db.description };
    const dry = await timed(() => migrateLegacy(db, { ...options, dryRun: true }));
    const real = await timed(() => migrateLegacy(db, { ...options, dryRun: false }));
    const again = await timed(() => migrateLegacy(db, { ...options, dryRun: false }));
    check(real.value, phaseRows, dataRows);
    if (!again.value.nothingToDo) throw new Error('the second run did something');

    const rows = phaseRows + dataRows;
    const table: string[][] = [['step', 'seconds', 'rows', 'rows/s', 'vs baseline']];
    const line = (step: string, seconds: number, n: number) =>
      table.push([step, seconds.toFixed(2), n.toLocaleString('en-US'), Math.round(n / seconds).toLocaleString('en-US'), `${(seconds / baseline.seconds).toFixed(2)}x`]);
    line('build legacy fixture (setup)', build.seconds, rows);
    line('baseline: copy every row once', baseline.seconds, rows);
    line('migrate-legacy --dry-run', dry.seconds, rows);
    line('migrate-legacy', real.seconds, rows);
    line('migrate-legacy again (no-op)', again.seconds, rows);
    const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
    console.log(
      `bench:migrate — ${fixture.pairs.toLocaleString('en-US')} (cycle, report) pairs, ${phaseRows.toLocaleString('en-US')} legacy phase rows in ${Object.keys(fixture.phaseRows).length} tables, ` +
        `${dataRows.toLocaleString('en-US')} cycle_report_* rows in ${Object.keys(fixture.dataRows).length} tables (target: migration < ${TARGET_SECONDS} s)`,
    );
    for (const row of table) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
    console.log(real.seconds < TARGET_SECONDS ? `migration: ${real.seconds.toFixed(1)} s, within the ${TARGET_SECONDS} s target` : `migration: ${real.seconds.toFixed(1)} s, OVER the ${TARGET_SECONDS} s target`);
  } finally {
    await db.close();
    await created.drop();
  }
}

function check(report: LegacyReport, phaseRows: number, dataRows: number): void {
  if (report.outcome !== 'committed' || !report.verification?.passed) throw new Error(`migration did not verify: ${JSON.stringify(report.verification ?? report.failure ?? report.problems)}`);
  const moved = report.phaseTables.reduce((n, t) => n + t.migrated, 0);
  const linked = report.dataTables.reduce((n, t) => n + t.rows - t.unlinked - t.unassigned, 0);
  if (moved !== phaseRows || linked !== dataRows) throw new Error(`moved ${moved} of ${phaseRows} phase rows, linked ${linked} of ${dataRows} data rows`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
