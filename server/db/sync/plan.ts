/**
 * `plan()`: pure. Compares the workflows' desired rows with the stored ones, instance
 * by instance, and says what to create, update and delete, and what it refuses because
 * it would lose progress (removing or retyping a started activity, removing a started
 * phase) or take an instance away from another workflow.
 */
import type { ResolvedActivity, ResolvedPhase } from '../../core/index';
import { sameJson } from './same-json';
import type {
  ActivityRow,
  Change,
  CurrentActivity,
  CurrentInstance,
  CurrentPhase,
  FieldChange,
  InstancePlan,
  InstanceRef,
  PhaseRow,
  PlanDefinition,
  PlanSummary,
  Refusal,
  SyncPlan,
} from './types';

/** The phase row sync writes for a resolved phase. */
export function phaseRow(phase: ResolvedPhase): PhaseRow {
  return {
    name: phase.name,
    order: phase.order,
    riskLevel: phase.riskLevel,
    definition: {
      title: phase.title,
      sla_hours: phase.slaHours,
      depends_on: [...phase.dependsOn],
      skippable: phase.skippable,
      metadata: phase.metadata,
    },
  };
}

/** The activity row sync writes for a resolved activity. */
export function activityRow(activity: ResolvedActivity): ActivityRow {
  return {
    name: activity.name,
    type: activity.type,
    order: activity.order,
    required: activity.required,
    role: activity.role,
    description: activity.description,
  };
}

const key = (cycleId: number, reportId: number) => `${cycleId}/${reportId}`;

function fieldChanges(pairs: readonly [string, unknown, unknown][]): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const [name, from, to] of pairs) if (!sameJson(from, to)) out[name] = { from, to };
  return out;
}

/**
 * The orders of the activities sync writes when some stored ones stay where they are
 * (refused): each of those keeps its order, and the written ones take their own order
 * or, where that is taken or already passed, the next free one after the previous
 * written one. So orders stay unique per phase and the ones after a kept activity shift.
 */
function placeAround(written: readonly ResolvedActivity[], kept: ReadonlySet<number>): Map<string, number> {
  const placed = new Map<string, number>();
  if (kept.size === 0) return placed;
  let previous = 0;
  for (const activity of [...written].sort((a, b) => a.order - b.order)) {
    let order = Math.max(activity.order, previous + 1);
    while (kept.has(order)) order++;
    placed.set(activity.name, order);
    previous = order;
  }
  return placed;
}

function planActivities(phase: string, desired: readonly ResolvedActivity[], current: CurrentPhase, changes: Change[], refused: Refusal[]): void {
  const stored = new Map<string, CurrentActivity>(current.activities.map((a) => [a.name, a]));
  const wanted = new Set(desired.map((a) => a.name));
  const isKept = (have: CurrentActivity | undefined, type: string | null): have is CurrentActivity =>
    have !== undefined && have.status !== 'NOT_STARTED' && (type === null || have.type !== type);
  // Started activities the plan refuses to remove or retype stay as they are, order included.
  const retypeKept = new Set(desired.filter((a) => isKept(stored.get(a.name), a.type)).map((a) => a.name));
  const kept = current.activities.filter((a) => retypeKept.has(a.name) || (!wanted.has(a.name) && isKept(a, null)));
  const placed = placeAround(desired.filter((a) => !retypeKept.has(a.name)), new Set(kept.map((a) => a.order)));
  for (const activity of desired) {
    const row = { ...activityRow(activity), order: placed.get(activity.name) ?? activity.order };
    const have = stored.get(activity.name);
    if (!have) {
      changes.push({ action: 'create', entity: 'activity', phase, activity: activity.name, row });
      continue;
    }
    if (have.type !== row.type && have.status !== 'NOT_STARTED') {
      refused.push({
        reason: 'retype-started-activity', entity: 'activity', phase, activity: have.name, phaseId: current.phaseId, activityId: have.activityId, status: have.status,
        message: `activity '${have.name}' of phase '${phase}' (activity_id ${have.activityId}) is ${have.status}: changing its type from ${have.type} to ${row.type} would lose its progress`,
      });
      continue;
    }
    const fields = fieldChanges([
      ['activity_type', have.type, row.type],
      ['activity_order', have.order, row.order],
      ['required', have.required, row.required],
      ['role', have.role, row.role],
      ['description', have.description, row.description],
    ]);
    if (Object.keys(fields).length > 0) {
      changes.push({ action: 'update', entity: 'activity', phase, activity: have.name, activityId: have.activityId, row, fields });
    }
  }
  for (const have of current.activities) {
    if (wanted.has(have.name)) continue;
    if (have.status === 'NOT_STARTED') {
      changes.push({ action: 'delete', entity: 'activity', phase, activity: have.name, activityId: have.activityId });
    } else {
      refused.push({
        reason: 'remove-started-activity', entity: 'activity', phase, activity: have.name, phaseId: current.phaseId, activityId: have.activityId, status: have.status,
        message: `activity '${have.name}' of phase '${phase}' (activity_id ${have.activityId}) is ${have.status}: removing it would lose its progress`,
      });
    }
  }
}

