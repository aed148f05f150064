/** The scripted walk through one instance shared by the pure and the database scenario tests. */
import type { Actor, Transition, Verdict } from '../../server/core/index';
import { ACTORS } from './workflow-fixture';

/** Who acts: a fixture actor, or one whose roles are not checked. */
export type Who = keyof typeof ACTORS | 'unchecked';
/** One step: who, what (`phase start planning`), the expected verdict, a reason, the status the requester saw. */
export type Step = readonly [who: Who, request: string, verdict: Verdict, reason?: string, expected?: string];

/** `phase start planning` or `activity complete planning load_attributes`. */
export function parse(request: string, reason?: string, expected?: string): Transition {
  const [kind, action, phase, activity] = request.split(' ');
  const extra = { reason: reason ?? null, expected: (expected ?? null) as never };
  return kind === 'phase'
    ? { kind: 'phase', action: action as never, phase: phase!, ...extra }
    : { kind: 'activity', action: action as never, phase: phase!, activity: activity!, ...extra };
}

/** The steps, in order. */
export const STEPS: readonly Step[] = [
  ['tester', 'activity start planning load_attributes', 'refused'],
  ['tester', 'phase start scoping', 'refused'],
  ['tester', 'activity start planning complete_planning', 'refused'],
  // START is a marker: starting the phase completes it (one history row each).
  ['tester', 'phase start planning', 'allowed'],
  ['tester', 'activity start planning start_planning', 'unchanged'],
  ['tester', 'activity block planning start_planning', 'refused', 'markers are not worked'],
  ['owner', 'activity start planning load_attributes', 'refused'],
  ['nobody', 'activity start planning load_attributes', 'refused'],
  ['unchecked', 'activity start planning load_attributes', 'allowed'],
  ['tester', 'activity block planning load_attributes', 'refused'],
  ['tester', 'activity block planning load_attributes', 'allowed', 'source system down'],
  ['tester', 'phase complete planning', 'refused'],
  ['tester', 'activity unblock planning load_attributes', 'allowed'],
  ['tester', 'activity complete planning load_attributes', 'allowed'],
  ['tester', 'activity skip planning review_attributes', 'refused', 'not needed'],
  ['tester', 'activity start planning review_attributes', 'allowed'],
  ['tester', 'activity complete planning review_attributes', 'allowed'],
  ['owner', 'activity start planning approve_attributes', 'allowed'],
  ['tester', 'activity request-revision planning load_attributes', 'refused', 'attribute 12 is missing'],
  ['owner', 'activity request-revision planning start_planning', 'refused', 'no'],
  ['owner', 'activity request-revision planning load_attributes', 'allowed', 'attribute 12 is missing'],
  ['owner', 'activity start planning approve_attributes', 'refused'],
  ['tester', 'activity start planning load_attributes', 'allowed'],
  ['tester', 'activity complete planning load_attributes', 'allowed'],
  ['owner', 'activity start planning approve_attributes', 'allowed'],
  ['owner', 'activity complete planning approve_attributes', 'allowed'],
  ['tester', 'activity complete planning complete_planning', 'refused'],
  ['tester', 'activity skip planning add_data_source', 'allowed', 'no extra source'],
  // COMPLETE is a marker: completing it (from NOT_STARTED) completes the phase.
  ['tester', 'activity complete planning complete_planning', 'allowed'],
  ['tester', 'phase reopen planning', 'refused', 'late attribute'],
  ['executive', 'phase reopen planning', 'refused'],
  ['tester', 'phase start scoping', 'allowed'],
  ['executive', 'phase reopen planning', 'refused', 'late attribute'],
  ['tester', 'phase skip data_request', 'refused', 'not needed'],
  ['tester', 'phase skip data_profiling', 'allowed', 'profiled last cycle'],
  ['tester', 'phase skip data_profiling', 'unchanged', 'again'],
  ['tester', 'activity start scoping rate_risk', 'allowed'],
  ['tester', 'activity complete scoping rate_risk', 'allowed'],
  ['admin', 'activity start scoping owner_approval', 'allowed'],
  ['admin', 'activity complete scoping owner_approval', 'allowed'],
  // Completing the phase completes its COMPLETE activity.
  ['tester', 'phase complete scoping', 'allowed'],
  // Reopening reopens COMPLETE (START stays COMPLETED); completing the phase again closes it.
  ['executive', 'phase reopen planning', 'allowed', 'late attribute'],
  ['tester', 'activity start planning complete_planning', 'refused'],
  ['tester', 'phase complete planning', 'allowed'],
  // Someone else already did what was asked: the same answer as for any repeated request.
  ['tester', 'activity complete planning load_attributes', 'unchanged', undefined, 'IN_PROGRESS'],
  ['tester', 'activity block planning load_attributes', 'refused', 'late', 'IN_PROGRESS'],
  // Completing (or starting) the START activity starts its phase.
  ['tester', 'activity complete data_request start_data_request', 'allowed'],
  ['tester', 'phase start data_request', 'unchanged'],
  ['tester', 'phase start scopin', 'refused'],
  ['tester', 'activity start scoping rate_rsk', 'refused'],
];

/** The actor of a step. */
export function actor(who: Who): Actor {
  return who === 'unchecked' ? { id: 9, name: 'uma', role: null, rolesChecked: false } : ACTORS[who];
}

