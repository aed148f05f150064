/** `allowed`: the transitions an actor may make on an instance right now. */
import { explain } from './explain';
import type { InstanceSnapshot } from './snapshot';
import type { Actor, Transition } from './types';
import { ACTIVITY_ACTIONS, PHASE_ACTIONS, isMarker, needsReason } from './types';

/** One legal transition: what it is, where it goes, and whether it still needs a reason. */
export interface AllowedTransition {
  readonly transition: Transition;
  readonly from: string;
  readonly to: string;
  /** True when the caller must still supply a reason (reopen, skip, block, request revision). */
  readonly needsReason: boolean;
}

/**
 * Every transition `actor` may make on `snapshot` now, phases first, in order. The START
 * and COMPLETE markers are offered only where no phase transition does the same (an
 * instance written before markers, whose START was left open).
 */
export function allowed(snapshot: InstanceSnapshot, actor: Actor): AllowedTransition[] {
  const out: AllowedTransition[] = [];
  const consider = (t: Transition, marker = false) => {
    const reasonNeeded = needsReason(t);
    const e = explain(snapshot, reasonNeeded ? { ...t, reason: 'reason to be given' } : t, actor);
    // A marker that moves its phase is the phase transition listed already.
    if (marker && e.changes.some((c) => c.entity === 'phase')) return;
    if (e.verdict === 'allowed') out.push({ transition: t, from: e.from!, to: e.to!, needsReason: reasonNeeded });
  };
  for (const phase of snapshot.phases) {
    for (const action of PHASE_ACTIONS) consider({ kind: 'phase', action, phase: phase.name });
    for (const activity of phase.activities) {
      const marker = isMarker(activity.type);
      for (const action of marker ? (['complete'] as const) : ACTIVITY_ACTIONS) consider({ kind: 'activity', action, phase: phase.name, activity: activity.name }, marker);
    }
  }
  return out;
}
