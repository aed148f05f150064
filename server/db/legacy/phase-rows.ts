/**
 * Moves the rows of one legacy phase table into `workflow_phases` with set-based SQL:
 * one statement classifies every row, one inserts them all, one or two list what was
 * left behind. Columns with no unified home go into `phase_metadata.legacy`.
 */
import { standardPhase } from '../../core/index';
import type { PhaseStatus } from '../../core/index';
import type { Queryable } from '../database';
import type { PhaseTablePlan } from './discover';
import { STATUS_SPELLINGS, statusKey } from './names';
import type { UnifiedColumn } from './names';
import type { Conflict, MigrationProblem, Orphan, PhaseTableReport, RowRef } from './report';
import { Params, ident } from './sql';

const USER_COLUMNS = ['started_by', 'completed_by', 'created_by', 'updated_by'] as const;
const TIME_COLUMNS = ['started_at', 'completed_at', 'created_at', 'updated_at'] as const;

/** Status spellings (normalised key -> unified status): the built-in ones plus the config's. */
export function statusTable(extra: Readonly<Record<string, PhaseStatus>>): { keys: string[]; values: string[] } {
  const merged: Record<string, string> = { ...STATUS_SPELLINGS };
  for (const [spelling, status] of Object.entries(extra)) merged[statusKey(spelling)] = status;
  return { keys: Object.keys(merged), values: Object.values(merged) };
}

/**
 * The SELECT every statement for one table starts from: one output row per legacy row,
 * with its unified values, its metadata, whether it is an orphan and whether its own
 * unified row exists already (a re-run).
 */
