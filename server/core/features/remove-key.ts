/** The edit that removes one `key: value` pair, in a block or a flow mapping. */
import type { Span } from '../problem';
import type { FileAnalysis } from '../validate';
import type { YMap, YNode, YPair } from '../yaml/tree';
import { itemLines, lineStartOf, type OffsetEdit } from './text-edits';

/** The pair whose key holds `offset`, and its mapping, searching only nodes that contain it. */
function pairAt(node: YNode | null, offset: number): { map: YMap; pair: YPair; index: number } | undefined {
  if (!node || node.kind === 'scalar' || offset < node.span.start || offset > node.span.end) return undefined;
  if (node.kind === 'seq') {
    for (const item of node.items) {
      const found = pairAt(item, offset);
      if (found) return found;
    }
    return undefined;
  }
  for (let i = 0; i < node.pairs.length; i++) {
    const pair = node.pairs[i]!;
    if (offset >= pair.key.span.start && offset <= pair.key.span.end) return { map: node, pair, index: i };
    const found = pairAt(pair.value, offset);
    if (found) return found;
  }
  return undefined;
}

/** The edit removing the pair whose key is at `keySpan`, or undefined when it cannot be removed cleanly. */
export function removeKeyEdit(analysis: FileAnalysis, keySpan: Span): OffsetEdit | undefined {
  const found = pairAt(analysis.tree, keySpan.start);
  if (!found) return undefined;
  const { map, pair, index } = found;
  const text = analysis.text;
  const next = map.pairs[index + 1];
  const previous = map.pairs[index - 1];
  if (map.flow) {
    if (next) return { span: { start: pair.span.start, end: next.key.span.start }, newText: '' };
    if (previous) return { span: { start: (previous.value ?? previous.key).span.end, end: pair.span.end }, newText: '' };
    return { span: pair.span, newText: '' };
  }
  const lineStart = lineStartOf(text, pair.span.start);
  const ownLine = text.slice(lineStart, pair.span.start).trim() === '';
  if (ownLine) return { span: itemLines(text, pair.span), newText: '' };
  // The first key of a list item (`- key: v`): the next pair moves up behind the dash.
  if (next) return { span: { start: pair.span.start, end: next.key.span.start }, newText: '' };
  return { span: pair.span, newText: '{}' };
}
