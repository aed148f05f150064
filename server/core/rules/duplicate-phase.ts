/** duplicate-phase: the same phase written twice. */
import { forEachRepeatedName } from './repeated-names';
import type { FileRule } from './rule';

/** The rule. */
export const duplicatePhase: FileRule = {
  id: 'duplicate-phase',
  severity: 'error',
  title: 'Each phase must appear exactly once',
  check(definition, report) {
    forEachRepeatedName(definition.phases, (phase, name, first) => {
      report({
        message: `Phase '${name.value}' is defined twice; each phase appears exactly once.`,
        span: name.span,
        related: [{ span: first, message: `'${name.value}' is first defined here` }],
        data: { removeStart: phase.span.start, removeEnd: phase.span.end },
      });
    });
  },
};
