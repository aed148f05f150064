/** `applyTransition`: the pure state change, as the database executes it. */
import { explain } from './explain';
import type { ActivityState, InstanceSnapshot, PhaseState, Timestamp } from './snapshot';
import type { Actor, Explanation, StatusChange, Transition } from './types';

/** The outcome of applying a transition to a snapshot. */
export interface Applied {
  readonly explanation: Explanation;
  /** The new snapshot; the very same object when nothing changed. */
  readonly snapshot: InstanceSnapshot;
  /** The status changes made: one history row each. Empty unless the verdict is `allowed`. */
  readonly changes: readonly StatusChange[];
}

function movePhase(p: PhaseState, to: string, by: number | null, at: Timestamp): PhaseState {
  switch (to) {
    case 'IN_PROGRESS':
      // A reopened phase keeps when it first started; its completion is undone.
      return { ...p, status: 'IN_PROGRESS', startedAt: p.startedAt ?? at, startedBy: p.startedAt ? p.startedBy : by, completedAt: null, completedBy: null };
    case 'COMPLETED':
      return { ...p, status: 'COMPLETED', completedAt: at, completedBy: by };
    default:
      return { ...p, status: to as PhaseState['status'] };
  }
}

function moveActivity(a: ActivityState, to: string, reason: string | null, by: number | null, at: Timestamp): ActivityState {
  switch (to) {
    case 'IN_PROGRESS':
      // Resumed work (unblocked, or reworked after a revision request) keeps its first start.
      return { ...a, status: 'IN_PROGRESS', startedAt: a.startedAt ?? at, startedBy: a.startedAt ? a.startedBy : by, blockedReason: null };
    case 'COMPLETED':
      return { ...a, status: 'COMPLETED', completedAt: at, completedBy: by, revisionReason: null };
    case 'BLOCKED':
      return { ...a, status: 'BLOCKED', blockedReason: reason };
    case 'REVISION_REQUESTED':
      return { ...a, status: 'REVISION_REQUESTED', revisionReason: reason, completedAt: null, completedBy: null };
    case 'NOT_STARTED':
      // An approval withdrawn by a revision request is given again from scratch.
      return { ...a, status: 'NOT_STARTED', startedAt: null, startedBy: null, completedAt: null, completedBy: null };
    default:
      return { ...a, status: to as ActivityState['status'] };
  }
}

/** Applies status changes to a snapshot, stamping them with `actor` and `at`. */
export function applyChanges(snapshot: InstanceSnapshot, changes: readonly StatusChange[], actorId: number | null, at: Timestamp): InstanceSnapshot {
  if (changes.length === 0) return snapshot;
  const phases = snapshot.phases.map((p) => {
    let next = p;
    for (const c of changes) {
      if (c.phase !== p.name) continue;
      if (c.entity === 'phase') next = movePhase(next, c.to, actorId, at);
      else next = { ...next, activities: next.activities.map((a) => (a.name === c.activity ? moveActivity(a, c.to, c.reason, actorId, at) : a)) };
    }
    return next;
  });
  return { ...snapshot, phases };
}

/**
 * Explains `transition` and, when it is allowed, applies it at time `at`: the pure
 * model of what the database does in one transaction.
 */
export function applyTransition(snapshot: InstanceSnapshot, transition: Transition, actor: Actor, at: Timestamp): Applied {
  const explanation = explain(snapshot, transition, actor);
  if (explanation.verdict !== 'allowed') return { explanation, snapshot, changes: [] };
  return { explanation, snapshot: applyChanges(snapshot, explanation.changes, actor.id, at), changes: explanation.changes };
}
