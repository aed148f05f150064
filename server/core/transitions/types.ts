/** Transitions, actors, guards and explanations: the vocabulary of the rules engine. */
import type { ActivityStatus, PhaseStatus } from '../model';

/** What can be done to a phase. */
export const PHASE_ACTIONS = ['start', 'complete', 'reopen', 'skip'] as const;
/** A phase action. */
export type PhaseAction = (typeof PHASE_ACTIONS)[number];

/** What can be done to an activity. */
export const ACTIVITY_ACTIONS = ['start', 'complete', 'block', 'unblock', 'skip', 'request-revision'] as const;
/** An activity action. */
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

/** A requested phase transition. */
export interface PhaseTransition {
  readonly kind: 'phase';
  readonly action: PhaseAction;
  readonly phase: string;
  readonly reason?: string | null;
  /**
   * The status the requester saw. When the phase has moved on since, the request
   * is refused naming the new state (it lost a race) instead of being a no-op.
   */
  readonly expected?: PhaseStatus | null;
}

/** A requested activity transition. */
export interface ActivityTransition {
  readonly kind: 'activity';
  readonly action: ActivityAction;
  readonly phase: string;
  readonly activity: string;
  readonly reason?: string | null;
  /** The status the requester saw (see {@link PhaseTransition.expected}). */
  readonly expected?: ActivityStatus | null;
}

/** A requested transition of a phase or an activity. */
export type Transition = PhaseTransition | ActivityTransition;

/** Who asks: a `users` row, or nobody known. */
export interface Actor {
  /** `users.user_id`; null when no acting user was given. */
  readonly id: number | null;
  /** For messages: the email or name the user was given by. */
  readonly name: string;
  /** `users.role`; null when the user has none (or is unknown). */
  readonly role: string | null;
  /** False when the `users` table has no role column: role rules are reported as not checked. */
  readonly rolesChecked: boolean;
  /** Why roles are not checked, for messages (default: "users have no role column"). */
  readonly uncheckedReason?: string;
}

/** How a guard came out. */
export type GuardResult = 'pass' | 'fail' | 'unchecked';

/** One condition of a transition, with a sentence saying what holds or does not. */
export interface Guard {
  /** A stable kebab-case id, e.g. `depends-on`, `required-activity`, `role`. */
  readonly id: string;
  readonly result: GuardResult;
  /** A human sentence: "scoping: required activity `owner_approval` is IN_PROGRESS". */
  readonly message: string;
}

/** One status change a transition makes: each one is one history row. */
export interface StatusChange {
  readonly entity: 'phase' | 'activity';
  readonly phase: string;
  /** Null for a phase change. */
  readonly activity: string | null;
  readonly from: string;
  readonly to: string;
  readonly reason: string | null;
}

/**
 * The verdict on a request: `allowed` (every guard passes), `refused` (at least one
 * fails), or `unchanged` (it asks for the state things are already in: nothing to do).
 */
export type Verdict = 'allowed' | 'refused' | 'unchanged';

/** Everything `explain` knows about a requested transition. */
export interface Explanation {
  readonly transition: Transition;
  /** "start phase `scoping`", "complete activity `scoping`/`owner_approval`". */
  readonly title: string;
  /** The target's current status; null when the target does not exist. */
  readonly from: string | null;
  /** The status it would move to; null when the target does not exist. */
  readonly to: string | null;
  readonly verdict: Verdict;
  /** Every condition checked, in order, passing ones included. */
  readonly guards: readonly Guard[];
  /** The status changes it makes when allowed (several: starting a START activity starts its phase). */
  readonly changes: readonly StatusChange[];
  /** Extra facts worth knowing that are not conditions (e.g. completed downstream phases on reopen). */
  readonly notes: readonly string[];
}

/** The guards of an explanation that failed. */
export function unmetGuards(explanation: Explanation): Guard[] {
  return explanation.guards.filter((g) => g.result === 'fail');
}

/** The status each action moves to, and the statuses it may start from. */
export const PHASE_MOVES: Readonly<Record<PhaseAction, { from: readonly PhaseStatus[]; to: PhaseStatus }>> = {
  start: { from: ['NOT_STARTED'], to: 'IN_PROGRESS' },
  complete: { from: ['IN_PROGRESS'], to: 'COMPLETED' },
  reopen: { from: ['COMPLETED'], to: 'IN_PROGRESS' },
  skip: { from: ['NOT_STARTED'], to: 'SKIPPED' },
};

/** The status each activity action moves to, and the statuses it may start from. */
export const ACTIVITY_MOVES: Readonly<Record<ActivityAction, { from: readonly ActivityStatus[]; to: ActivityStatus }>> = {
  start: { from: ['NOT_STARTED', 'REVISION_REQUESTED'], to: 'IN_PROGRESS' },
  complete: { from: ['IN_PROGRESS'], to: 'COMPLETED' },
  block: { from: ['IN_PROGRESS'], to: 'BLOCKED' },
  unblock: { from: ['BLOCKED'], to: 'IN_PROGRESS' },
  skip: { from: ['NOT_STARTED'], to: 'SKIPPED' },
  'request-revision': { from: ['COMPLETED'], to: 'REVISION_REQUESTED' },
};

/**
 * The START and COMPLETE activities are markers, not work: a START activity is COMPLETED
 * while its phase is IN_PROGRESS or COMPLETED (starting or completing it starts the phase),
 * a COMPLETE activity is COMPLETED exactly when its phase is (completing it completes the
 * phase). Otherwise both are NOT_STARTED. `IN_PROGRESS` is accepted as a starting point for
 * rows written before markers (migration 0004 brings those into line).
 */
const MARKER_MOVES: Readonly<Record<'START' | 'COMPLETE', Partial<Record<ActivityAction, { from: readonly ActivityStatus[]; to: ActivityStatus }>>>> = {
  START: { start: { from: ['NOT_STARTED', 'IN_PROGRESS'], to: 'COMPLETED' }, complete: { from: ['NOT_STARTED', 'IN_PROGRESS'], to: 'COMPLETED' } },
  COMPLETE: { complete: { from: ['NOT_STARTED', 'IN_PROGRESS'], to: 'COMPLETED' } },
};

/** Whether an activity of `type` is a marker (START or COMPLETE) rather than work. */
export function isMarker(type: string): type is 'START' | 'COMPLETE' {
  return type === 'START' || type === 'COMPLETE';
}

/** Where `action` moves an activity of `type` from and to (markers move straight to COMPLETED). */
export function activityMove(type: string, action: ActivityAction): { from: readonly ActivityStatus[]; to: ActivityStatus } {
  return (isMarker(type) ? MARKER_MOVES[type][action] : undefined) ?? ACTIVITY_MOVES[action];
}

/** Actions that need a reason. */
export const NEEDS_REASON: ReadonlySet<string> = new Set(['phase:reopen', 'phase:skip', 'activity:block', 'activity:request-revision']);

/** Whether `transition` needs a reason. */
export function needsReason(transition: Pick<Transition, 'kind' | 'action'>): boolean {
  return NEEDS_REASON.has(`${transition.kind}:${transition.action}`);
}

/** Roles that may reopen a completed phase. */
export const REOPEN_ROLES: readonly string[] = ['test_executive', 'admin'];
