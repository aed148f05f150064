/** The JSON shape of a sync plan, as `phasectl plan|sync --format json` prints it. */
import type { Change, Refusal, SyncPlan } from './types';

/** One change as JSON. */
export interface ChangeJson {
  readonly action: Change['action'];
  readonly entity: Change['entity'];
  readonly phase: string | null;
  readonly activity: string | null;
  readonly phase_id?: number;
  readonly activity_id?: number;
  readonly fields?: Readonly<Record<string, { from: unknown; to: unknown }>>;
}

/** One refusal as JSON. */
export interface RefusalJson {
  readonly reason: Refusal['reason'];
  readonly entity: Refusal['entity'];
  readonly phase: string | null;
  readonly activity: string | null;
  readonly phase_id: number | null;
  readonly activity_id: number | null;
  readonly status: string;
  readonly message: string;
}

/** A whole plan as JSON: `{instances:[{cycle,report,workflow,changes,refused}], summary}`. */
export interface PlanJson {
  readonly instances: readonly {
    readonly cycle: string;
    readonly report: string;
    readonly cycle_id: number;
    readonly report_id: number;
    readonly workflow: string;
    readonly changes: readonly ChangeJson[];
    readonly refused: readonly RefusalJson[];
  }[];
  readonly summary: SyncPlan['summary'];
}

function changeJson(c: Change): ChangeJson {
  if (c.entity === 'instance') return { action: c.action, entity: c.entity, phase: null, activity: null };
  if (c.entity === 'phase') {
    if (c.action === 'create') return { action: c.action, entity: c.entity, phase: c.phase, activity: null };
    if (c.action === 'update') return { action: c.action, entity: c.entity, phase: c.phase, activity: null, phase_id: c.phaseId, fields: c.fields };
    return { action: c.action, entity: c.entity, phase: c.phase, activity: null, phase_id: c.phaseId };
  }
  if (c.action === 'create') return { action: c.action, entity: c.entity, phase: c.phase, activity: c.activity };
  if (c.action === 'update') return { action: c.action, entity: c.entity, phase: c.phase, activity: c.activity, activity_id: c.activityId, fields: c.fields };
  return { action: c.action, entity: c.entity, phase: c.phase, activity: c.activity, activity_id: c.activityId };
}

/** Converts a plan to its JSON shape. */
export function planToJson(plan: SyncPlan): PlanJson {
  return {
    instances: plan.instances.map((p) => ({
      cycle: p.instance.cycle,
      report: p.instance.report,
      cycle_id: p.instance.cycleId,
      report_id: p.instance.reportId,
      workflow: p.workflow,
      changes: p.changes.map(changeJson),
      refused: p.refused.map((r) => ({
        reason: r.reason, entity: r.entity, phase: r.phase, activity: r.activity, phase_id: r.phaseId, activity_id: r.activityId, status: r.status, message: r.message,
      })),
    })),
    summary: plan.summary,
  };
}
