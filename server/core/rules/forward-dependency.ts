/** forward-dependency: a phase depends on itself or on a later phase (which would allow cycles). */
import { standardPhase } from '../model';
import type { FileRule } from './rule';

/** The rule. */
export const forwardDependency: FileRule = {
  id: 'forward-dependency',
  severity: 'error',
  title: 'A phase may depend only on earlier phases',
  check(definition, report) {
    const defined = new Map(definition.phases.filter((p) => p.name).map((p) => [p.name!.value, p.name!.span]));
    for (const phase of definition.phases) {
      const own = phase.name ? standardPhase(phase.name.value) : undefined;
      if (!own) continue;
      for (const entry of phase.dependsOn?.value ?? []) {
        const target = standardPhase(entry.value);
        if (!target || target.order < own.order) continue;
        const related = defined.get(target.name);
        report({
          message: target.name === own.name
            ? `Phase '${own.name}' depends on itself.`
            : `Phase '${own.name}' (${own.order}) depends on the later phase '${target.name}' (${target.order}); dependencies point backwards only.`,
          span: entry.span,
          ...(related && target.name !== own.name ? { related: [{ span: related, message: `'${target.name}' is defined here` }] } : {}),
        });
      }
    }
  },
};
