/** duplicate-activity: two activities of one phase share a name. */
import { forEachRepeatedName } from './repeated-names';
import type { FileRule } from './rule';

/** The rule. */
export const duplicateActivity: FileRule = {
  id: 'duplicate-activity',
  severity: 'error',
  title: 'Activity names must be unique within a phase',
  check(definition, report) {
    for (const phase of definition.phases) {
      forEachRepeatedName(phase.activities, (_activity, name, first) => {
        report({
          message: `Activity '${name.value}' appears twice in phase '${phase.name?.value ?? phase.index + 1}'.`,
          span: name.span,
          related: [{ span: first, message: `'${name.value}' is first defined here` }],
        });
      });
    }
  },
};
