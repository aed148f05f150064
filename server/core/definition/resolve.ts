/** Typed definition -> resolved workflow (defaults applied, positions dropped). */
import { isMember, standardPhase, ACTIVITY_TYPES, PHASE_NAMES, RISK_LEVELS, ROLES } from '../model';
import type { PhaseName } from '../model';
import type { Parsed, Problem } from '../problem';
import type { ResolvedActivity, ResolvedPhase, ResolvedWorkflow } from './resolved';
import type { WorkflowDefinition } from './types';

/**
 * Applies the defaults (`depends_on` = the previous phase, `required` = true, the
 * standard title) to a definition. The value is null when `problems` holds any error:
 * only a definition that validates cleanly can be resolved, so callers validate first
 * and pass the validation problems in.
 */
export function resolveWorkflow(definition: WorkflowDefinition, validationProblems: readonly Problem[]): Parsed<ResolvedWorkflow | null> {
  const errors = validationProblems.filter((p) => p.severity === 'error');
  if (errors.length > 0 || !definition.workflow) return { value: null, problems: [...validationProblems] };
  const phases: ResolvedPhase[] = definition.phases.map((phase, i) => {
    const name = phase.name!.value as PhaseName;
    const activities: ResolvedActivity[] = phase.activities.map((a, j) => ({
      name: a.name!.value,
      type: isMember(ACTIVITY_TYPES, a.type?.value) ? a.type.value : 'CUSTOM',
      order: j + 1,
      role: isMember(ROLES, a.role?.value) ? a.role.value : null,
      required: a.required?.value ?? true,
      description: a.description?.value ?? null,
    }));
    const dependsOn = phase.dependsOn
      ? phase.dependsOn.value.map((d) => d.value as PhaseName)
      : i === 0 ? [] : [PHASE_NAMES[i - 1]!];
    return {
      name,
      order: standardPhase(name)!.order,
      title: phase.title?.value ?? standardPhase(name)!.title,
      riskLevel: isMember(RISK_LEVELS, phase.riskLevel?.value) ? phase.riskLevel.value : null,
      slaHours: phase.slaHours?.value ?? null,
      dependsOn,
      skippable: phase.skippable?.value ?? false,
      metadata: phase.metadata?.value ?? {},
      activities,
    };
  });
  const appliesTo = definition.appliesTo
    .filter((c) => c.cycle !== undefined)
    .map((c) => ({ cycle: c.cycle!.value, reports: c.reports.map((r) => r.value) }));
  return { value: { name: definition.workflow.value, phases, appliesTo }, problems: [...validationProblems] };
}
