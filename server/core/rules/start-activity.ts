/** start-activity: each phase has exactly one START activity, first, not optional. */
import { checkBoundary } from './boundary-activity';
import type { FileRule } from './rule';

/** The rule. */
export const startActivity: FileRule = {
  id: 'start-activity',
  severity: 'error',
  title: 'Each phase starts with exactly one required START activity',
  check(definition, report) {
    for (const phase of definition.phases) checkBoundary(phase, { type: 'START', position: 'first' }, report);
  },
};
