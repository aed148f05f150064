/**
 * Reads one instance into an `InstanceSnapshot`: its phase rows (locked, inside a
 * transition), its activity rows, and the definition rules it follows.
 */
import { defaultPhaseRules } from '../../core/index';
import type { ActivityState, ActivityStatus, ActivityType, InstanceSnapshot, PhaseState, PhaseStatus } from '../../core/index';
import type { Queryable } from '../database';
import type { InstanceKey } from './instance';

/** Timestamps travel as fixed-format text so they round-trip exactly (microseconds, no time zone games). */
export const TS_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US';
const ts = (column: string) => `to_char(${column}, '${TS_FORMAT}')`;

interface PhaseRow {
  phase_id: number;
  phase_name: string;
  phase_order: number;
  status: string;
  started_at: string | null;
  started_by: number | null;
  completed_at: string | null;
  completed_by: number | null;
  risk_level: string | null;
}

interface ActivityRow {
  activity_id: number;
  phase_id: number;
  activity_name: string;
  activity_type: string;
  activity_order: number;
  status: string;
  required: boolean;
  role: string | null;
  started_at: string | null;
  started_by: number | null;
  completed_at: string | null;
  completed_by: number | null;
  blocked_reason: string | null;
  revision_reason: string | null;
}

interface ContextRow {
  now: string;
  workflow_name: string | null;
  definition: unknown;
}

/** The rules of each phase a synced definition gives (`dependsOn`, `skippable`). */
type PhaseRules = ReadonlyMap<string, { dependsOn: readonly string[]; skippable: boolean }>;

/** Reads the phase rules out of a stored resolved workflow; anything unreadable is left to the defaults. */
export function phaseRulesOf(definition: unknown): PhaseRules {
  const rules = new Map<string, { dependsOn: readonly string[]; skippable: boolean }>();
  const phases = (definition as { phases?: unknown } | null)?.phases;
  if (!Array.isArray(phases)) return rules;
  for (const p of phases as unknown[]) {
    const phase = p as { name?: unknown; dependsOn?: unknown; skippable?: unknown };
    if (typeof phase.name !== 'string') continue;
    const fallback = defaultPhaseRules(phase.name);
    rules.set(phase.name, {
      dependsOn: Array.isArray(phase.dependsOn) ? phase.dependsOn.filter((d): d is string => typeof d === 'string') : fallback.dependsOn,
      skippable: typeof phase.skippable === 'boolean' ? phase.skippable : fallback.skippable,
    });
  }
  return rules;
}

/** A loaded instance, and the database's clock reading taken after its rows were locked. */
export interface LoadedInstance {
  readonly snapshot: InstanceSnapshot;
  /** `clock_timestamp()` as `TS_FORMAT` text: later than every commit that came before the lock. */
  readonly now: string;
  /** False when no definition is recorded for the instance: default rules apply. */
  readonly hasDefinition: boolean;
}

/**
 * Loads the instance `key`; null when it has no phase rows. With `lock`, its phase rows
 * are locked (`FOR UPDATE`, in phase order, so concurrent transitions queue instead of
 * deadlocking) until the surrounding transaction ends.
 */
export async function loadInstance(q: Queryable, key: InstanceKey, options: { lock: boolean }): Promise<LoadedInstance | null> {
  const phases = await q.query<PhaseRow>(
    `SELECT phase_id, phase_name, phase_order, status, ${ts('started_at')} AS started_at, started_by,
            ${ts('completed_at')} AS completed_at, completed_by, risk_level
       FROM workflow_phases WHERE cycle_id = $1 AND report_id = $2
      ORDER BY phase_order, phase_id${options.lock ? ' FOR UPDATE' : ''}`,
    [key.cycleId, key.reportId],
  );
  if (phases.rows.length === 0) return null;
  // Read after the lock is held, so the clock is past every transition that committed before ours.
  const context = await q.query<ContextRow>(
    `SELECT ${ts('clock_timestamp()::timestamp')} AS now, i.workflow_name, d.definition
       FROM (SELECT 1) AS one
       LEFT JOIN workflow_instances i ON i.cycle_id = $1 AND i.report_id = $2
       LEFT JOIN workflow_definitions d ON d.workflow_name = i.workflow_name`,
    [key.cycleId, key.reportId],
  );
  const activities = await q.query<ActivityRow>(
    `SELECT activity_id, phase_id, activity_name, activity_type, activity_order, status, required, role,
            ${ts('started_at')} AS started_at, started_by, ${ts('completed_at')} AS completed_at, completed_by,
            blocked_reason, revision_reason
       FROM workflow_activities WHERE phase_id = ANY($1::int[])
      ORDER BY activity_order, activity_id`,
    [phases.rows.map((p) => p.phase_id)],
  );
  const ctx = context.rows[0]!;
  const rules = phaseRulesOf(ctx.definition);
  const byPhase = new Map<number, ActivityState[]>();
  for (const a of activities.rows) {
    const list = byPhase.get(a.phase_id) ?? [];
    list.push({
      id: a.activity_id,
      name: a.activity_name,
      type: a.activity_type as ActivityType,
      order: a.activity_order,
      status: a.status as ActivityStatus,
      required: a.required,
      role: a.role,
      startedAt: a.started_at,
      startedBy: a.started_by,
      completedAt: a.completed_at,
      completedBy: a.completed_by,
      blockedReason: a.blocked_reason,
      revisionReason: a.revision_reason,
    });
    byPhase.set(a.phase_id, list);
  }
  const phaseStates: PhaseState[] = phases.rows.map((p) => {
    const r = rules.get(p.phase_name) ?? defaultPhaseRules(p.phase_name);
    return {
      id: p.phase_id,
      name: p.phase_name,
      order: p.phase_order,
      status: p.status as PhaseStatus,
      startedAt: p.started_at,
      startedBy: p.started_by,
      completedAt: p.completed_at,
      completedBy: p.completed_by,
      riskLevel: p.risk_level,
      dependsOn: r.dependsOn,
      skippable: r.skippable,
      activities: byPhase.get(p.phase_id) ?? [],
    };
  });
  return {
    snapshot: { cycleId: key.cycleId, reportId: key.reportId, workflow: ctx.workflow_name, phases: phaseStates },
    now: ctx.now,
    hasDefinition: ctx.definition !== null && ctx.definition !== undefined,
  };
}

/** Adds display names for every user the snapshot mentions (for "started by …" in messages). */
export async function withUserNames(q: Queryable, snapshot: InstanceSnapshot, columns: { email: boolean; name: boolean }): Promise<InstanceSnapshot> {
  const ids = new Set<number>();
  for (const p of snapshot.phases) {
    for (const s of [p, ...p.activities]) {
      if (s.startedBy !== null) ids.add(s.startedBy);
      if (s.completedBy !== null) ids.add(s.completedBy);
    }
  }
  if (ids.size === 0 || (!columns.email && !columns.name)) return snapshot;
  const label = columns.email && columns.name ? 'COALESCE(email, name)' : columns.email ? 'email' : 'name';
  const { rows } = await q.query<{ user_id: number; label: string | null }>(`SELECT user_id, ${label} AS label FROM users WHERE user_id = ANY($1::int[])`, [[...ids]]);
  const userNames: Record<number, string> = {};
  for (const r of rows) if (r.label) userNames[r.user_id] = r.label;
  return { ...snapshot, userNames };
}
