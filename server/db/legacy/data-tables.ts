/**
 * The data side of the migration, set-based: foreign keys that pointed at legacy phase
 * tables are re-pointed at `workflow_phases`, and every data table gains a back-filled
 * `phase_id` with its foreign key and an index.
 */
import type { Queryable } from '../database';
import type { DataTablePlan, PhaseTablePlan, RepointPlan } from './discover';
import type { DataTableReport, MigrationProblem, RepointReport, RowRef } from './report';
import { Params, ident, objectName } from './sql';

function keyExpr(key: readonly string[], alias: string, params: Params): string {
  return key.length === 0 ? `'null'::jsonb` : `jsonb_build_object(${key.map((k) => `${params.p(k)}::text, ${alias}.${ident(k)}`).join(', ')})`;
}

/** Rows of the referencing table whose legacy phase row has no unified row: they could not be re-pointed. */
export async function checkRepoint(db: Queryable, plan: RepointPlan, legacy: PhaseTablePlan, tableKey: readonly string[], limit: number): Promise<MigrationProblem[]> {
  const params = new Params();
  const rows = await db.query<{ key: Record<string, unknown> | null; ref: unknown; total: number }>(
    `SELECT ${keyExpr(tableKey, 'd', params)} AS key, d.${ident(plan.column)} AS ref, count(*) OVER ()::int AS total
       FROM ${ident(plan.table)} d
       LEFT JOIN ${ident(plan.legacyTable)} l ON l.${ident(plan.legacyColumn)} = d.${ident(plan.column)}
       LEFT JOIN workflow_phases wp ON wp.cycle_id = l.${ident(legacy.columns.cycle_id!)} AND wp.report_id = l.${ident(legacy.columns.report_id!)}
                                   AND wp.phase_name = ${params.p(legacy.phase)}
      WHERE d.${ident(plan.column)} IS NOT NULL AND wp.phase_id IS NULL
      ORDER BY 1 LIMIT ${params.p(limit)}`,
    params.values,
  );
  const problems: MigrationProblem[] = rows.rows.map((row) => ({
    table: plan.table,
    row: { table: plan.table, key: row.key, cycleId: null, reportId: null },
    column: plan.column,
    message: `references ${plan.legacyTable}.${plan.legacyColumn} = ${String(row.ref)}, a legacy row that has no unified row (orphan or missing), so it cannot be re-pointed`,
  }));
  const total = rows.rows[0]?.total ?? 0;
  if (total > rows.rows.length) problems.push({ table: plan.table, message: `and ${total - rows.rows.length} more such rows` });
  return problems;
}

/** Translates the column's values to unified phase ids and moves its foreign key to workflow_phases. */
export async function repoint(db: Queryable, plan: RepointPlan, legacy: PhaseTablePlan): Promise<RepointReport> {
  const params = new Params();
  await db.query(`ALTER TABLE ${ident(plan.table)} DROP CONSTRAINT ${ident(plan.constraint)}`);
  const updated = await db.query(
    `UPDATE ${ident(plan.table)} d SET ${ident(plan.column)} = wp.phase_id
       FROM ${ident(plan.legacyTable)} l
       JOIN workflow_phases wp ON wp.cycle_id = l.${ident(legacy.columns.cycle_id!)} AND wp.report_id = l.${ident(legacy.columns.report_id!)}
                              AND wp.phase_name = ${params.p(legacy.phase)}
      WHERE l.${ident(plan.legacyColumn)} = d.${ident(plan.column)}`,
    params.values,
  );
  await db.query(`ALTER TABLE ${ident(plan.table)} ADD CONSTRAINT ${ident(plan.constraint)} FOREIGN KEY (${ident(plan.column)}) REFERENCES workflow_phases (phase_id)`);
  return { table: plan.table, column: plan.column, constraint: plan.constraint, from: plan.legacyTable, rows: updated.rowCount };
}

/** An existing phase_id column without a unified foreign key: rows whose value is no unified phase id. */
export async function checkExistingPhaseIds(db: Queryable, plan: DataTablePlan, limit: number): Promise<MigrationProblem[]> {
  if (!plan.phaseIdColumn || plan.phaseIdHasUnifiedKey || plan.referenceColumns.includes('phase_id')) return [];
  const params = new Params();
  const rows = await db.query<{ key: Record<string, unknown> | null; phase_id: number }>(
    `SELECT ${keyExpr(plan.key, 'd', params)} AS key, d.phase_id
       FROM ${ident(plan.table)} d LEFT JOIN workflow_phases wp ON wp.phase_id = d.phase_id
      WHERE d.phase_id IS NOT NULL AND wp.phase_id IS NULL
      ORDER BY 1 LIMIT ${params.p(limit)}`,
    params.values,
  );
  return rows.rows.map((row) => ({
    table: plan.table,
    row: { table: plan.table, key: row.key, cycleId: null, reportId: null },
    column: 'phase_id',
    message: `phase_id ${row.phase_id} is not a workflow_phases.phase_id, so the foreign key cannot be added`,
  }));
}

