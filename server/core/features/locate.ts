/** Finding the parts of a typed definition that stand at an offset. */
import type { ActivityDefinition, Located, PhaseDefinition, WorkflowDefinition } from '../definition/types';
import type { Span } from '../problem';

/** True when `offset` lies in `span` (its end included, so a cursor right after a word still hits it). */
export function inSpan(span: Span | undefined, offset: number): boolean {
  return span !== undefined && offset >= span.start && offset <= span.end;
}

/** True when `offset` lies on a located value or on its key. */
export function onLocated(located: Located<unknown> | undefined, offset: number): boolean {
  return located !== undefined && (inSpan(located.span, offset) || inSpan(located.keySpan, offset));
}

/** The phase whose list item holds `offset`. */
export function phaseAt(definition: WorkflowDefinition, offset: number): PhaseDefinition | undefined {
  return findBySpan(definition.phases, offset);
}

/** The activity of `phase` whose list item holds `offset`. */
export function activityAt(phase: PhaseDefinition, offset: number): ActivityDefinition | undefined {
  return findBySpan(phase.activities, offset);
}

/** Binary search over items in source order (a phase may hold tens of thousands of activities). */
function findBySpan<T extends { readonly span: Span }>(items: readonly T[], offset: number): T | undefined {
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const span = items[mid]!.span;
    if (offset < span.start) high = mid - 1;
    else if (offset > span.end) low = mid + 1;
    else return items[mid];
  }
  return undefined;
}

/** The phases declared with `name`, in source order. */
export function phasesNamed(definition: WorkflowDefinition, name: string): PhaseDefinition[] {
  return definition.phases.filter((p) => p.name?.value === name);
}

/** Every `depends_on` entry of the file, with the phase it belongs to. */
export function dependencyEntries(definition: WorkflowDefinition): { phase: PhaseDefinition; entry: Located<string> }[] {
  const out: { phase: PhaseDefinition; entry: Located<string> }[] = [];
  for (const phase of definition.phases) {
    for (const entry of phase.dependsOn?.value ?? []) out.push({ phase, entry });
  }
  return out;
}
