/** complete-activity: each phase has exactly one COMPLETE activity, last, not optional. */
import { checkBoundary } from './boundary-activity';
import type { FileRule } from './rule';

/** The rule. */
export const completeActivity: FileRule = {
  id: 'complete-activity',
  severity: 'error',
  title: 'Each phase ends with exactly one required COMPLETE activity',
  check(definition, report) {
    for (const phase of definition.phases) checkBoundary(phase, { type: 'COMPLETE', position: 'last' }, report);
  },
};
