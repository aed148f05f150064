/**
 * `applyPlan()`: writes a plan inside the caller's transaction with a handful of
 * set-based statements (unnest arrays; upserts guarded by IS DISTINCT FROM), never a
 * statement per row. Every write re-checks in SQL what the plan assumed (a row still
 * NOT_STARTED before it is deleted or retyped); when a concurrent transition changed
 * it, the counts differ and `ConcurrentChangeError` rolls the whole transaction back.
 */
import type { Queryable } from '../database';
import { PROGRESS_KEY } from '../transitions/write';
import type { ActivityRow, InstancePlan, PhaseRow } from './types';

/** The database changed between planning and writing: nothing was written; run the sync again. */
export class ConcurrentChangeError extends Error {
  constructor(readonly what: string) {
    super(`the database changed while syncing: ${what} after the plan was made; nothing was written — run the sync again`);
    this.name = 'ConcurrentChangeError';
  }
}

/** A row the plan counted on, named for messages: the instance, phase and activity. */
interface PlannedRow {
  readonly id: number;
  readonly where: string;
  readonly what: string;
}

/** What happened to planned rows that are no longer NOT_STARTED (or gone): "activity 'x' of phase 'y' in C / R was started (now IN_PROGRESS)". */
async function whatChanged(tx: Queryable, table: 'workflow_activities' | 'workflow_phases', rows: readonly PlannedRow[]): Promise<string> {
  const id = table === 'workflow_activities' ? 'activity_id' : 'phase_id';
  const now = await tx.query<{ id: number; status: string }>(`SELECT ${id} AS id, status FROM ${table} WHERE ${id} = ANY($1::int[])`, [rows.map((r) => r.id)]);
  const status = new Map(now.rows.map((r) => [r.id, r.status]));
  const changed = rows.flatMap((r) => {
    const s = status.get(r.id);
    if (s === 'NOT_STARTED') return [];
    return [`${r.what} in ${r.where} ${s === undefined ? 'was removed' : `was started (now ${s})`}`];
  });
  return changed.length > 0 ? changed.join('; ') : `${rows.length === 1 ? 'a row' : 'rows'} of ${table} changed`;
}

/** How many rows `applyPlan` wrote. */
export interface ApplyCounts {
  readonly instances: number;
  readonly phases: number;
  readonly activities: number;
  readonly deleted: number;
}

// A created phase gets its progress (all its activities are new, so NOT_STARTED) in the
// same key and shape the transitions engine writes; an updated one keeps the progress it has.
const UPSERT_PHASES = `
INSERT INTO workflow_phases (cycle_id, report_id, phase_name, phase_order, risk_level, phase_metadata)
SELECT u.c, u.r, u.n, u.o, u.risk, (CASE WHEN jsonb_typeof(u.d::jsonb -> 'metadata') = 'object' THEN u.d::jsonb -> 'metadata' ELSE '{}'::jsonb END
        || jsonb_build_object('definition', u.d::jsonb)
        || CASE WHEN u.total IS NULL THEN '{}'::jsonb
                ELSE jsonb_build_object('${PROGRESS_KEY}', jsonb_build_object('completed', 0, 'skipped', 0, 'total', u.total)) END)::json
FROM unnest($1::int[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::int[]) AS u(c, r, n, o, risk, d, total)
ON CONFLICT (cycle_id, report_id, phase_name) DO UPDATE SET
    phase_order = EXCLUDED.phase_order,
    risk_level = EXCLUDED.risk_level,
    -- The file's metadata keys sit at the top level beside 'definition' (everything sync
    -- wrote, incl. the metadata). Keys sync did not write (e.g. legacy columns) are kept;
    -- keys it wrote before and the file no longer has are removed.
    phase_metadata = ((COALESCE(workflow_phases.phase_metadata::jsonb, '{}'::jsonb)
                       - ARRAY(SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(workflow_phases.phase_metadata::jsonb #> '{definition,metadata}') = 'object'
                                                         THEN workflow_phases.phase_metadata::jsonb #> '{definition,metadata}' ELSE '{}'::jsonb END)))
                      || (EXCLUDED.phase_metadata::jsonb - '${PROGRESS_KEY}'))::json,
    updated_at = CURRENT_TIMESTAMP
WHERE (workflow_phases.phase_order, workflow_phases.risk_level, workflow_phases.phase_metadata::jsonb -> 'definition')
      IS DISTINCT FROM (EXCLUDED.phase_order, EXCLUDED.risk_level, EXCLUDED.phase_metadata::jsonb -> 'definition')
RETURNING phase_id, cycle_id, report_id, phase_name`;

