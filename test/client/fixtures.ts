/** Instances, phases and activities as the server sends them, for the client's unit tests. */
import type { ActivityNode, InstanceDetail, PhaseNode, TransitionChoice } from '../../schemas/lsp-protocol';

/** An activity, NOT_STARTED unless told otherwise. */
export function activity(name: string, over: Partial<ActivityNode> = {}): ActivityNode {
  return { activityId: 1, name, type: 'TASK', order: 1, status: 'NOT_STARTED', required: true, role: 'tester', started: null, completed: null, blockedReason: null, revisionReason: null, definition: null, ...over };
}

/** A phase, NOT_STARTED unless told otherwise. */
export function phase(name: string, over: Partial<PhaseNode> = {}): PhaseNode {
  return {
    phaseId: 1,
    name,
    order: 1,
    title: 'Report Planning & Attribute Definition',
    status: 'NOT_STARTED',
    riskLevel: null,
    started: null,
    completed: null,
    progress: { done: 0, total: 3 },
    slaHours: 72,
    slaDue: null,
    overdue: false,
    definition: null,
    activities: [],
    ...over,
  };
}

/** An instance holding `phases`. */
export function instance(phases: PhaseNode[], over: Partial<InstanceDetail> = {}): InstanceDetail {
  return { cycleId: 1, cycle: '2026-Q4', reportId: 2, report: 'FR-Y-14Q', workflow: 'regulatory-testing', done: 0, total: 9, inProgress: 0, blocked: 0, overdue: 0, current: 'planning', definition: null, phases, ...over };
}

/** A transition choice with the given verdict and guards. */
export function choice(over: Partial<TransitionChoice> = {}): TransitionChoice {
  return {
    kind: 'phase',
    action: 'complete',
    phase: 'planning',
    activity: null,
    title: 'complete phase `planning`',
    verdict: 'refused',
    from: 'IN_PROGRESS',
    to: 'COMPLETED',
    needsReason: false,
    guards: [
      { id: 'status', result: 'pass', message: 'phase planning is IN_PROGRESS' },
      { id: 'activities', result: 'fail', message: 'planning: required activity `load_attributes` is BLOCKED (it must be COMPLETED)' },
    ],
    unmet: ['planning: required activity `load_attributes` is BLOCKED (it must be COMPLETED)'],
    changes: [],
    notes: [],
    ...over,
  };
}
