/** duplicate-instance: one (cycle, report) claimed twice, in one file or across files. */
import type { Span } from '../problem';
import type { CrossFileRule } from './registry';

/** The rule. */
export const duplicateInstance: CrossFileRule = {
  id: 'duplicate-instance',
  severity: 'error',
  title: 'A (cycle, report) instance follows exactly one workflow',
  check(files, report) {
    const first = new Map<string, { file: string; span: Span; workflow: string }>();
    for (const file of [...files].sort((a, b) => a.file.localeCompare(b.file))) {
      const workflow = file.definition.workflow?.value ?? '(unnamed)';
      for (const claim of file.definition.appliesTo) {
        if (!claim.cycle) continue;
        for (const reportRef of claim.reports) {
          const key = `${String(claim.cycle.value)}\u0000${String(reportRef.value)}`;
          const earlier = first.get(key);
          if (!earlier) {
            first.set(key, { file: file.file, span: reportRef.span, workflow });
            continue;
          }
          const where = earlier.file === file.file ? 'earlier in this file' : `by workflow '${earlier.workflow}' in ${earlier.file}`;
          report(file.file, {
            message: `Report '${String(reportRef.value)}' in cycle '${String(claim.cycle.value)}' is already claimed ${where}; an instance follows one workflow.`,
            span: reportRef.span,
            related: [{ file: earlier.file, span: earlier.span, message: 'first claimed here' }],
          });
        }
      }
    }
  },
};