/** Adds, back-fills and keys `phase_id` on one data table. */
export async function linkDataTable(db: Queryable, plan: DataTablePlan, limit: number): Promise<{ report: DataTableReport; unlinkedRows: RowRef[] }> {
  const table = ident(plan.table);
  let addedPhaseId = false;
  if (!plan.phaseIdColumn) {
    await db.query(`ALTER TABLE ${table} ADD COLUMN phase_id INTEGER`);
    addedPhaseId = true;
  }
  let backfilled = 0;
  if (plan.cycleColumn && plan.reportColumn) {
    const params = new Params();
    const result = await db.query(
      `UPDATE ${table} d SET phase_id = wp.phase_id
         FROM workflow_phases wp
        WHERE wp.cycle_id = d.${ident(plan.cycleColumn)} AND wp.report_id = d.${ident(plan.reportColumn)}
          AND wp.phase_name = ${params.p(plan.phase)} AND d.phase_id IS NULL`,
      params.values,
    );
    backfilled += result.rowCount;
  }
  for (const column of plan.referenceColumns) {
    if (column === 'phase_id') continue;
    // Re-pointed already, so the reference holds the unified phase id.
    const result = await db.query(`UPDATE ${table} SET phase_id = ${ident(column)} WHERE phase_id IS NULL AND ${ident(column)} IS NOT NULL`);
    backfilled += result.rowCount;
  }
  const hasKey = plan.phaseIdHasUnifiedKey || plan.referenceColumns.includes('phase_id');
  if (!hasKey) {
    await db.query(`ALTER TABLE ${table} ADD CONSTRAINT ${ident(objectName(plan.table, 'phase_id_fkey'))} FOREIGN KEY (phase_id) REFERENCES workflow_phases (phase_id)`);
  }
  if (!plan.phaseIdIndexed) {
    await db.query(`CREATE INDEX ${ident(objectName(plan.table, 'phase_id_idx'))} ON ${table} (phase_id)`);
  }
  const counts = await countDataRows(db, plan);
  const unlinkedRows = counts.unlinked > 0 ? await listUnlinked(db, plan, limit) : [];
  const report: DataTableReport = {
    table: plan.table,
    phase: plan.phase,
    phaseFrom: plan.phaseFrom,
    rows: counts.rows,
    addedPhaseId,
    backfilled,
    addedForeignKey: !hasKey,
    addedIndex: !plan.phaseIdIndexed,
    unassigned: counts.unassigned,
    unlinked: counts.unlinked,
  };
  return { report, unlinkedRows };
}

/** Up to `limit` rows that have a (cycle, report) but no unified phase to link to, named. */
async function listUnlinked(db: Queryable, plan: DataTablePlan, limit: number): Promise<RowRef[]> {
  if (!plan.cycleColumn || !plan.reportColumn) return [];
  const params = new Params();
  const rows = await db.query<{ key: Record<string, unknown> | null; cycle_id: number; report_id: number }>(
    `SELECT ${keyExpr(plan.key, 'd', params)} AS key, d.${ident(plan.cycleColumn)}::integer AS cycle_id, d.${ident(plan.reportColumn)}::integer AS report_id
       FROM ${ident(plan.table)} d
      WHERE d.phase_id IS NULL AND d.${ident(plan.cycleColumn)} IS NOT NULL AND d.${ident(plan.reportColumn)} IS NOT NULL
      ORDER BY 1 LIMIT ${params.p(limit)}`,
    params.values,
  );
  return rows.rows.map((row) => ({ table: plan.table, key: row.key, cycleId: row.cycle_id, reportId: row.report_id }));
}

/**
 * Counts a data table's rows: all, those with nothing to link them by (no cycle/report
 * and no legacy reference), and those that have something but still no phase_id.
 */
export async function countDataRows(db: Queryable, plan: DataTablePlan): Promise<{ rows: number; unassigned: number; unlinked: number; mislinked: number }> {
  const anchors: string[] = [];
  if (plan.cycleColumn && plan.reportColumn) anchors.push(`(d.${ident(plan.cycleColumn)} IS NOT NULL AND d.${ident(plan.reportColumn)} IS NOT NULL)`);
  for (const column of plan.referenceColumns) anchors.push(`d.${ident(column)} IS NOT NULL`);
  const anchored = anchors.length ? anchors.join(' OR ') : 'false';
  const params = new Params();
  const sameInstance =
    plan.cycleColumn && plan.reportColumn
      ? `(d.${ident(plan.cycleColumn)} IS NULL OR d.${ident(plan.cycleColumn)} = wp.cycle_id) AND (d.${ident(plan.reportColumn)} IS NULL OR d.${ident(plan.reportColumn)} = wp.report_id)`
      : 'true';
  const row = (
    await db.query<{ rows: number; unassigned: number; unlinked: number; mislinked: number }>(
      `SELECT count(*)::int AS rows,
              count(*) FILTER (WHERE NOT (${anchored}) AND d.phase_id IS NULL)::int AS unassigned,
              count(*) FILTER (WHERE (${anchored}) AND d.phase_id IS NULL)::int AS unlinked,
              count(*) FILTER (WHERE d.phase_id IS NOT NULL AND (wp.phase_id IS NULL OR wp.phase_name <> ${params.p(plan.phase)} OR NOT (${sameInstance})))::int AS mislinked
         FROM ${ident(plan.table)} d LEFT JOIN workflow_phases wp ON wp.phase_id = d.phase_id`,
      params.values,
    )
  ).rows[0]!;
  return row;
}
