/** Go-to-definition and find-references between `depends_on` entries and phases. */
import type { Span } from '../problem';
import type { FileAnalysis } from '../validate';
import { dependencyEntries, inSpan, phaseAt, phasesNamed } from './locate';

/** The phase name at `offset`: on a phase's `name:` value or on a `depends_on` entry. */
function phaseNameAt(analysis: FileAnalysis, offset: number): { name: string; span: Span; isDeclaration: boolean } | undefined {
  const phase = phaseAt(analysis.definition, offset);
  if (!phase) return undefined;
  if (phase.name && inSpan(phase.name.span, offset)) return { name: phase.name.value, span: phase.name.span, isDeclaration: true };
  const entry = phase.dependsOn?.value.find((d) => inSpan(d.span, offset));
  return entry ? { name: entry.value, span: entry.span, isDeclaration: false } : undefined;
}

/** Where the phase named at `offset` is declared (its `name:` value), when it is. */
export function definitionAt(analysis: FileAnalysis, offset: number): Span[] {
  const at = phaseNameAt(analysis, offset);
  if (!at) return [];
  return phasesNamed(analysis.definition, at.name).map((p) => p.name!.span);
}

/** Every place that names the phase at `offset`: the `depends_on` entries, and its declaration when asked. */
export function referencesAt(analysis: FileAnalysis, offset: number, includeDeclaration: boolean): Span[] {
  const at = phaseNameAt(analysis, offset);
  if (!at) return [];
  const out: Span[] = [];
  if (includeDeclaration) out.push(...phasesNamed(analysis.definition, at.name).map((p) => p.name!.span));
  for (const { entry } of dependencyEntries(analysis.definition)) if (entry.value === at.name) out.push(entry.span);
  return out.sort((a, b) => a.start - b.start);
}
