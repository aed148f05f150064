/** Generated definition files of a given size, for the benchmarks. */
import { PHASE_NAMES } from '../server/core/index';

/** Options for `generateWorkflow`. */
export interface GenerateOptions {
  /** The workflow name (default `bench-<activities>`). */
  readonly name?: string;
  /** Write one invalid activity type (`TAKS`) in the last phase, near the end of the file. */
  readonly invalidNearEnd?: boolean;
}

/**
 * A valid definition with about `activities` activities spread over the nine phases
 * (START, tasks and reviews, an APPROVAL, COMPLETE in each); every tenth activity is
 * written in block style, the rest in flow style, as people write them.
 */
export function generateWorkflow(activities: number, options: GenerateOptions = {}): string {
  const perPhase = Math.max(4, Math.floor(activities / PHASE_NAMES.length));
  const out: string[] = ['version: 1', `workflow: ${options.name ?? `bench-${activities}`}`, 'phases:'];
  PHASE_NAMES.forEach((phase, p) => {
    out.push(`  - name: ${phase}`, `    order: ${p + 1}`, '    risk_level: medium', '    sla_hours: 72', '    activities:');
    out.push(`      - {name: start_${phase}, type: START}`);
    const last = p === PHASE_NAMES.length - 1;
    for (let i = 0; i < perPhase - 3; i++) {
      const type = last && options.invalidNearEnd && i === perPhase - 5 ? 'TAKS' : i % 7 === 6 ? 'REVIEW' : 'TASK';
      const role = type === 'REVIEW' ? 'test_executive' : 'tester';
      if (i % 10 === 9) out.push(`      - name: ${type.toLowerCase()}_${phase}_${i}`, `        type: ${type}`, `        role: ${role}`, '        required: false');
      else out.push(`      - {name: ${type.toLowerCase()}_${phase}_${i}, type: ${type}, role: ${role}}`);
    }
    out.push(`      - {name: approve_${phase}, type: APPROVAL, role: report_owner}`, `      - {name: complete_${phase}, type: COMPLETE}`);
  });
  return out.join('\n') + '\n';
}
