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

// Parameters: $1 the cycle ids in scope (null: every cycle); the page's $2/$3 the cursor
// and $4 the page size; last, for `mine` only, the acting user's id and role.
// `OFFSET 0` / `LIMIT 1` keep a lateral lookup a lookup: without them the planner
// flattens it into a hash join that reads a whole table for a handful of rows.
const IN_SCOPE = '($1::int[] IS NULL OR p.cycle_id = ANY($1::int[]))';

/**
 * Every instance with something open — phases in progress (and of those, overdue) and
 * blocked activities — read through the partial indexes of migration 0003: it costs what
 * is open, not the tables.
 */
const OPEN = `
  SELECT cycle_id, report_id, sum(in_progress)::int AS in_progress, sum(overdue)::int AS overdue, sum(blocked)::int AS blocked
    FROM (SELECT p.cycle_id, p.report_id, 1 AS in_progress, (${OVERDUE})::int AS overdue, 0 AS blocked
            FROM workflow_phases p WHERE p.status = 'IN_PROGRESS' AND ${IN_SCOPE}
          UNION ALL
          SELECT p.cycle_id, p.report_id, 0, 0, 1
            FROM workflow_activities a
            CROSS JOIN LATERAL (SELECT cycle_id, report_id FROM workflow_phases x WHERE x.phase_id = a.phase_id OFFSET 0) p
           WHERE a.status = 'BLOCKED' AND ${IN_SCOPE}) o
   GROUP BY cycle_id, report_id`;

/** The acting user's instances: an activity they started that is not done, or one waiting for their role in a phase in progress. */
const OWN = (user: number) => `
  SELECT p.cycle_id, p.report_id
    FROM workflow_activities a
    CROSS JOIN LATERAL (SELECT cycle_id, report_id FROM workflow_phases x WHERE x.phase_id = a.phase_id OFFSET 0) p
   WHERE a.started_by = $${user}::int AND a.status IN ('IN_PROGRESS', 'BLOCKED', 'REVISION_REQUESTED') AND ${IN_SCOPE}
  UNION
  SELECT p.cycle_id, p.report_id
    FROM workflow_phases p
    CROSS JOIN LATERAL (SELECT 1 FROM workflow_activities a
                         WHERE a.phase_id = p.phase_id AND a.role = $${user + 1}::text AND a.status IN ('NOT_STARTED', 'REVISION_REQUESTED') LIMIT 1) w
   WHERE p.status = 'IN_PROGRESS' AND ${IN_SCOPE}`;

/**
 * Per filter: `f`, the instances it lists, as (cycle_id, report_id) — every (cycle, report)
 * with phase rows for `all` (rows no sync created count too) — and `t`, the per-instance
 * open counts of exactly those, for the totals (`all` totals the open set directly: it is
 * all within `f`). `count(*) FILTER (WHERE x > 0)` skips the nulls of instances with nothing open.
 */
const FILTER_SETS: Readonly<Record<InstanceFilter, (user: number) => string>> = {
  // Ordered like the (cycle_id, report_id, phase_name) index, so it is read in index order
  // (an index-only scan) instead of hashing every phase row.
  all: () => `f AS MATERIALIZED (SELECT p.cycle_id, p.report_id FROM workflow_phases p WHERE ${IN_SCOPE} GROUP BY p.cycle_id, p.report_id ORDER BY p.cycle_id, p.report_id),
              t AS (SELECT * FROM open)`,
  'in-progress': () => 't AS MATERIALIZED (SELECT * FROM open WHERE in_progress > 0), f AS (SELECT cycle_id, report_id FROM t)',
  blocked: () => 't AS MATERIALIZED (SELECT * FROM open WHERE blocked > 0), f AS (SELECT cycle_id, report_id FROM t)',
  mine: (user) => `f AS MATERIALIZED (${OWN(user)}),
              t AS (SELECT f.cycle_id, f.report_id, o.in_progress, o.overdue, o.blocked
                      FROM f LEFT JOIN open o ON o.cycle_id = f.cycle_id AND o.report_id = f.report_id)`,
};

/** The CTEs `open`, `f` (the matching instances) and `t` (their open counts); `user` is the number of the acting user's parameter. */
function sets(filter: InstanceFilter, user: number): string {
  return `open AS MATERIALIZED (${OPEN}), ${FILTER_SETS[filter](user)}`;
}

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

