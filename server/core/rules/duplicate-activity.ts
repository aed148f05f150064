/** duplicate-activity: two activities of one phase share a name. */
import type { Span } from '../problem';
import type { FileRule } from './rule';

/** The rule. */
export const duplicateActivity: FileRule = {
  id: 'duplicate-activity',
  severity: 'error',
  title: 'Activity names must be unique within a phase',
  check(definition, report) {
    for (const phase of definition.phases) {
      const first = new Map<string, Span>();
      for (const activity of phase.activities) {
        const name = activity.name;
        if (!name) continue;
        const earlier = first.get(name.value);
        if (!earlier) {
          first.set(name.value, name.span);
          continue;
        }
        report({
          message: `Activity '${name.value}' appears twice in phase '${phase.name?.value ?? phase.index + 1}'.`,
          span: name.span,
          related: [{ span: earlier, message: `'${name.value}' is first defined here` }],
        });
      }
    }
  },
};
