/** approval-role: an APPROVAL activity must name the approver's role. */
import type { FileRule } from './rule';

/** The rule. */
export const approvalRole: FileRule = {
  id: 'approval-role',
  severity: 'error',
  title: 'An APPROVAL activity names an approver role',
  check(definition, report) {
    for (const phase of definition.phases) {
      for (const activity of phase.activities) {
        if (activity.type?.value !== 'APPROVAL' || activity.role) continue;
        report({
          message: `Approval '${activity.name?.value ?? activity.index + 1}' names no approver: add a 'role'.`,
          span: activity.type.span,
          data: { insertAt: activity.type.span.end },
        });
      }
    }
  },
};
