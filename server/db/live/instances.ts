/**
 * The instance list of the editor's tree: every test cycle with its totals, and one
 * keyset page of (cycle, report) instances with theirs — done/total phases, phases in
 * progress, blocked activities, phases past their SLA. Set-based: the same few
 * statements whatever the number of instances, and a page costs its own rows only.
 */
import type { CycleSummary, InstanceFilter, InstanceSummary } from '../../../schemas/lsp-protocol';
import type { Queryable } from '../database';
import { OVERDUE } from './sla';

/** Where a page starts: after this (cycle name, report name). */
export interface InstanceCursor {
  readonly cycle: string;
  readonly report: string;
}

/** What to list. */
export interface InstanceQuery {
  /** Only this cycle's instances. */
  readonly cycleId?: number;
  readonly filter: InstanceFilter;
  readonly limit: number;
  readonly after?: InstanceCursor;
  /** The acting user, for `mine` (nobody: `mine` lists nothing). */
  readonly user: { readonly id: number | null; readonly role: string | null };
}

/** The cycles, one page of instances, and where the next page starts (null on the last). */
export interface InstanceList {
  readonly cycles: CycleSummary[];
  readonly instances: InstanceSummary[];
  readonly next: InstanceCursor | null;
}

/** The cursor as an opaque string for the client. */
export function encodeCursor(cursor: InstanceCursor): string {
  return Buffer.from(JSON.stringify([cursor.cycle, cursor.report])).toString('base64url');
}

/** Reads a cursor the client sent back; null when it is not one of ours. */
export function decodeCursor(text: string): InstanceCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return { cycle: value[0], report: value[1] };
  } catch {
    // not JSON: not ours
  }
  return null;
}

// Parameters: $1 cycle id or null, $2/$3 the cursor (cycle name, report name) or null,
// $4 the page size + 1, and for `mine` only: $5 the acting user's id, $6 their role.
// `OFFSET 0` / `LIMIT 1` keep a lateral lookup a lookup: without them the planner
// flattens it into a hash join that reads a whole table for a handful of rows.
const BUSY = `
  SELECT p.cycle_id, p.report_id, count(*)::int AS in_progress, count(*) FILTER (WHERE ${OVERDUE})::int AS overdue
    FROM workflow_phases p
   WHERE p.status = 'IN_PROGRESS' AND ($1::int IS NULL OR p.cycle_id = $1)
   GROUP BY p.cycle_id, p.report_id`;

const STUCK = `
  SELECT p.cycle_id, p.report_id, count(*)::int AS blocked
    FROM workflow_activities a
    CROSS JOIN LATERAL (SELECT cycle_id, report_id FROM workflow_phases x WHERE x.phase_id = a.phase_id OFFSET 0) p
   WHERE a.status = 'BLOCKED' AND ($1::int IS NULL OR p.cycle_id = $1)
   GROUP BY p.cycle_id, p.report_id`;

/**
 * The instances each filter lists, as (cycle_id, report_id): every (cycle, report) with
 * phase rows for `all` (rows no sync created count too); otherwise only the few open
 * rows, read through the partial indexes of migration 0003.
 */
const MATCHING: Readonly<Record<InstanceFilter, string>> = {
  // Ordered like the (cycle_id, report_id, phase_name) index, so it is read in index order
  // (an index-only scan) instead of hashing every phase row.
  all: 'SELECT cycle_id, report_id FROM workflow_phases WHERE $1::int IS NULL OR cycle_id = $1 GROUP BY cycle_id, report_id ORDER BY cycle_id, report_id',
  'in-progress': 'SELECT cycle_id, report_id FROM busy',
  blocked: 'SELECT cycle_id, report_id FROM stuck',
  mine: `
  SELECT p.cycle_id, p.report_id
    FROM workflow_activities a
    CROSS JOIN LATERAL (SELECT cycle_id, report_id FROM workflow_phases x WHERE x.phase_id = a.phase_id OFFSET 0) p
   WHERE a.started_by = $5::int AND a.status IN ('IN_PROGRESS', 'BLOCKED', 'REVISION_REQUESTED') AND ($1::int IS NULL OR p.cycle_id = $1)
  UNION
  SELECT p.cycle_id, p.report_id
    FROM workflow_phases p
    CROSS JOIN LATERAL (SELECT 1 FROM workflow_activities a
                         WHERE a.phase_id = p.phase_id AND a.role = $6::text AND a.status IN ('NOT_STARTED', 'REVISION_REQUESTED') LIMIT 1) w
   WHERE p.status = 'IN_PROGRESS' AND ($1::int IS NULL OR p.cycle_id = $1)`,
};

