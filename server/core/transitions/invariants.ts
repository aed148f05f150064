/** The invariants every reachable instance state keeps; checked by the property tests and `phasectl` diagnostics. */
import type { InstanceSnapshot } from './snapshot';
import { findPhase } from './snapshot';
import { isMarker } from './types';
import { zoned } from './guards';

/**
 * Every invariant `snapshot` breaks, as sentences (empty when it is sound):
 * a COMPLETED phase has every required activity COMPLETED; no phase is IN_PROGRESS
 * while a `depends_on` phase is NOT_STARTED or IN_PROGRESS; a START activity is COMPLETED
 * exactly while its phase is IN_PROGRESS or COMPLETED, a COMPLETE activity exactly while
 * its phase is COMPLETED (NOT_STARTED otherwise); completed_at >= started_at.
 */
export function invariantViolations(snapshot: InstanceSnapshot): string[] {
  const out: string[] = [];
  for (const p of snapshot.phases) {
    if (p.status === 'COMPLETED') {
      for (const a of p.activities) {
        if (a.required && a.status !== 'COMPLETED') out.push(`${p.name} is COMPLETED but required activity ${a.name} is ${a.status}`);
      }
    }
    if (p.status === 'IN_PROGRESS') {
      for (const d of p.dependsOn) {
        const dep = findPhase(snapshot, d);
        if (dep && (dep.status === 'NOT_STARTED' || dep.status === 'IN_PROGRESS')) out.push(`${p.name} is IN_PROGRESS but ${d}, which it depends on, is ${dep.status}`);
      }
    }
    for (const a of p.activities) {
      if (!isMarker(a.type)) continue;
      const done = a.type === 'START' ? p.status === 'IN_PROGRESS' || p.status === 'COMPLETED' : p.status === 'COMPLETED';
      const want = done ? 'COMPLETED' : 'NOT_STARTED';
      if (a.status !== want) out.push(`${p.name} is ${p.status} but its ${a.type} activity ${a.name} is ${a.status}, not ${want}`);
    }
    for (const s of [p, ...p.activities]) {
      if (s.startedAt !== null && s.completedAt !== null && s.completedAt < s.startedAt) {
        out.push(`${p.name}${s === p ? '' : `/${s.name}`}: completed at ${zoned(s.completedAt)}, before it started at ${zoned(s.startedAt)}`);
      }
    }
  }
  return out;
}
