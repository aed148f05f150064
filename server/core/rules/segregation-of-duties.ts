/** segregation-of-duties: an approver role that also did the work it approves. */
import type { ActivityDefinition } from '../definition/types';
import type { FileRule } from './rule';

/** The rule. */
export const segregationOfDuties: FileRule = {
  id: 'segregation-of-duties',
  severity: 'warning',
  title: 'An approver should not approve work done by the same role',
  check(definition, report) {
    for (const phase of definition.phases) {
      // The work an approval approves: the activities since the previous approval.
      let work: ActivityDefinition[] = [];
      for (const activity of phase.activities) {
        const type = activity.type?.value;
        if (type !== 'APPROVAL') {
          if (type !== 'START' && type !== 'COMPLETE') work.push(activity);
          continue;
        }
        const role = activity.role;
        const doer = role ? work.find((w) => w.role?.value === role.value) : undefined;
        if (role && doer) {
          report({
            message: `Approval '${activity.name?.value ?? ''}' is by '${role.value}', the role that did '${doer.name?.value ?? ''}': segregation of duties wants a different approver.`,
            span: role.span,
            related: [{ span: doer.role!.span, message: `'${doer.name?.value ?? ''}' is done by '${role.value}'` }],
          });
        }
        work = [];
      }
    }
  },
};
