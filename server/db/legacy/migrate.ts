/**
 * The legacy migration, start to end, in one transaction: discover, move phase rows,
 * re-point references, link data tables, verify, and drop the legacy tables only when
 * asked and verified. A dry run does it all and rolls back after the full report.
 */
import type { Database, Queryable } from '../database';
import { readCatalog } from './catalog';
import type { LegacyConfig } from './config';
import { checkExistingPhaseIds, checkRepoint, linkDataTable, repoint } from './data-tables';
import { discover } from './discover';
import type { Discovery, PhaseTablePlan } from './discover';
import { readLinkedPhases } from './linked-phases';
import { checkPhaseTable, insertPhaseRows, leftovers, phaseTableReport, rowsBehindFailure, statusTable } from './phase-rows';
import { emptyReport } from './report';
import type { LegacyReport } from './report';
import { ident } from './sql';
import { verify } from './verify';

/** What to do. */
export interface LegacyOptions {
  readonly config: LegacyConfig;
  readonly dryRun: boolean;
  readonly dropLegacy: boolean;
  /** How many rows to name per table in each list (conflicts, orphans, problems). */
  readonly listLimit?: number;
  /** For the report: which database this is. */
  readonly databaseDescription?: string;
  /** Schema migrations applied before this run, for the report. */
  readonly schemaMigrations?: readonly string[];
  /** Runs first inside the transaction (a dry run applies pending schema migrations here). */
  readonly prepare?: (tx: Queryable) => Promise<void>;
}

/** A database error carries a SQLSTATE; anything else thrown is a bug. */
function databaseError(error: unknown): { message: string; detail: string | null } | undefined {
  const e = error as { code?: unknown; message?: unknown; detail?: unknown; constraint?: unknown };
  if (typeof e?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  const constraint = typeof e.constraint === 'string' ? ` (constraint ${e.constraint})` : '';
  return { message: `${String(e.message)}${constraint}`, detail: typeof e.detail === 'string' ? e.detail : null };
}

class Stop extends Error {}

// Any fixed 64-bit number distinct from the schema runner's lock; ours alone.
const LEGACY_LOCK_KEY = 7_720_331_583;

/**
 * Runs the migration on `tx`, which must be inside a transaction the caller owns.
 * Never commits or rolls back; the report says whether the work should be kept
 * (`outcome`, set to `committed` only when it should).
 */
export async function runLegacyMigration(tx: Queryable, options: LegacyOptions): Promise<LegacyReport> {
  const started = Date.now();
  const limit = options.listLimit ?? 20;
  // Two runs at once would race on the same rows and tables: the second waits, then finds nothing to do.
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [LEGACY_LOCK_KEY]);
  if (options.prepare) await options.prepare(tx);
  const catalog = await readCatalog(tx);
  const report = emptyReport({
    database: options.databaseDescription ?? 'postgres',
    schema: catalog.schema,
    dryRun: options.dryRun,
    dropRequested: options.dropLegacy,
    schemaMigrations: options.schemaMigrations ?? [],
    listLimit: limit,
  });
  const finish = (keep: boolean) => {
    report.outcome = keep && !options.dryRun ? 'committed' : 'rolled-back';
    report.elapsedMs = Date.now() - started;
    return report;
  };
  if (!catalog.tables.has('workflow_phases')) {
    report.failure = {
      step: 'discover',
      table: 'workflow_phases',
      message: `workflow_phases does not exist in schema ${catalog.schema}: apply the Workflow Phases schema (migration 0001) first`,
      detail: null,
      rows: [],
    };
    return finish(false);
  }

  const discovery = discover(catalog, options.config, await readLinkedPhases(tx, catalog, options.config));
  report.unrecognised = [...discovery.unrecognised];
  report.warnings = [...discovery.warnings];
  report.problems = [...discovery.problems];
  if (report.problems.length > 0) return finish(false);

  const statuses = statusTable(options.config.statuses);
  const step = async <T>(name: string, table: string | null, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const db = databaseError(error);
      if (!db) throw error;
      report.failure = { step: name, table, ...db, rows: [] };
      throw new Stop();
    }
  };

  try {
    await movePhaseRows(tx, discovery, report, statuses, limit, step);
    if (report.problems.length > 0) return finish(false);
    await linkData(tx, discovery, report, limit, step);
    if (report.problems.length > 0) return finish(false);
    report.verification = await step('verify', null, () => verify(tx, discovery, statuses));
    report.nothingToDo =
      report.phaseTables.every((t) => t.migrated === 0) &&
      report.repointed.length === 0 &&
      report.dataTables.every((t) => !t.addedPhaseId && t.backfilled === 0 && !t.addedForeignKey && !t.addedIndex);
    if (options.dropLegacy) {
      if (!report.verification.passed) {
        report.dropRefused = `verification failed: ${report.verification.checks.filter((c) => !c.passed).map((c) => `${c.name} (${c.detail})`).join('; ')}`;
        return finish(false);
      }
      for (const plan of discovery.phaseTables) {
        await step('drop', plan.table, () => tx.query(`DROP TABLE ${ident(plan.table)}`));
        report.dropped.push(plan.table);
      }
      if (report.dropped.length > 0) report.nothingToDo = false;
    }
    return finish(true);
  } catch (error) {
    if (error instanceof Stop) return finish(false);
    throw error;
  }
}

