/** phase-order: phases out of standard order, or an `order:` that is not the standard number. */
import { standardPhase } from '../model';
import type { FileRule } from './rule';

/** The rule. */
export const phaseOrder: FileRule = {
  id: 'phase-order',
  severity: 'error',
  title: 'Phases must be in standard order',
  check(definition, report) {
    let highest: { order: number; name: string } | undefined;
    const seen = new Set<string>();
    for (const phase of definition.phases) {
      const name = phase.name?.value;
      const standard = name === undefined ? undefined : standardPhase(name);
      if (!standard || !phase.name) continue;
      if (phase.order && phase.order.value !== standard.order) {
        report({
          message: `Phase '${standard.name}' has order ${phase.order.value}; its standard order is ${standard.order}.`,
          span: phase.order.span,
          data: { expected: standard.order },
        });
      }
      if (seen.has(standard.name)) continue;
      seen.add(standard.name);
      if (highest && standard.order < highest.order) {
        report({
          message: `Phase '${standard.name}' (standard order ${standard.order}) must come before '${highest.name}' (${highest.order}).`,
          span: phase.name.span,
          data: { expected: standard.order },
        });
      } else {
        highest = { order: standard.order, name: standard.name };
      }
    }
  },
};