interface CycleRow {
  cycle_id: number;
  cycle_name: string;
  instances: number;
  in_progress: number;
  blocked: number;
  overdue: number;
}

interface InstanceRow {
  cycle_id: number;
  report_id: number;
  cycle_name: string;
  report_name: string;
  workflow_name: string | null;
  done: number;
  total: number;
  in_progress: number;
  blocked: number;
  overdue: number;
  current: string | null;
}

/** Lists the cycles with their totals and one page of instances, by cycle name then report name. */
export async function listInstances(q: Queryable, query: InstanceQuery): Promise<InstanceList> {
  // One round trip: the open sets and the matching set are computed once, then totalled
  // per cycle and paged. The page asks for one row more than the limit: is there a next page?
  const params: unknown[] = [query.cycleId ?? null, query.after?.cycle ?? null, query.after?.report ?? null, query.limit + 1];
  if (query.filter === 'mine') params.push(query.user.id, query.user.role);
  const { rows: [result] } = await q.query<{ cycles: CycleRow[] | null; page: InstanceRow[] | null }>(
    `WITH busy AS MATERIALIZED (${BUSY}), stuck AS MATERIALIZED (${STUCK}),
     f AS MATERIALIZED (${MATCHING[query.filter]}),
     cycles AS (
       SELECT c.cycle_id, c.cycle_name, count(*)::int AS instances,
              count(b.cycle_id)::int AS in_progress,
              count(s.cycle_id)::int AS blocked,
              count(*) FILTER (WHERE b.overdue > 0)::int AS overdue
         FROM f JOIN test_cycles c ON c.cycle_id = f.cycle_id
         LEFT JOIN busy b ON b.cycle_id = f.cycle_id AND b.report_id = f.report_id
         LEFT JOIN stuck s ON s.cycle_id = f.cycle_id AND s.report_id = f.report_id
        GROUP BY c.cycle_id, c.cycle_name
     ), page AS (
       SELECT f.cycle_id, f.report_id, c.cycle_name, r.report_name
         FROM f JOIN test_cycles c ON c.cycle_id = f.cycle_id JOIN reports r ON r.id = f.report_id
        WHERE $2::text IS NULL OR (c.cycle_name, r.report_name) > ($2::text, $3::text)
        ORDER BY c.cycle_name, r.report_name
        LIMIT $4
     ), rows AS (
       SELECT g.cycle_id, g.report_id, g.cycle_name, g.report_name, i.workflow_name, COALESCE(s.blocked, 0) AS blocked,
              count(*) FILTER (WHERE p.status IN ('COMPLETED', 'SKIPPED'))::int AS done,
              count(*)::int AS total,
              count(*) FILTER (WHERE p.status = 'IN_PROGRESS')::int AS in_progress,
              count(*) FILTER (WHERE ${OVERDUE})::int AS overdue,
              COALESCE((array_agg(p.phase_name ORDER BY p.phase_order) FILTER (WHERE p.status = 'IN_PROGRESS'))[1],
                       (array_agg(p.phase_name ORDER BY p.phase_order) FILTER (WHERE p.status = 'NOT_STARTED'))[1]) AS current
         FROM page g
         JOIN workflow_phases p ON p.cycle_id = g.cycle_id AND p.report_id = g.report_id
         LEFT JOIN workflow_instances i ON i.cycle_id = g.cycle_id AND i.report_id = g.report_id
         LEFT JOIN stuck s ON s.cycle_id = g.cycle_id AND s.report_id = g.report_id
        GROUP BY g.cycle_id, g.report_id, g.cycle_name, g.report_name, i.workflow_name, s.blocked
     )
     SELECT (SELECT json_agg(cycles ORDER BY cycle_name, cycle_id) FROM cycles) AS cycles,
            (SELECT json_agg(rows ORDER BY cycle_name, report_name) FROM rows) AS page`,
    params,
  );
  const page = { rows: result?.page ?? [] };
  const cycles = { rows: result?.cycles ?? [] };
  const rows = page.rows.slice(0, query.limit);
  const last = rows[rows.length - 1];
  return {
    cycles: cycles.rows.map((c) => ({ cycleId: c.cycle_id, cycle: c.cycle_name, instances: c.instances, inProgress: c.in_progress, blocked: c.blocked, overdue: c.overdue })),
    instances: rows.map((r) => ({
      cycleId: r.cycle_id,
      cycle: r.cycle_name,
      reportId: r.report_id,
      report: r.report_name,
      workflow: r.workflow_name,
      done: r.done,
      total: r.total,
      inProgress: r.in_progress,
      blocked: r.blocked,
      overdue: r.overdue,
      current: r.current,
    })),
    next: page.rows.length > query.limit && last ? { cycle: last.cycle_name, report: last.report_name } : null,
  };
}
