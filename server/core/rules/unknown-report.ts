/** unknown-report: an `applies_to` report that names no row of `reports` in the connected database. */
import { unknownRowMessage, type LiveRule } from './live';

/** The rule. */
export const unknownReport: LiveRule = {
  id: 'unknown-report',
  severity: 'warning',
  title: "'applies_to' reports must exist in the database",
  check(definition, facts, report) {
    const missing = new Set(facts.unknown.filter((u) => u.kind === 'report').map((u) => u.value));
    for (const claim of definition.appliesTo) {
      for (const entry of claim.reports) {
        if (!missing.has(entry.value)) continue;
        const value = entry.value;
        report({
          message: unknownRowMessage('Report', value),
          span: entry.span,
          data: { kind: 'report', value: String(value) },
        });
      }
    }
  },
};
