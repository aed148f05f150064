/** Generated definition files for benchmarks: all nine phases, `n` activities in all, one invalid type near the end. */
import { PHASE_NAMES } from '../server/core/index';

/** The marker of the invalid activity type each generated file holds near its end. */
export const INVALID_TYPE = 'TASKK';

/**
 * A valid definition with `activities` activities spread over the nine phases, except
 * (unless `invalidNearEnd` is false) one activity of the last phase whose type is `INVALID_TYPE`.
 */
export function generateDefinition(activities: number, workflow = 'bench', invalidNearEnd = true): string {
  const perPhase = Math.max(3, Math.floor(activities / PHASE_NAMES.length));
  const out: string[] = ['version: 1', `workflow: ${workflow}`, 'phases:'];
  PHASE_NAMES.forEach((phase, p) => {
    const last = p === PHASE_NAMES.length - 1;
    out.push(`  - name: ${phase}`, `    risk_level: medium`, `    sla_hours: 72`, '    activities:');
    out.push(`      - {name: start_${phase}, type: START}`);
    for (let i = 1; i < perPhase - 1; i++) {
      const type = invalidNearEnd && last && i === perPhase - 3 ? INVALID_TYPE : i % 5 === 0 ? 'REVIEW' : 'TASK';
      out.push(`      - name: ${phase}_step_${i}`, `        type: ${type}`, `        role: tester`);
    }
    out.push(`      - {name: complete_${phase}, type: COMPLETE}`);
  });
  return `${out.join('\n')}\n`;
}
