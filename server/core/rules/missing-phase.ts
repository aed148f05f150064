/** missing-phase: one of the nine standard phases is not defined. */
import { didYouMean } from '../did-you-mean';
import { PHASE_NAMES, standardPhase, STANDARD_PHASES } from '../model';
import type { FileRule } from './rule';

/** The rule. */
export const missingPhase: FileRule = {
  id: 'missing-phase',
  severity: 'error',
  title: 'All nine standard phases must be defined',
  check(definition, report) {
    if (!definition.phasesKeySpan) return;
    const present = new Set(definition.phases.map((p) => p.name?.value));
    // A misspelt phase is reported once, by unknown-phase with its suggestion, not again here.
    for (const phase of definition.phases) {
      const name = phase.name?.value;
      if (name !== undefined && !standardPhase(name)) present.add(didYouMean(name, PHASE_NAMES.filter((n) => !present.has(n))));
    }
    for (const phase of STANDARD_PHASES) {
      if (present.has(phase.name)) continue;
      report({
        message: `Phase '${phase.name}' (${phase.order}, ${phase.title}) is missing; every workflow defines all nine phases.`,
        span: definition.phasesKeySpan,
        data: { phase: phase.name, order: phase.order },
      });
    }
  },
};
