/** activity-order: an activity's explicit `order:` differs from its position in the list. */
import type { FileRule } from './rule';

/** The rule. */
export const activityOrder: FileRule = {
  id: 'activity-order',
  severity: 'error',
  title: "An activity's order must be its position in the list",
  check(definition, report) {
    for (const phase of definition.phases) {
      phase.activities.forEach((activity, position) => {
        const order = activity.order;
        if (!order || order.value === position + 1) return;
        report({
          message: `Activity '${activity.name?.value ?? position + 1}' has order ${order.value} but is number ${position + 1} in the list; list position is activity_order.`,
          span: order.span,
          data: { expected: position + 1 },
        });
      });
    }
  },
};
