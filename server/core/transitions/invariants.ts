/** The invariants every reachable instance state keeps; checked by the property tests and `phasectl` diagnostics. */
import type { InstanceSnapshot } from './snapshot';
import { findPhase } from './snapshot';

/**
 * Every invariant `snapshot` breaks, as sentences (empty when it is sound):
 * a COMPLETED phase has every required activity COMPLETED; no phase is IN_PROGRESS
 * while a `depends_on` phase is NOT_STARTED or IN_PROGRESS; completed_at >= started_at.
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
    for (const s of [p, ...p.activities]) {
      if (s.startedAt !== null && s.completedAt !== null && s.completedAt < s.startedAt) {
        out.push(`${p.name}${s === p ? '' : `/${s.name}`}: completed at ${s.completedAt}, before it started at ${s.startedAt}`);
      }
    }
  }
  return out;
}
