/** unknown-cycle: an `applies_to` cycle that names no row of `test_cycles` in the connected database. */
import { unknownRowMessage, type LiveRule } from './live';

/** The rule. */
export const unknownCycle: LiveRule = {
  id: 'unknown-cycle',
  severity: 'warning',
  title: "'applies_to' cycles must exist in the database",
  check(definition, facts, report) {
    const missing = new Set(facts.unknown.filter((u) => u.kind === 'cycle').map((u) => u.value));
    for (const claim of definition.appliesTo) {
      if (!claim.cycle || !missing.has(claim.cycle.value)) continue;
      const value = claim.cycle.value;
      report({
        message: unknownRowMessage('Test cycle', value),
        span: claim.cycle.span,
        data: { kind: 'cycle', value: String(value) },
      });
    }
  },
};