/** Every cycle with matching instances, by name, with its totals. */
async function cycleTotals(q: Queryable, filter: InstanceFilter, scope: number[] | null, user: unknown[]): Promise<CycleRow[]> {
  const { rows } = await q.query<CycleRow>(
    // The instances per cycle, and the open counts per cycle, each grouped on its own and
    // then joined by cycle: a join of a few rows per cycle that no misjudged estimate can blow up.
    `WITH ${sets(filter, 2)},
     n AS MATERIALIZED (SELECT cycle_id, count(*)::int AS instances FROM f GROUP BY cycle_id),
     o AS MATERIALIZED (
       SELECT cycle_id, count(*) FILTER (WHERE in_progress > 0)::int AS in_progress, count(*) FILTER (WHERE blocked > 0)::int AS blocked,
              count(*) FILTER (WHERE overdue > 0)::int AS overdue
         FROM t GROUP BY cycle_id)
     SELECT c.cycle_id, c.cycle_name, n.instances, COALESCE(o.in_progress, 0) AS in_progress,
            COALESCE(o.blocked, 0) AS blocked, COALESCE(o.overdue, 0) AS overdue
       FROM n JOIN test_cycles c ON c.cycle_id = n.cycle_id
       LEFT JOIN o ON o.cycle_id = n.cycle_id
      ORDER BY c.cycle_name, c.cycle_id`,
    [scope, ...user],
  );
  return rows;
}

/**
 * The cycles a page starting after `after` can reach: the cursor's cycle, then whole cycles
 * (in the database's own name order) until they hold more than `limit` instances. Null:
 * every cycle (the cursor's cycle is gone).
 */
function pageScope(cycles: readonly CycleRow[], after: InstanceCursor | undefined, limit: number): number[] | null {
  let from = 0;
  if (after) {
    from = cycles.findIndex((c) => c.cycle_name === after.cycle);
    if (from < 0) return null;
  }
  const ids: number[] = [];
  let need = limit + 1;
  for (let i = from; i < cycles.length && need > 0; i++) {
    ids.push(cycles[i]!.cycle_id);
    // How many of the cursor's own cycle are left is not known: count the cycles after it only.
    if (!(after && i === from)) need -= cycles[i]!.instances;
  }
  return ids;
}

/** Lists the cycles with their totals and one page of instances, by cycle name then report name. */
export async function listInstances(q: Queryable, query: InstanceQuery): Promise<InstanceList> {
  const user = query.filter === 'mine' ? [query.user.id, query.user.role] : [];
  const cycles = await cycleTotals(q, query.filter, query.cycleId !== undefined ? [query.cycleId] : null, user);
  const scope = pageScope(cycles, query.after, query.limit);
  // The page reads only the cycles it can reach; it asks for one row more than the limit: is there a next page?
  const { rows: page } = await q.query<InstanceRow>(
    `WITH ${sets(query.filter, 5)}, page AS (
       SELECT f.cycle_id, f.report_id, c.cycle_name, r.report_name
         FROM f JOIN test_cycles c ON c.cycle_id = f.cycle_id JOIN reports r ON r.id = f.report_id
        WHERE $2::text IS NULL OR (c.cycle_name, r.report_name) > ($2::text, $3::text)
        ORDER BY c.cycle_name, r.report_name
        LIMIT $4
     )
     SELECT g.cycle_id, g.report_id, g.cycle_name, g.report_name, i.workflow_name,
            count(*) FILTER (WHERE p.status IN ('COMPLETED', 'SKIPPED'))::int AS done,
            count(*)::int AS total,
            count(*) FILTER (WHERE p.status = 'IN_PROGRESS')::int AS in_progress,
            count(*) FILTER (WHERE ${OVERDUE})::int AS overdue,
            sum((SELECT count(*) FROM workflow_activities a WHERE a.phase_id = p.phase_id AND a.status = 'BLOCKED'))::int AS blocked,
            COALESCE((array_agg(p.phase_name ORDER BY p.phase_order) FILTER (WHERE p.status = 'IN_PROGRESS'))[1],
                     (array_agg(p.phase_name ORDER BY p.phase_order) FILTER (WHERE p.status = 'NOT_STARTED'))[1]) AS current
       FROM page g
       JOIN workflow_phases p ON p.cycle_id = g.cycle_id AND p.report_id = g.report_id
       LEFT JOIN workflow_instances i ON i.cycle_id = g.cycle_id AND i.report_id = g.report_id
      GROUP BY g.cycle_id, g.report_id, g.cycle_name, g.report_name, i.workflow_name
      ORDER BY g.cycle_name, g.report_name`,
    [scope ?? (query.cycleId !== undefined ? [query.cycleId] : null), query.after?.cycle ?? null, query.after?.report ?? null, query.limit + 1, ...user],
  );
  const rows = page.slice(0, query.limit);
  const last = rows[rows.length - 1];
  return {
    cycles: cycles.map((c) => ({ cycleId: c.cycle_id, cycle: c.cycle_name, instances: c.instances, inProgress: c.in_progress, blocked: c.blocked, overdue: c.overdue })),
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
    next: page.length > query.limit && last ? { cycle: last.cycle_name, report: last.report_name } : null,
  };
}
