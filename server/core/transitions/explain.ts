/** `explain`: every guard of a requested transition with pass/fail, and what it would change. */
import { didYouMean } from '../did-you-mean';
import type { InstanceSnapshot } from './snapshot';
import { findPhase } from './snapshot';
import { planActivity } from './explain-activity';
import { planPhase } from './explain-phase';
import { whoDidIt } from './guards';
import type { Actor, Explanation, Guard, Transition } from './types';
import { activityMove, PHASE_MOVES } from './types';

/** "start phase `scoping`", "complete activity `owner_approval` of phase `scoping`". */
export function transitionTitle(t: Transition): string {
  const action = t.action.replace('-', ' ');
  return t.kind === 'phase' ? `${action} phase \`${t.phase}\`` : `${action} activity \`${t.activity}\` of phase \`${t.phase}\``;
}

function missing(t: Transition, message: string): Explanation {
  return { transition: t, title: transitionTitle(t), from: null, to: null, verdict: 'refused', guards: [{ id: 'exists', result: 'fail', message }], changes: [], notes: [] };
}

function suggestion(name: string, candidates: readonly string[]): string {
  const guess = didYouMean(name, candidates);
  return guess ? ` (did you mean \`${guess}\`?)` : '';
}

/**
 * Explains `transition` on `snapshot` for `actor`: every guard with pass/fail and a
 * sentence, the verdict, and the status changes it would make. Pure; never throws on
 * any request (unknown names are a failed `exists` guard).
 */
export function explain(snapshot: InstanceSnapshot, transition: Transition, actor: Actor): Explanation {
  const title = transitionTitle(transition);
  const phase = findPhase(snapshot, transition.phase);
  if (!phase) return missing(transition, `no phase \`${transition.phase}\` in this instance${suggestion(transition.phase, snapshot.phases.map((p) => p.name))}`);
  const activity = transition.kind === 'activity' ? phase.activities.find((a) => a.name === transition.activity) : undefined;
  if (transition.kind === 'activity' && !activity) {
    return missing(transition, `phase ${phase.name} has no activity \`${transition.activity}\`${suggestion(transition.activity, phase.activities.map((a) => a.name))}`);
  }
  const target = activity ?? phase;
  const subject = activity ? `${phase.name}: activity \`${activity.name}\`` : `phase ${phase.name}`;
  const to = transition.kind === 'phase' ? PHASE_MOVES[transition.action].to : activityMove(activity!.type, transition.action).to;
  const guards: Guard[] = [{ id: 'exists', result: 'pass', message: `${subject} exists` }];
  const base = { transition, title, from: target.status, to };
  // Already where the request leads (e.g. someone else started it first): the same answer
  // whether or not the requester saw the old state.
  if (target.status === to) {
    return { ...base, verdict: 'unchanged', guards, changes: [], notes: [`${subject} is already ${to}${whoDidIt(snapshot, target)}: nothing to do`] };
  }
  if (transition.expected && transition.expected !== target.status) {
    guards.push({ id: 'unchanged-since-read', result: 'fail', message: `${subject} is now ${target.status}${whoDidIt(snapshot, target)}, no longer ${transition.expected} as when the request was made` });
    return { ...base, verdict: 'refused', guards, changes: [], notes: [] };
  }
  const planned = transition.kind === 'phase'
    ? planPhase(snapshot, phase, transition, actor)
    : planActivity(snapshot, phase, activity!, transition, actor);
  guards.push(...planned.guards);
  const verdict = guards.some((g) => g.result === 'fail') ? 'refused' : 'allowed';
  return { ...base, verdict, guards, changes: verdict === 'allowed' ? planned.changes : [], notes: planned.notes };
}
