/** The outline (workflow -> phases -> activities) and folding regions of a file. */
import { standardPhase } from '../model';
import type { Span } from '../problem';
import type { FileAnalysis } from '../validate';
import type { YNode } from '../yaml/tree';

/** One entry of the outline. `selection` is the span of its name. */
export interface OutlineSymbol {
  readonly name: string;
  readonly detail?: string;
  readonly kind: 'workflow' | 'phase' | 'activity';
  readonly span: Span;
  readonly selection: Span;
  readonly children: readonly OutlineSymbol[];
}

const within = (outer: Span, inner: Span): Span =>
  inner.start >= outer.start && inner.end <= outer.end ? inner : { start: outer.start, end: outer.start };

/** The document's outline: one workflow symbol holding its phases and their activities. */
export function outlineOf(analysis: FileAnalysis): OutlineSymbol[] {
  const definition = analysis.definition;
  if (!analysis.tree && definition.phases.length === 0) return [];
  const phases = definition.phases.map((phase): OutlineSymbol => {
    const std = phase.name ? standardPhase(phase.name.value) : undefined;
    return {
      name: phase.name?.value || `phase ${phase.index + 1}`,
      detail: phase.title?.value ?? std?.title ?? '',
      kind: 'phase',
      span: phase.span,
      selection: within(phase.span, phase.name?.span ?? phase.span),
      children: phase.activities.map((activity) => ({
        name: activity.name?.value || `activity ${activity.index + 1}`,
        detail: activity.type?.value ?? '',
        kind: 'activity' as const,
        span: activity.span,
        selection: within(activity.span, activity.name?.span ?? activity.span),
        children: [],
      })),
    };
  });
  const span = definition.span;
  return [{
    name: definition.workflow?.value || '(unnamed workflow)',
    detail: 'workflow',
    kind: 'workflow',
    span,
    selection: within(span, definition.workflow?.span ?? span),
    children: phases,
  }];
}

/** Regions that can fold: every mapping or sequence value, from its key to its end. */
export function foldingSpans(analysis: FileAnalysis): Span[] {
  const out: Span[] = [];
  const text = analysis.text;
  const multiLine = (span: Span) => text.indexOf('\n', span.start) !== -1 && text.indexOf('\n', span.start) < span.end;
  const visit = (node: YNode | null, from: number | undefined) => {
    if (!node || node.kind === 'scalar') return;
    const span = { start: from ?? node.span.start, end: node.span.end };
    if (multiLine(span)) out.push(span);
    if (node.kind === 'map') for (const pair of node.pairs) visit(pair.value, pair.key.span.start);
    else for (const item of node.items) visit(item, undefined);
  };
  visit(analysis.tree, undefined);
  return out;
}
