/** Shared check for the START and COMPLETE activities: exactly one, at its end of the list, required. */
import type { PhaseDefinition } from '../definition/types';
import type { Report } from './rule';

/** Which boundary: START (first) or COMPLETE (last). */
export interface Boundary {
  readonly type: 'START' | 'COMPLETE';
  readonly position: 'first' | 'last';
}

/** Reports every way `phase` breaks the boundary rule for `boundary`. */
export function checkBoundary(phase: PhaseDefinition, boundary: Boundary, report: (r: Report) => void): void {
  const phaseName = phase.name?.value ?? `#${phase.index + 1}`;
  const matching = phase.activities.filter((a) => a.type?.value === boundary.type);
  const anchor = phase.activitiesKeySpan ?? phase.name?.span ?? phase.span;
  if (matching.length === 0) {
    if (!phase.activitiesKeySpan) return;
    report({
      message: `Phase '${phaseName}' has no ${boundary.type} activity; it needs exactly one, ${boundary.position}.`,
      span: anchor,
      data: { phase: phaseName, missing: boundary.type },
    });
    return;
  }
  matching.slice(1).forEach((extra) => {
    report({
      message: `Phase '${phaseName}' has more than one ${boundary.type} activity; it needs exactly one.`,
      span: extra.type!.span,
      related: [{ span: matching[0]!.type!.span, message: `the first ${boundary.type} activity` }],
    });
  });
  const expectedIndex = boundary.position === 'first' ? 0 : phase.activities.length - 1;
  const actual = phase.activities.indexOf(matching[0]!);
  if (matching.length === 1 && actual !== expectedIndex) {
    report({
      message: `The ${boundary.type} activity '${matching[0]!.name?.value ?? ''}' must be the ${boundary.position} activity of phase '${phaseName}'.`,
      span: matching[0]!.type!.span,
      data: { position: boundary.position, from: actual },
    });
  }
  for (const activity of matching) {
    if (activity.required && !activity.required.value) {
      report({
        message: `The ${boundary.type} activity cannot be optional: remove 'required: false'.`,
        span: activity.required.span,
      });
    }
  }
}
