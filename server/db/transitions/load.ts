/**
 * Reads one instance into an `InstanceSnapshot`: its phase rows (locked, inside a
 * transition), its activity rows, and the definition rules it follows.
 */
import { defaultPhaseRules } from '../../core/index';
import type { ActivityState, ActivityStatus, ActivityType, InstanceSnapshot, PhaseState, PhaseStatus } from '../../core/index';
import type { Queryable } from '../database';
import type { InstanceKey } from './instance';

/**
 * Timestamps travel as fixed-format text so they round-trip exactly (microseconds, no time
 * zone games): `2026-12-01T09:30:00.123456`, UTC (the columns are `TIMESTAMP` holding UTC).
 * What shows them adds the zone (`phasectl`: `server/cli/times.ts`).
 */
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
  content_hash: string | null;
  /** Null when the definition's rules are cached here already (or there is none). */
  definition: unknown;
  activities: ActivityRow[];
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

/** Phase rules of synced definitions by content hash: the same hash is the same content. */
const RULES_CACHE = new Map<string, PhaseRules>();
const RULES_CACHE_SIZE = 64;

async function rulesFor(q: Queryable, hash: string | null, workflow: string | null, definition: unknown): Promise<PhaseRules> {
  if (hash === null) return new Map();
  const cached = RULES_CACHE.get(hash);
  if (cached && (definition === null || definition === undefined)) return cached;
  if (definition === null || definition === undefined) {
    // Evicted between asking and reading: fetch it after all.
    const { rows } = await q.query<{ definition: unknown }>('SELECT definition FROM workflow_definitions WHERE workflow_name = $1', [workflow]);
    definition = rows[0]?.definition ?? null;
  }
  const rules = phaseRulesOf(definition);
  if (RULES_CACHE.size >= RULES_CACHE_SIZE) RULES_CACHE.delete(RULES_CACHE.keys().next().value!);
  RULES_CACHE.set(hash, rules);
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
    { name: options.lock ? 'wp_transition_lock_phases' : 'wp_transition_read_phases' },
  );
  if (phases.rows.length === 0) return null;
  // Read after the lock is held, so the clock is past every transition that committed
  // before ours. The activities come as one JSON array, and the definition only when its
  // rules are not cached yet: one more round trip, whatever the instance's size.
  const context = await q.query<ContextRow>(
    `SELECT ${ts('clock_timestamp()::timestamp')} AS now, i.workflow_name, d.content_hash,
            CASE WHEN d.content_hash = ANY($4::text[]) THEN NULL ELSE d.definition END AS definition,
            (SELECT COALESCE(json_agg(json_build_object(
                      'activity_id', a.activity_id, 'phase_id', a.phase_id, 'activity_name', a.activity_name,
                      'activity_type', a.activity_type, 'activity_order', a.activity_order, 'status', a.status,
                      'required', a.required, 'role', a.role,
                      'started_at', ${ts('a.started_at')}, 'started_by', a.started_by,
                      'completed_at', ${ts('a.completed_at')}, 'completed_by', a.completed_by,
                      'blocked_reason', a.blocked_reason, 'revision_reason', a.revision_reason)
                    ORDER BY a.activity_order, a.activity_id), '[]'::json)
               FROM workflow_activities a WHERE a.phase_id = ANY($3::int[])) AS activities
       FROM (SELECT 1) AS one
       LEFT JOIN workflow_instances i ON i.cycle_id = $1 AND i.report_id = $2
       LEFT JOIN workflow_definitions d ON d.workflow_name = i.workflow_name`,
    [key.cycleId, key.reportId, phases.rows.map((p) => p.phase_id), [...RULES_CACHE.keys()]],
    { name: 'wp_transition_context' },
  );
  const ctx = context.rows[0]!;
  const rules = await rulesFor(q, ctx.content_hash, ctx.workflow_name, ctx.definition);
  const byPhase = new Map<number, ActivityState[]>();
  for (const a of ctx.activities) {
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
    hasDefinition: ctx.content_hash !== null,
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
