/** The guards and effects of activity transitions. */
import type { ActivityState, InstanceSnapshot, PhaseState } from './snapshot';
import type { Planned } from './explain-phase';
import { completionGuards, dependencyGuards, phaseInProgressGuard, reasonGuard, roleGuard, statusGuard } from './guards';
import type { ActivityTransition, Actor, Guard, StatusChange } from './types';
import { activityMove, isMarker } from './types';

const VERBS: Readonly<Record<string, string>> = {
  start: 'start', complete: 'complete', block: 'be blocked', unblock: 'be unblocked', skip: 'be skipped', 'request-revision': 'be sent back',
};

/** The nearest APPROVAL after `activity` that has been started or given: the approver who can send the work back. */
export function reviewingApproval(phase: PhaseState, activity: ActivityState): ActivityState | undefined {
  return phase.activities.find((a) => a.order > activity.order && a.type === 'APPROVAL' && (a.status === 'IN_PROGRESS' || a.status === 'COMPLETED'));
}

function previousRequiredGuards(phase: PhaseState, activity: ActivityState): Guard[] {
  const before = phase.activities.filter((a) => a.order < activity.order && a.required);
  const open = before.filter((a) => a.status !== 'COMPLETED');
  if (open.length === 0) {
    return [{ id: 'previous-activities', result: 'pass', message: before.length === 0
      ? `${phase.name}: no required activity comes before \`${activity.name}\``
      : `${phase.name}: the ${before.length} required ${before.length === 1 ? 'activity' : 'activities'} before \`${activity.name}\` ${before.length === 1 ? 'is' : 'are'} COMPLETED` }];
  }
  return open.map((a) => ({ id: 'previous-activities', result: 'fail', message: `${phase.name}: required activity \`${a.name}\` is ${a.status}; it comes before \`${activity.name}\`` }));
}

/** A marker refuses being worked: `verb` is what was asked ("started", "blocked", …). */
function markerGuard(phase: PhaseState, activity: ActivityState, verb: string): Guard {
  const how = activity.type === 'START' ? `starting phase ${phase.name} completes it` : `completing it (or phase ${phase.name}) completes the phase`;
  return { id: 'marker', result: 'fail', message: `\`${activity.name}\` is the ${activity.type} marker of ${phase.name}, not work: it is not ${verb}; ${how}` };
}

/** START: completing (or starting) it starts its phase when NOT_STARTED, with the phase-start guards. */
function planStartMarker(snapshot: InstanceSnapshot, phase: PhaseState, activity: ActivityState, actor: Actor, guards: Guard[], changes: StatusChange[]): void {
  if (phase.status === 'NOT_STARTED') {
    guards.push({ id: 'phase-startable', result: 'pass', message: `phase ${phase.name} is NOT_STARTED: its START activity starts it` });
    guards.push(...dependencyGuards(snapshot, phase));
    changes.push({ entity: 'phase', phase: phase.name, activity: null, from: phase.status, to: 'IN_PROGRESS', reason: null });
  } else {
    guards.push(phaseInProgressGuard(phase));
  }
  guards.push(roleGuard(actor, activity.role, `\`${activity.name}\``));
  changes.push({ entity: 'activity', phase: phase.name, activity: activity.name, from: activity.status, to: 'COMPLETED', reason: null });
}

/** The guards and changes of `transition` on `activity` (which is not already in the target status). */
export function planActivity(snapshot: InstanceSnapshot, phase: PhaseState, activity: ActivityState, transition: ActivityTransition, actor: Actor): Planned {
  const move = activityMove(activity.type, transition.action);
  const what = `\`${activity.name}\``;
  const reason = transition.reason?.trim() || null;
  const guards: Guard[] = [statusGuard(`${phase.name}: activity ${what}`, activity.status, move.from, VERBS[transition.action]!)];
  const changes: StatusChange[] = [];
  const notes: string[] = [];
  const change = (a: ActivityState, to: string, why: string | null = reason) => changes.push({ entity: 'activity', phase: phase.name, activity: a.name, from: a.status, to, reason: why });
  if (activity.type === 'START' && (transition.action === 'start' || transition.action === 'complete')) {
    planStartMarker(snapshot, phase, activity, actor, guards, changes);
    return { guards, changes, notes };
  }
  if (isMarker(activity.type) && transition.action !== 'complete' && transition.action !== 'unblock' && transition.action !== 'request-revision') {
    guards.push(markerGuard(phase, activity, { start: 'started', block: 'blocked', skip: 'skipped' }[transition.action]));
  }
  switch (transition.action) {
    case 'start':
      guards.push(phaseInProgressGuard(phase));
      if (phase.status === 'NOT_STARTED') notes.push(`start phase ${phase.name} first: that completes its START activity`);
      guards.push(roleGuard(actor, activity.role, what));
      if (!isMarker(activity.type)) guards.push(...previousRequiredGuards(phase, activity));
      change(activity, move.to, null);
      break;
    case 'complete':
      guards.push(phaseInProgressGuard(phase), roleGuard(actor, activity.role, what));
      change(activity, move.to, null);
      if (activity.type === 'COMPLETE') {
        guards.push(...completionGuards(phase, activity));
        changes.push({ entity: 'phase', phase: phase.name, activity: null, from: phase.status, to: 'COMPLETED', reason: null });
      }
      break;
    case 'block':
      guards.push(phaseInProgressGuard(phase), reasonGuard(reason, `blocking ${what}`), roleGuard(actor, activity.role, what));
      change(activity, move.to);
      break;
    case 'unblock':
      guards.push(phaseInProgressGuard(phase), roleGuard(actor, activity.role, what));
      change(activity, move.to, null);
      break;
    case 'skip':
      guards.push(phaseInProgressGuard(phase));
      guards.push(activity.required
        ? { id: 'optional', result: 'fail', message: `${phase.name}: ${what} is required; only optional activities can be skipped` }
        : { id: 'optional', result: 'pass', message: `${phase.name}: ${what} is optional` });
      guards.push(roleGuard(actor, activity.role, what));
      change(activity, move.to);
      break;
    case 'request-revision': {
      guards.push(phaseInProgressGuard(phase), reasonGuard(reason, `sending ${what} back`));
      const isWork = activity.type !== 'START' && activity.type !== 'COMPLETE' && activity.type !== 'APPROVAL';
      guards.push(isWork
        ? { id: 'work-activity', result: 'pass', message: `${what} is a ${activity.type}: work an approver can send back` }
        : { id: 'work-activity', result: 'fail', message: `${what} is a ${activity.type}; only work (TASK, REVIEW, CUSTOM) can be sent back` });
      const approval = reviewingApproval(phase, activity);
      if (approval) {
        guards.push({ id: 'approval', result: 'pass', message: `${phase.name}: approval \`${approval.name}\` after ${what} is ${approval.status}` });
        guards.push(roleGuard(actor, approval.role, `approval \`${approval.name}\``));
        change(activity, move.to);
        change(approval, 'NOT_STARTED');
        notes.push(`approval \`${approval.name}\` goes back to NOT_STARTED: it is given again after the rework`);
      } else {
        guards.push({ id: 'approval', result: 'fail', message: `${phase.name}: no APPROVAL after ${what} is IN_PROGRESS or COMPLETED; only an approver reviewing the work can send it back` });
        change(activity, move.to);
      }
      break;
    }
  }
  return { guards, changes, notes };
}
