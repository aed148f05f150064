/** unknown-dependency: a `depends_on` entry that names no phase. */
import { didYouMean } from '../did-you-mean';
import { PHASE_NAMES, standardPhase } from '../model';
import type { FileRule } from './rule';

/** The rule. */
export const unknownDependency: FileRule = {
  id: 'unknown-dependency',
  severity: 'error',
  title: "'depends_on' must name real phases",
  check(definition, report) {
    for (const phase of definition.phases) {
      for (const entry of phase.dependsOn?.value ?? []) {
        if (standardPhase(entry.value)) continue;
        const suggestion = didYouMean(entry.value, PHASE_NAMES);
        report({
          message: `'depends_on' names '${entry.value}', which is not a phase${suggestion ? ` (did you mean '${suggestion}'?)` : ''}.`,
          span: entry.span,
          ...(suggestion ? { data: { suggestion } } : {}),
        });
      }
    }
  },
};