function sourceSql(plan: PhaseTablePlan, statuses: { keys: string[]; values: string[] }, params: Params): string {
  const col = (unified: UnifiedColumn) => plan.columns[unified];
  const ref = (name: string) => `t.${ident(name)}`;
  const cycle = ref(col('cycle_id')!);
  const report = ref(col('report_id')!);
  const keyExpr = plan.key.length === 0 ? `'null'::jsonb` : `jsonb_build_object(${plan.key.map((k) => `${params.p(k)}::text, ${ref(k)}`).join(', ')})`;
  const tableParam = params.p(plan.table);
  const phaseParam = params.p(plan.phase);

  // Text extraction from the json column is several times cheaper than parsing it into jsonb.
  const ownMatch = [
    `json_extract_path_text(own.phase_metadata, 'legacy', 'table') = ${tableParam}`,
    ...(plan.key.length === 0
      ? [`json_extract_path_text(own.phase_metadata, 'legacy', 'key') IS NULL`]
      : plan.key.map((k) => `json_extract_path_text(own.phase_metadata, 'legacy', 'key', ${params.p(k)}::text) = (to_jsonb(${ref(k)}) #>> '{}')`)),
  ].join(' AND ');
  const joins: string[] = [
    `LEFT JOIN test_cycles c ON c.cycle_id = ${cycle}`,
    `LEFT JOIN reports r ON r.id = ${report}`,
    `LEFT JOIN workflow_phases own ON own.cycle_id = ${cycle} AND own.report_id = ${report} AND own.phase_name = ${phaseParam}
       AND ${ownMatch}`,
  ];
  const kept: string[] = [];
  const removed = [...plan.key, ...Object.values(plan.columns)];
  const userSelects: string[] = [];
  const unknownUser: string[] = [];
  for (const user of USER_COLUMNS) {
    const legacy = col(user);
    if (!legacy) {
      userSelects.push(`NULL::integer AS ${user}`);
      continue;
    }
    joins.push(`LEFT JOIN users u_${user} ON u_${user}.user_id = ${ref(legacy)}`);
    userSelects.push(`u_${user}.user_id AS ${user}`);
    const missing = `${ref(legacy)} IS NOT NULL AND u_${user}.user_id IS NULL`;
    unknownUser.push(`(${missing})`);
    kept.push(`${params.p(legacy)}::text, CASE WHEN ${missing} THEN ${ref(legacy)} END`);
  }
  const timeSelects = TIME_COLUMNS.map((time) => {
    const legacy = col(time);
    return `${legacy ? `${ref(legacy)}::timestamp` : 'NULL::timestamp'} AS ${time}`;
  });

  let statusSelect: string;
  let rawStatus: string;
  const statusColumn = col('status');
  if (statusColumn) {
    rawStatus = `${ref(statusColumn)}::text`;
    joins.push(
      `LEFT JOIN unnest(${params.p(statuses.keys)}::text[], ${params.p(statuses.values)}::text[]) AS sm(k, v)
         ON sm.k = COALESCE(upper(regexp_replace(btrim(${rawStatus}, E' \\t\\r\\n'), '[^A-Za-z0-9]+', '_', 'g')), '')`,
    );
    statusSelect = 'sm.v';
  } else {
    // No status column: the dates are all there is to go on.
    rawStatus = 'NULL::text';
    const done = col('completed_at') ? `${ref(col('completed_at')!)} IS NOT NULL` : 'false';
    const begun = col('started_at') ? `${ref(col('started_at')!)} IS NOT NULL` : 'false';
    statusSelect = `CASE WHEN ${done} THEN 'COMPLETED' WHEN ${begun} THEN 'IN_PROGRESS' ELSE 'NOT_STARTED' END`;
  }

  const riskColumn = col('risk_level');
  let riskSelect = 'NULL::text';
  if (riskColumn) {
    const normal = `lower(btrim(${ref(riskColumn)}::text))`;
    riskSelect = `CASE WHEN ${normal} IN ('low', 'medium', 'high') THEN ${normal} END`;
    kept.push(`${params.p(riskColumn)}::text, CASE WHEN ${ref(riskColumn)} IS NOT NULL AND ${normal} NOT IN ('low', 'medium', 'high') THEN ${ref(riskColumn)}::text END`);
  }

  const keptObject = kept.length === 0 ? `'{}'::jsonb` : `jsonb_strip_nulls(jsonb_build_object(${kept.join(', ')}))`;
  const metadata = `jsonb_build_object('legacy', jsonb_build_object(
      'table', ${tableParam}::text, 'key', ${keyExpr}, 'status', ${rawStatus},
      'columns', (to_jsonb(t) - ${params.p(removed)}::text[]) || ${keptObject}))`;
  const orphan = `CASE
      WHEN ${cycle} IS NULL THEN 'no cycle_id'
      WHEN ${report} IS NULL THEN 'no report_id'
      WHEN c.cycle_id IS NULL THEN 'cycle ' || ${cycle} || ' is not in test_cycles'
      WHEN r.id IS NULL THEN 'report ' || ${report} || ' is not in reports'
    END`;

  return `SELECT ${keyExpr} AS key, ${cycle}::integer AS cycle_id, ${report}::integer AS report_id,
      ${rawStatus} AS raw_status, ${statusSelect} AS status,
      ${timeSelects.join(', ')}, ${userSelects.join(', ')},
      ${riskSelect} AS risk_level,
      ${unknownUser.length ? unknownUser.join(' OR ') : 'false'} AS unknown_user,
      ${orphan} AS orphan,
      own.phase_id AS own_phase_id,
      ${metadata} AS metadata
    FROM ${ident(plan.table)} t
    ${joins.join('\n    ')}`;
}

interface KeyedRow {
  key: Record<string, unknown> | null;
  cycle_id: number | null;
  report_id: number | null;
}

function rowRef(table: string, row: KeyedRow): RowRef {
  return { table, key: row.key, cycleId: row.cycle_id, reportId: row.report_id };
}

/** Counts and samples gathered for one table, before anything is written. */
export interface PhaseTableCheck {
  readonly rows: number;
  readonly orphans: number;
  readonly alreadyMigrated: number;
  readonly unknownUsers: number;
  readonly problems: MigrationProblem[];
}

