/** unknown-phase: a phase name that is not one of the nine standard phases. */
import { didYouMean } from '../did-you-mean';
import { PHASE_NAMES, standardPhase } from '../model';
import type { FileRule } from './rule';

/** The rule. */
export const unknownPhase: FileRule = {
  id: 'unknown-phase',
  severity: 'error',
  title: 'Phase names must be one of the nine standard phases',
  check(definition, report) {
    for (const phase of definition.phases) {
      const name = phase.name;
      if (!name || standardPhase(name.value)) continue;
      const used = new Set(definition.phases.map((p) => p.name?.value));
      const unused = PHASE_NAMES.filter((n) => !used.has(n));
      const suggestion = didYouMean(name.value, unused) ?? didYouMean(name.value, PHASE_NAMES);
      report({
        message: `Unknown phase '${name.value}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}. The phases are: ${PHASE_NAMES.join(', ')}.`,
        span: name.span,
        ...(suggestion ? { data: { suggestion } } : {}),
      });
    }
  },
};