function planInstance(instance: InstanceRef, phases: readonly ResolvedPhase[], workflow: string, current: CurrentInstance | undefined): InstancePlan {
  const changes: Change[] = [];
  const refused: Refusal[] = [];
  if (current?.workflow != null && current.workflow !== workflow) {
    refused.push({
      reason: 'follows-other-workflow', entity: 'instance', phase: null, activity: null, phaseId: null, activityId: null, status: current.workflow,
      message: `cycle '${instance.cycle}' / report '${instance.report}' follows workflow '${current.workflow}', not '${workflow}'`,
    });
    return { instance, workflow, changes, refused };
  }
  if (!current || current.workflow === null) changes.push({ action: 'create', entity: 'instance' });
  const stored = new Map<string, CurrentPhase>((current?.phases ?? []).map((p) => [p.name, p]));
  const wanted = new Set(phases.map((p) => p.name));
  for (const phase of phases) {
    const row = phaseRow(phase);
    const have = stored.get(phase.name);
    if (!have) {
      changes.push({ action: 'create', entity: 'phase', phase: phase.name, row });
      for (const activity of phase.activities) {
        changes.push({ action: 'create', entity: 'activity', phase: phase.name, activity: activity.name, row: activityRow(activity) });
      }
      continue;
    }
    const fields = fieldChanges([
      ['phase_order', have.order, row.order],
      ['risk_level', have.riskLevel, row.riskLevel],
      ['phase_metadata.definition', have.definition, row.definition],
    ]);
    if (Object.keys(fields).length > 0) changes.push({ action: 'update', entity: 'phase', phase: phase.name, phaseId: have.phaseId, row, fields });
    planActivities(phase.name, phase.activities, have, changes, refused);
  }
  for (const have of current?.phases ?? []) {
    if (wanted.has(have.name as ResolvedPhase['name'])) continue;
    const started = have.activities.filter((a) => a.status !== 'NOT_STARTED');
    if (have.status === 'NOT_STARTED' && started.length === 0) {
      for (const a of have.activities) changes.push({ action: 'delete', entity: 'activity', phase: have.name, activity: a.name, activityId: a.activityId });
      changes.push({ action: 'delete', entity: 'phase', phase: have.name, phaseId: have.phaseId });
    } else {
      const status = have.status !== 'NOT_STARTED' ? have.status : `NOT_STARTED with ${started.length} started activities`;
      refused.push({
        reason: 'remove-started-phase', entity: 'phase', phase: have.name, activity: null, phaseId: have.phaseId, activityId: null, status,
        message: `phase '${have.name}' (phase_id ${have.phaseId}) is ${status}: removing it would lose its progress`,
      });
    }
  }
  return { instance, workflow, changes, refused };
}

/** Counts rows to create, update and delete (the instance row counts as one) and refusals. */
export function summarize(instances: readonly InstancePlan[]): PlanSummary {
  const summary = { create: 0, update: 0, delete: 0, refused: 0 };
  for (const p of instances) {
    for (const c of p.changes) summary[c.action]++;
    summary.refused += p.refused.length;
  }
  return summary;
}

/**
 * Plans the sync of `definitions` against `current` (the stored rows of their
 * instances). Pure and total: any input gives a plan. Instances come out in the order
 * the definitions list them.
 */
export function plan(definitions: readonly PlanDefinition[], current: readonly CurrentInstance[]): SyncPlan {
  const byKey = new Map(current.map((c) => [key(c.cycleId, c.reportId), c]));
  const instances: InstancePlan[] = [];
  for (const def of definitions) {
    for (const instance of def.instances) {
      instances.push(planInstance(instance, def.workflow.phases, def.workflow.name, byKey.get(key(instance.cycleId, instance.reportId))));
    }
  }
  return { instances, summary: summarize(instances) };
}