/** Classifies every row of one legacy table and names the rows that cannot be moved (unknown status). */
export async function checkPhaseTable(db: Queryable, plan: PhaseTablePlan, statuses: { keys: string[]; values: string[] }, limit: number): Promise<PhaseTableCheck> {
  const params = new Params();
  const source = sourceSql(plan, statuses, params);
  const counts = (
    await db.query<{ rows: number; orphans: number; already: number; bad: number; unknown_users: number }>(
      `WITH s AS (${source})
       SELECT count(*)::int AS rows,
              count(*) FILTER (WHERE orphan IS NOT NULL)::int AS orphans,
              count(*) FILTER (WHERE orphan IS NULL AND own_phase_id IS NOT NULL)::int AS already,
              count(*) FILTER (WHERE orphan IS NULL AND own_phase_id IS NULL AND status IS NULL)::int AS bad,
              count(*) FILTER (WHERE orphan IS NULL AND own_phase_id IS NULL AND unknown_user)::int AS unknown_users
         FROM s`,
      params.values,
    )
  ).rows[0]!;
  const problems: MigrationProblem[] = [];
  if (counts.bad > 0) {
    const listParams = new Params();
    const listSource = sourceSql(plan, statuses, listParams);
    const bad = await db.query<KeyedRow & { raw_status: string }>(
      `WITH s AS (${listSource})
       SELECT key, cycle_id, report_id, raw_status FROM s
        WHERE orphan IS NULL AND own_phase_id IS NULL AND status IS NULL
        ORDER BY key LIMIT ${listParams.p(limit)}`,
      listParams.values,
    );
    for (const row of bad.rows) {
      problems.push({
        table: plan.table,
        row: rowRef(plan.table, row),
        column: plan.columns.status!,
        message: `status '${row.raw_status}' has no unified equivalent; add it under "statuses" in the config file (e.g. "${row.raw_status}": "IN_PROGRESS")`,
      });
    }
    if (counts.bad > bad.rows.length) {
      problems.push({ table: plan.table, message: `and ${counts.bad - bad.rows.length} more rows with an unknown status` });
    }
  }
  return { rows: counts.rows, orphans: counts.orphans, alreadyMigrated: counts.already, unknownUsers: counts.unknown_users, problems };
}

/** Inserts every movable row in one statement; resolves to the number inserted. */
export async function insertPhaseRows(db: Queryable, plan: PhaseTablePlan, statuses: { keys: string[]; values: string[] }): Promise<number> {
  const params = new Params();
  const source = sourceSql(plan, statuses, params);
  const phase = standardPhase(plan.phase)!;
  // DISTINCT ON keeps the lowest key of duplicates within the table; ON CONFLICT leaves
  // existing unified rows alone. Both kinds of leftover are reported as conflicts.
  const result = await db.query(
    `WITH s AS (${source})
     INSERT INTO workflow_phases (cycle_id, report_id, phase_name, phase_order, status,
         started_at, started_by, completed_at, completed_by, risk_level, phase_metadata,
         created_at, updated_at, created_by, updated_by)
     SELECT DISTINCT ON (s.cycle_id, s.report_id)
            s.cycle_id, s.report_id, ${params.p(phase.name)}, ${params.p(phase.order)}::integer, s.status,
            s.started_at, s.started_by, s.completed_at, s.completed_by, s.risk_level, s.metadata::json,
            COALESCE(s.created_at, LOCALTIMESTAMP), COALESCE(s.updated_at, LOCALTIMESTAMP), s.created_by, s.updated_by
       FROM s
      WHERE s.orphan IS NULL AND s.own_phase_id IS NULL AND s.status IS NOT NULL
      ORDER BY s.cycle_id, s.report_id, s.key
     ON CONFLICT (cycle_id, report_id, phase_name) DO NOTHING`,
    params.values,
  );
  return result.rowCount;
}

