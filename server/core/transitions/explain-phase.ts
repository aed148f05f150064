/** The guards and effects of phase transitions: start, complete, reopen, skip. */
import type { ActivityState, InstanceSnapshot, PhaseState } from './snapshot';
import { anyRoleGuard, completionGuards, dependencyGuards, dependents, reasonGuard, statusGuard } from './guards';
import type { Actor, Guard, PhaseTransition, StatusChange } from './types';
import { PHASE_MOVES, REOPEN_ROLES } from './types';

/** What a phase action checks, the changes it makes, and notes worth showing. */
export interface Planned {
  readonly guards: Guard[];
  readonly changes: StatusChange[];
  readonly notes: string[];
}

/**
 * The guards and changes of `transition` on `phase` (which is not already in the target
 * status). Starting a phase completes its START activity; completing it completes its
 * COMPLETE activity (the other activities must be done); reopening it reopens COMPLETE.
 */
export function planPhase(snapshot: InstanceSnapshot, phase: PhaseState, transition: PhaseTransition, actor: Actor): Planned {
  const move = PHASE_MOVES[transition.action];
  const subject = `phase ${phase.name}`;
  const reason = transition.reason?.trim() || null;
  const guards: Guard[] = [statusGuard(subject, phase.status, move.from, transition.action === 'reopen' ? 'be reopened' : transition.action)];
  const notes: string[] = [];
  const start = phase.activities.find((a) => a.type === 'START');
  const complete = phase.activities.find((a) => a.type === 'COMPLETE');
  // The markers move with their phase: one status change (one history row) each.
  const before: StatusChange[] = [];
  const after: StatusChange[] = [];
  const marker = (list: StatusChange[], a: ActivityState | undefined, to: string, why: string | null) => {
    if (a && a.status !== to) list.push({ entity: 'activity', phase: phase.name, activity: a.name, from: a.status, to, reason: why });
  };
  switch (transition.action) {
    case 'start':
      guards.push(...dependencyGuards(snapshot, phase));
      marker(after, start, 'COMPLETED', null);
      break;
    case 'complete':
      guards.push(...completionGuards(phase, complete));
      marker(before, complete, 'COMPLETED', null);
      break;
    case 'reopen': {
      guards.push(reasonGuard(reason, `reopening ${phase.name}`), anyRoleGuard(actor, REOPEN_ROLES, `reopening ${phase.name}`));
      guards.push(...dependencyGuards(snapshot, phase));
      for (const d of dependents(snapshot, phase)) {
        const text = `${d.name} depends on ${phase.name} and is ${d.status}`;
        guards.push(d.status === 'IN_PROGRESS'
          ? { id: 'downstream', result: 'fail', message: `${text}: complete it before reopening ${phase.name}` }
          : { id: 'downstream', result: 'pass', message: text });
      }
      const done = dependents(snapshot, phase).filter((d) => d.status === 'COMPLETED');
      if (done.length > 0) notes.push(`downstream phase${done.length > 1 ? 's' : ''} ${done.map((d) => d.name).join(', ')} ${done.length > 1 ? 'are' : 'is'} COMPLETED and built on ${phase.name}'s earlier result`);
      // START stays COMPLETED: the phase is in progress again, its COMPLETE marker is not.
      marker(after, complete, 'NOT_STARTED', reason);
      break;
    }
    case 'skip':
      guards.push(phase.skippable
        ? { id: 'skippable', result: 'pass', message: `${phase.name} is skippable in its definition` }
        : { id: 'skippable', result: 'fail', message: `${phase.name} is not skippable (its definition does not say \`skippable: true\`)` });
      guards.push(reasonGuard(reason, `skipping ${phase.name}`));
      break;
  }
  const changes: StatusChange[] = [...before, { entity: 'phase', phase: phase.name, activity: null, from: phase.status, to: move.to, reason }, ...after];
  return { guards, changes, notes };
}