type Step = <T>(name: string, table: string | null, work: () => Promise<T>) => Promise<T>;

async function movePhaseRows(tx: Queryable, discovery: Discovery, report: LegacyReport, statuses: { keys: string[]; values: string[] }, limit: number, step: Step) {
  for (const plan of discovery.phaseTables) {
    const check = await step('check phase rows', plan.table, () => checkPhaseTable(tx, plan, statuses, limit));
    report.problems.push(...check.problems);
    // After the first bad table, keep checking the rest (read-only) so one run names every bad row.
    if (report.problems.length > 0) {
      report.phaseTables.push(phaseTableReport(plan, check, 0, 0));
      continue;
    }
    const migrated = await moveWithSavepoint(tx, plan, report, statuses, step);
    // Every row accounted for (moved now or before, none orphaned): no leftovers to look for.
    const complete = check.orphans === 0 && migrated + check.alreadyMigrated === check.rows;
    const left = complete
      ? { conflicts: 0, conflictList: [], orphanList: [] }
      : await step('list conflicts and orphans', plan.table, () => leftovers(tx, plan, statuses, limit));
    report.conflicts.push(...left.conflictList);
    report.orphans.push(...left.orphanList);
    report.phaseTables.push(phaseTableReport(plan, check, migrated, left.conflicts));
  }
}

/** The insert under a savepoint, so that when it fails the rows behind the failure can still be looked up and named. */
async function moveWithSavepoint(tx: Queryable, plan: PhaseTablePlan, report: LegacyReport, statuses: { keys: string[]; values: string[] }, step: Step): Promise<number> {
  await step('move phase rows', plan.table, () => tx.query('SAVEPOINT legacy_move'));
  try {
    const moved = await insertPhaseRows(tx, plan, statuses);
    await tx.query('RELEASE SAVEPOINT legacy_move');
    return moved;
  } catch (error) {
    const db = databaseError(error);
    if (!db) throw error;
    await step('move phase rows', plan.table, () => tx.query('ROLLBACK TO SAVEPOINT legacy_move'));
    const rows = await step('move phase rows', plan.table, () => rowsBehindFailure(tx, plan, statuses, db.detail));
    report.failure = { step: 'move phase rows', table: plan.table, ...db, rows };
    throw new Stop();
  }
}

async function linkData(tx: Queryable, discovery: Discovery, report: LegacyReport, limit: number, step: Step) {
  const legacy = new Map(discovery.phaseTables.map((t) => [t.table, t]));
  const keyOf = (table: string) => discovery.dataTables.find((d) => d.table === table)?.key ?? [];
  for (const plan of discovery.repoints) {
    report.problems.push(...(await step('check references', plan.table, () => checkRepoint(tx, plan, legacy.get(plan.legacyTable)!, keyOf(plan.table), limit))));
  }
  for (const plan of discovery.dataTables) {
    report.problems.push(...(await step('check phase_id', plan.table, () => checkExistingPhaseIds(tx, plan, limit))));
  }
  if (report.problems.length > 0) return;
  for (const plan of discovery.repoints) {
    report.repointed.push(await step('re-point foreign key', plan.table, () => repoint(tx, plan, legacy.get(plan.legacyTable)!)));
  }
  for (const plan of discovery.dataTables) {
    const linked = await step('link data table', plan.table, () => linkDataTable(tx, plan, limit));
    report.dataTables.push(linked.report);
    report.unlinkedRows.push(...linked.unlinkedRows);
  }
}

/** Thrown inside the transaction to roll back a run whose report says not to keep it. */
class RollBack extends Error {}

/**
 * Runs the migration in one transaction of `db`: commits only when the report says so
 * (not a dry run, no problem, no failure, no refused drop), otherwise rolls back.
 */
export async function migrateLegacy(db: Pick<Database, 'transaction'>, options: LegacyOptions): Promise<LegacyReport> {
  let report: LegacyReport | undefined;
  try {
    await db.transaction(async (tx) => {
      report = await runLegacyMigration(tx, options);
      if (report.outcome !== 'committed') throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  return report!;
}