/** After the insert: the rows left behind, counted and (up to `limit`) named. */
export async function leftovers(
  db: Queryable,
  plan: PhaseTablePlan,
  statuses: { keys: string[]; values: string[] },
  limit: number,
): Promise<{ conflicts: number; conflictList: Conflict[]; orphanList: Orphan[] }> {
  const params = new Params();
  const source = sourceSql(plan, statuses, params);
  const phaseParam = params.p(plan.phase);
  const rows = await db.query<KeyedRow & { kind: string; total: number; orphan: string | null; existing_id: number | null; existing_from: string | null }>(
    `WITH s AS (${source}),
          c AS (SELECT s.key, s.cycle_id, s.report_id, s.orphan, ex.phase_id AS existing_id,
                       json_extract_path_text(ex.phase_metadata, 'legacy', 'table') AS existing_from,
                       CASE WHEN s.orphan IS NOT NULL THEN 'orphan' ELSE 'conflict' END AS kind
                  FROM s
                  LEFT JOIN workflow_phases ex ON ex.cycle_id = s.cycle_id AND ex.report_id = s.report_id AND ex.phase_name = ${phaseParam}
                 WHERE s.orphan IS NOT NULL OR s.own_phase_id IS NULL),
          n AS (SELECT kind, count(*)::int AS total FROM c GROUP BY kind),
          ranked AS (SELECT c.*, row_number() OVER (PARTITION BY kind ORDER BY key) AS rn FROM c)
     SELECT ranked.*, n.total FROM ranked JOIN n USING (kind) WHERE rn <= ${params.p(limit)} ORDER BY kind, key`,
    params.values,
  );
  const conflictList: Conflict[] = [];
  const orphanList: Orphan[] = [];
  let conflicts = 0;
  for (const row of rows.rows) {
    if (row.kind === 'orphan') {
      orphanList.push({ row: rowRef(plan.table, row), reason: row.orphan! });
    } else {
      conflicts = row.total;
      conflictList.push({ row: rowRef(plan.table, row), phase: plan.phase, existingPhaseId: row.existing_id!, existingFrom: row.existing_from });
    }
  }
  return { conflicts, conflictList, orphanList };
}

/** The report line of a table whose checks and insert are done. */
export function phaseTableReport(plan: PhaseTablePlan, check: PhaseTableCheck, migrated: number, conflicts: number): PhaseTableReport {
  const columnMap: Record<string, string> = {};
  for (const [unified, legacy] of Object.entries(plan.columns)) columnMap[legacy] = unified;
  return {
    table: plan.table,
    phase: plan.phase,
    source: plan.source,
    columnMap,
    rows: check.rows,
    alreadyMigrated: check.alreadyMigrated,
    migrated,
    conflicts,
    orphans: check.orphans,
    unknownUsers: check.unknownUsers,
    notes: plan.notes,
  };
}

/** For verification: the table's rows, and how many have their own unified row. */
export async function countMigrated(db: Queryable, plan: PhaseTablePlan, statuses: { keys: string[]; values: string[] }): Promise<{ rows: number; migrated: number }> {
  const params = new Params();
  const source = sourceSql(plan, statuses, params);
  return (await db.query<{ rows: number; migrated: number }>(`WITH s AS (${source}) SELECT count(*)::int AS rows, count(own_phase_id)::int AS migrated FROM s`, params.values)).rows[0]!;
}

/**
 * After a failed insert (rolled back to its savepoint): the legacy rows behind the
 * unified row PostgreSQL named in "Failing row contains (phase_id, cycle_id, report_id, ...)".
 */
export async function rowsBehindFailure(
  db: Queryable,
  plan: PhaseTablePlan,
  statuses: { keys: string[]; values: string[] },
  detail: string | null,
): Promise<RowRef[]> {
  const match = /^Failing row contains \((?:\d+|null), (\d+), (\d+), /.exec(detail ?? '');
  if (!match) return [];
  const params = new Params();
  const source = sourceSql(plan, statuses, params);
  const rows = await db.query<KeyedRow>(
    `WITH s AS (${source}) SELECT key, cycle_id, report_id FROM s
      WHERE cycle_id = ${params.p(Number(match[1]))} AND report_id = ${params.p(Number(match[2]))} AND orphan IS NULL ORDER BY key`,
    params.values,
  );
  return rows.rows.map((row) => rowRef(plan.table, row));
}