const UPSERT_ACTIVITIES = `
INSERT INTO workflow_activities (phase_id, activity_name, activity_type, activity_order, required, role, description)
SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::bool[], $6::text[], $7::text[])
ON CONFLICT (phase_id, activity_name) DO UPDATE SET
    activity_type = EXCLUDED.activity_type,
    activity_order = EXCLUDED.activity_order,
    required = EXCLUDED.required,
    role = EXCLUDED.role,
    description = EXCLUDED.description,
    updated_at = CURRENT_TIMESTAMP
WHERE (workflow_activities.activity_type, workflow_activities.activity_order, workflow_activities.required,
       workflow_activities.role, workflow_activities.description)
      IS DISTINCT FROM (EXCLUDED.activity_type, EXCLUDED.activity_order, EXCLUDED.required, EXCLUDED.role, EXCLUDED.description)
  -- A started activity keeps its type (the plan refused that; a transition may have started it since).
  AND (workflow_activities.activity_type = EXCLUDED.activity_type OR workflow_activities.status = 'NOT_STARTED')`;

// Phases whose activities sync adds or deletes are locked first, in the order every
// transition locks them (instance, phase_order): no transition runs on them meanwhile, and
// the progress counted afterwards (a later statement, so a fresh snapshot) is the truth.
const LOCK_PHASES = `
SELECT p.phase_id, p.cycle_id, p.report_id, p.phase_name FROM workflow_phases p
  JOIN unnest($1::int[], $2::int[], $3::text[]) AS k(c, r, n) ON p.cycle_id = k.c AND p.report_id = k.r AND p.phase_name = k.n
 ORDER BY p.cycle_id, p.report_id, p.phase_order
   FOR UPDATE OF p`;

// Every phase row of the existing instances the plan touches is locked first, in the order
// transitions lock them (instance, phase_order), so a sync and a transition on the same
// instance queue up instead of deadlocking over phase and activity rows taken in other orders.
const LOCK_INSTANCES = `
SELECT p.phase_id FROM workflow_phases p
  JOIN unnest($1::int[], $2::int[]) AS k(c, r) ON p.cycle_id = k.c AND p.report_id = k.r
 ORDER BY p.cycle_id, p.report_id, p.phase_order
   FOR UPDATE OF p`;

// Counted from the rows, as the transitions engine counts them (progressOf): COMPLETED,
// SKIPPED, all. Merged into phase_metadata; written only where it differs.
const WRITE_PROGRESS = `
UPDATE workflow_phases p
   SET phase_metadata = (COALESCE(p.phase_metadata::jsonb, '{}'::jsonb) || jsonb_build_object('${PROGRESS_KEY}', n.progress))::json,
       updated_at = CURRENT_TIMESTAMP
  FROM (SELECT k.id, jsonb_build_object('completed', count(a.activity_id) FILTER (WHERE a.status = 'COMPLETED'),
                                        'skipped', count(a.activity_id) FILTER (WHERE a.status = 'SKIPPED'),
                                        'total', count(a.activity_id)) AS progress
          FROM unnest($1::int[]) AS k(id) LEFT JOIN workflow_activities a ON a.phase_id = k.id
         GROUP BY k.id) n
 WHERE p.phase_id = n.id AND (p.phase_metadata::jsonb -> '${PROGRESS_KEY}') IS DISTINCT FROM n.progress`;

