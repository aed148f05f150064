/** duplicate-phase: the same phase written twice. */
import type { Span } from '../problem';
import type { FileRule } from './rule';

/** The rule. */
export const duplicatePhase: FileRule = {
  id: 'duplicate-phase',
  severity: 'error',
  title: 'Each phase must appear exactly once',
  check(definition, report) {
    const first = new Map<string, Span>();
    for (const phase of definition.phases) {
      const name = phase.name;
      if (!name) continue;
      const earlier = first.get(name.value);
      if (!earlier) {
        first.set(name.value, name.span);
        continue;
      }
      report({
        message: `Phase '${name.value}' is defined twice; each phase appears exactly once.`,
        span: name.span,
        related: [{ span: earlier, message: `'${name.value}' is first defined here` }],
        data: { removeStart: phase.span.start, removeEnd: phase.span.end },
      });
    }
  },
};
