/**
 * Reading for a sync: `applies_to` cycles and reports resolved to ids (by id or by
 * name), the instances each workflow has, and the stored rows of those instances.
 * Three or four set-based queries however many instances there are.
 */
import type { Queryable } from '../database';
import type { CurrentActivity, CurrentInstance, CurrentPhase, InstanceRef } from './types';

/** A cycle or report named in `applies_to` (or on the command line) that does not exist. */
export interface UnknownReference {
  readonly workflow: string;
  readonly kind: 'cycle' | 'report';
  readonly value: string | number;
}

/** A claim: workflow `workflow` applies to these reports in this cycle. */
export interface InstanceClaimRef {
  readonly workflow: string;
  readonly cycle: string | number;
  readonly reports: readonly (string | number)[];
}

interface Named {
  readonly id: number;
  readonly name: string;
}

/** The value as a row id (a whole number in int4 range, or such digits), or null. */
function asId(value: string | number): number | null {
  const n = typeof value === 'number' ? value : /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 2_147_483_647 ? n : null;
}

/** Looks up ids and names of cycles or reports given by name, or by id (a number or digits) when no row has that name. */
async function lookup(q: Queryable, kind: 'cycle' | 'report', values: readonly (string | number)[]): Promise<(value: string | number) => Named | undefined> {
  const ids = values.map(asId).filter((id): id is number => id !== null);
  const names = values.map(String);
  const sql =
    kind === 'cycle'
      ? 'SELECT cycle_id AS id, cycle_name AS name FROM test_cycles WHERE cycle_id = ANY($1::int[]) OR cycle_name = ANY($2::text[])'
      : 'SELECT id, report_name AS name FROM reports WHERE id = ANY($1::int[]) OR report_name = ANY($2::text[])';
  const rows = values.length === 0 ? [] : (await q.query<Named>(sql, [ids, names])).rows;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const byName = new Map(rows.map((r) => [r.name, r]));
  // A name first, then an id: `cycle: 2026` (unquoted, so a number in YAML) is the cycle named
  // "2026" when there is one, and cycle id 2026 only when no cycle has that name.
  return (value) => {
    const id = asId(value);
    return byName.get(String(value)) ?? (id === null ? undefined : byId.get(id));
  };
}

/** Resolves claims to instances per workflow, listing every unknown cycle or report. */
export async function resolveClaims(q: Queryable, claims: readonly InstanceClaimRef[]): Promise<{ instances: Map<string, InstanceRef[]>; unknown: UnknownReference[] }> {
  const cycle = await lookup(q, 'cycle', claims.map((c) => c.cycle));
  const report = await lookup(q, 'report', claims.flatMap((c) => c.reports));
  const instances = new Map<string, InstanceRef[]>();
  const unknown: UnknownReference[] = [];
  for (const claim of claims) {
    const list = instances.get(claim.workflow) ?? [];
    instances.set(claim.workflow, list);
    const c = cycle(claim.cycle);
    if (!c) unknown.push({ workflow: claim.workflow, kind: 'cycle', value: claim.cycle });
    for (const value of claim.reports) {
      const r = report(value);
      if (!r) unknown.push({ workflow: claim.workflow, kind: 'report', value });
      else if (c && !list.some((i) => i.cycleId === c.id && i.reportId === r.id)) list.push({ cycleId: c.id, reportId: r.id, cycle: c.name, report: r.name });
    }
  }
  return { instances, unknown };
}

/** The instances already following each of `workflows` (created by an earlier sync or `phasectl init`). */
export async function followingInstances(q: Queryable, workflows: readonly string[]): Promise<Map<string, InstanceRef[]>> {
  const rows = await q.query<{ workflow: string; cycle_id: number; report_id: number; cycle: string; report: string }>(
    `SELECT i.workflow_name AS workflow, i.cycle_id, i.report_id, c.cycle_name AS cycle, r.report_name AS report
     FROM workflow_instances i
     JOIN test_cycles c ON c.cycle_id = i.cycle_id
     JOIN reports r ON r.id = i.report_id
     WHERE i.workflow_name = ANY($1::text[])
     ORDER BY i.cycle_id, i.report_id`,
    [workflows],
  );
  const out = new Map<string, InstanceRef[]>();
  for (const r of rows.rows) {
    const list = out.get(r.workflow) ?? [];
    out.set(r.workflow, list);
    list.push({ cycleId: r.cycle_id, reportId: r.report_id, cycle: r.cycle, report: r.report });
  }
  return out;
}

/** The stored rows (instance row, phases, activities) of each instance in `keys`. */
export async function loadInstances(q: Queryable, keys: readonly InstanceRef[]): Promise<CurrentInstance[]> {
  if (keys.length === 0) return [];
  const cycles = keys.map((k) => k.cycleId);
  const reports = keys.map((k) => k.reportId);
  const instanceRows = await q.query<{ cycle_id: number; report_id: number; workflow_name: string | null }>(
    `SELECT k.c AS cycle_id, k.r AS report_id, i.workflow_name
     FROM unnest($1::int[], $2::int[]) AS k(c, r)
     LEFT JOIN workflow_instances i ON i.cycle_id = k.c AND i.report_id = k.r`,
    [cycles, reports],
  );
  const phaseRows = await q.query<{ phase_id: number; cycle_id: number; report_id: number; phase_name: string; phase_order: number; status: string; risk_level: string | null; definition: unknown }>(
    `SELECT p.phase_id, p.cycle_id, p.report_id, p.phase_name, p.phase_order, p.status, p.risk_level,
            p.phase_metadata::jsonb -> 'definition' AS definition
     FROM workflow_phases p
     JOIN unnest($1::int[], $2::int[]) AS k(c, r) ON p.cycle_id = k.c AND p.report_id = k.r
     ORDER BY p.phase_order, p.phase_id`,
    [cycles, reports],
  );
  const activityRows = await q.query<{ activity_id: number; phase_id: number; activity_name: string; activity_type: string; activity_order: number; status: string; required: boolean; role: string | null; description: string | null }>(
    `SELECT a.activity_id, a.phase_id, a.activity_name, a.activity_type, a.activity_order, a.status, a.required, a.role, a.description
     FROM workflow_activities a
     JOIN workflow_phases p ON p.phase_id = a.phase_id
     JOIN unnest($1::int[], $2::int[]) AS k(c, r) ON p.cycle_id = k.c AND p.report_id = k.r
     ORDER BY a.phase_id, a.activity_order, a.activity_id`,
    [cycles, reports],
  );
  const activities = new Map<number, CurrentActivity[]>();
  for (const a of activityRows.rows) {
    const list = activities.get(a.phase_id) ?? [];
    activities.set(a.phase_id, list);
    list.push({ activityId: a.activity_id, name: a.activity_name, type: a.activity_type, order: a.activity_order, status: a.status, required: a.required, role: a.role, description: a.description });
  }
  const phases = new Map<string, CurrentPhase[]>();
  for (const p of phaseRows.rows) {
    const k = `${p.cycle_id}/${p.report_id}`;
    const list = phases.get(k) ?? [];
    phases.set(k, list);
    list.push({ phaseId: p.phase_id, name: p.phase_name, order: p.phase_order, status: p.status, riskLevel: p.risk_level, definition: p.definition ?? null, activities: activities.get(p.phase_id) ?? [] });
  }
  return instanceRows.rows.map((i) => ({ cycleId: i.cycle_id, reportId: i.report_id, workflow: i.workflow_name, phases: phases.get(`${i.cycle_id}/${i.report_id}`) ?? [] }));
}