class Columns<T extends unknown[]> {
  readonly arrays: unknown[][];
  constructor(width: number) {
    this.arrays = Array.from({ length: width }, () => []);
  }
  push(...values: T): void {
    values.forEach((v, i) => this.arrays[i]!.push(v));
  }
  get length(): number {
    return this.arrays[0]!.length;
  }
}

/**
 * Writes the changes of `plans` (refused rows are left as they are). Run it inside a
 * transaction: a `ConcurrentChangeError` or any failure must roll everything back.
 */
export async function applyPlan(tx: Queryable, plans: readonly InstancePlan[]): Promise<ApplyCounts> {
  const instances = new Columns<[number, number, string]>(3);
  const phases = new Columns<[number, number, string, number, string | null, string, number | null]>(7);
  const deleteActivities: PlannedRow[] = [];
  const deletePhases: PlannedRow[] = [];
  // Activities whose type changes: the upsert skips one that was started meanwhile.
  const retyped: PlannedRow[] = [];
  // Activities by instance and phase name: their phase ids are known only after the phase upsert.
  const activities: { cycleId: number; reportId: number; phase: string; row: ActivityRow }[] = [];

  const phaseIds = new Map<string, number>();
  const phaseKey = (c: number, r: number, name: string) => `${c}/${r}/${name}`;
  // Existing phases (not created, not deleted here) that gain or lose activities: their progress moves.
  const recount = new Map<string, { cycleId: number; reportId: number; phase: string }>();
  for (const p of plans) {
    const { cycleId, reportId } = p.instance;
    const where = `${p.instance.cycle} / ${p.instance.report}`;
    const created = new Map<string, number>();
    const removed = new Set<string>();
    for (const c of p.changes) {
      if (c.entity === 'phase' && c.action === 'create') created.set(c.phase, 0);
      else if (c.entity === 'phase' && c.action === 'delete') removed.add(c.phase);
    }
    for (const c of p.changes) {
      if (c.entity !== 'activity' || c.action === 'update') continue;
      const count = created.get(c.phase);
      if (count !== undefined) created.set(c.phase, count + 1);
      else if (!removed.has(c.phase)) recount.set(phaseKey(cycleId, reportId, c.phase), { cycleId, reportId, phase: c.phase });
    }
    const addPhase = (row: PhaseRow) => phases.push(cycleId, reportId, row.name, row.order, row.riskLevel, JSON.stringify(row.definition), created.get(row.name) ?? null);
    for (const c of p.changes) {
      if (c.entity === 'instance') instances.push(cycleId, reportId, p.workflow);
      else if (c.entity === 'phase') {
        if (c.action === 'delete') deletePhases.push({ id: c.phaseId, where, what: `phase '${c.phase}'` });
        else {
          addPhase(c.row);
          if (c.action === 'update') phaseIds.set(phaseKey(cycleId, reportId, c.phase), c.phaseId);
        }
      } else if (c.action === 'delete') deleteActivities.push({ id: c.activityId, where, what: `activity '${c.activity}' of phase '${c.phase}'` });
      else {
        activities.push({ cycleId, reportId, phase: c.phase, row: c.row });
        if (c.action === 'update' && 'activity_type' in c.fields) retyped.push({ id: c.activityId, where, what: `activity '${c.activity}' of phase '${c.phase}'` });
      }
    }
  }
  const existing = plans.filter((p) => p.changes.length > 0 && !p.changes.some((c) => c.entity === 'instance'));
  if (existing.length > 0) {
    await tx.query(LOCK_INSTANCES, [existing.map((p) => p.instance.cycleId), existing.map((p) => p.instance.reportId)]);
  }
  const recountIds: number[] = [];
  if (recount.size > 0) {
    const keys = [...recount.values()];
    const r = await tx.query<{ phase_id: number; cycle_id: number; report_id: number; phase_name: string }>(
      LOCK_PHASES,
      [keys.map((k) => k.cycleId), keys.map((k) => k.reportId), keys.map((k) => k.phase)],
    );
    for (const row of r.rows) {
      phaseIds.set(phaseKey(row.cycle_id, row.report_id, row.phase_name), row.phase_id);
      recountIds.push(row.phase_id);
    }
  }
  let deleted = 0;
  if (deleteActivities.length > 0) {
    const r = await tx.query("DELETE FROM workflow_activities WHERE activity_id = ANY($1::int[]) AND status = 'NOT_STARTED'", [deleteActivities.map((a) => a.id)]);
    if (r.rowCount !== deleteActivities.length) throw new ConcurrentChangeError(await whatChanged(tx, 'workflow_activities', deleteActivities));
    deleted += r.rowCount;
  }
  if (deletePhases.length > 0) {
    const r = await tx.query(
      `DELETE FROM workflow_phases p WHERE p.phase_id = ANY($1::int[]) AND p.status = 'NOT_STARTED'
         AND NOT EXISTS (SELECT 1 FROM workflow_activities a WHERE a.phase_id = p.phase_id)`,
      [deletePhases.map((p) => p.id)],
    );
    if (r.rowCount !== deletePhases.length) throw new ConcurrentChangeError(await whatChanged(tx, 'workflow_phases', deletePhases));
    deleted += r.rowCount;
  }
  if (instances.length > 0) {
    await tx.query(
      'INSERT INTO workflow_instances (cycle_id, report_id, workflow_name) SELECT * FROM unnest($1::int[], $2::int[], $3::text[]) ON CONFLICT (cycle_id, report_id) DO NOTHING',
      instances.arrays,
    );
  }
  let phaseWrites = 0;
  if (phases.length > 0) {
    const r = await tx.query<{ phase_id: number; cycle_id: number; report_id: number; phase_name: string }>(UPSERT_PHASES, phases.arrays);
    for (const row of r.rows) phaseIds.set(phaseKey(row.cycle_id, row.report_id, row.phase_name), row.phase_id);
    phaseWrites = r.rows.length;
  }
  // Activities of phases that are neither created nor updated need the stored phase id.
  const missing = activities.filter((a) => !phaseIds.has(phaseKey(a.cycleId, a.reportId, a.phase)));
  if (missing.length > 0) {
    const r = await tx.query<{ phase_id: number; cycle_id: number; report_id: number; phase_name: string }>(
      `SELECT p.phase_id, p.cycle_id, p.report_id, p.phase_name FROM workflow_phases p
       JOIN unnest($1::int[], $2::int[], $3::text[]) AS k(c, r, n) ON p.cycle_id = k.c AND p.report_id = k.r AND p.phase_name = k.n`,
      [missing.map((a) => a.cycleId), missing.map((a) => a.reportId), missing.map((a) => a.phase)],
    );
    for (const row of r.rows) phaseIds.set(phaseKey(row.cycle_id, row.report_id, row.phase_name), row.phase_id);
  }
  let activityWrites = 0;
  if (activities.length > 0) {
    const cols = new Columns<[number, string, string, number, boolean, string | null, string | null]>(7);
    for (const a of activities) {
      const phaseId = phaseIds.get(phaseKey(a.cycleId, a.reportId, a.phase));
      if (phaseId === undefined) throw new ConcurrentChangeError(`phase '${a.phase}' of cycle ${a.cycleId}, report ${a.reportId} was removed`);
      cols.push(phaseId, a.row.name, a.row.type, a.row.order, a.row.required, a.row.role, a.row.description);
    }
    const r = await tx.query(UPSERT_ACTIVITIES, cols.arrays);
    if (r.rowCount !== activities.length) {
      throw new ConcurrentChangeError(retyped.length > 0 ? await whatChanged(tx, 'workflow_activities', retyped) : 'an activity to change was changed by someone else');
    }
    activityWrites = r.rowCount;
  }
  if (recountIds.length > 0) {
    const r = await tx.query(WRITE_PROGRESS, [recountIds]);
    phaseWrites += r.rowCount;
  }
  return { instances: instances.length, phases: phaseWrites, activities: activityWrites, deleted };
}
