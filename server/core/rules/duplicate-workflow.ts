/** duplicate-workflow: two files define the same workflow name. */
import type { Span } from '../problem';
import type { CrossFileRule } from './registry';

/** The rule. */
export const duplicateWorkflow: CrossFileRule = {
  id: 'duplicate-workflow',
  severity: 'error',
  title: 'Workflow names must be unique across the workspace',
  check(files, report) {
    const first = new Map<string, { file: string; span: Span }>();
    for (const file of [...files].sort((a, b) => a.file.localeCompare(b.file))) {
      const workflow = file.definition.workflow;
      if (!workflow) continue;
      const earlier = first.get(workflow.value);
      if (!earlier) {
        first.set(workflow.value, { file: file.file, span: workflow.span });
        continue;
      }
      report(file.file, {
        message: `Workflow '${workflow.value}' is also defined in ${earlier.file}; workflow names are unique across the workspace.`,
        span: workflow.span,
        related: [{ file: earlier.file, span: earlier.span, message: `'${workflow.value}' is first defined here` }],
      });
    }
  },
};
