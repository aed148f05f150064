/** Offset edits and the small text helpers quick fixes are built from. */
import type { Span } from '../problem';

/** Replace `span` of the text with `newText` (an insert when the span is empty). */
export interface OffsetEdit {
  readonly span: Span;
  readonly newText: string;
}

/**
 * Applies edits to a text. Edits must not overlap; they are applied from the last to
 * the first so each span refers to the original text.
 */
export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.span.start) + edit.newText + out.slice(edit.span.end);
  return out;
}

/** The offset where the line holding `offset` starts. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just after the newline ending the line holding `offset` (or the text's end). */
export function nextLineStart(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

/** The column of `offset` on its line. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/**
 * The whole lines a list item occupies: from the start of the line of its `- ` marker
 * to the start of the line after its end (trailing comments of the last line included).
 */
export function itemLines(text: string, span: Span): Span {
  return { start: lineStartOf(text, span.start), end: nextLineStart(text, Math.max(span.start, span.end - 1)) };
}

/** The column of the `- ` marker of a block list item whose content starts at `start`, if it has one. */
export function dashColumn(text: string, start: number): number | undefined {
  const before = text.slice(lineStartOf(text, start), start);
  const match = /^(\s*)-\s+$/.exec(before) ?? /^(\s*)-\s+(?:-\s+)*$/.exec(before);
  return match ? match[1]!.length : undefined;
}

/** True when the item at `start` is a block list item alone on its line start (`  - ...`). */
export function isBlockItem(text: string, start: number): boolean {
  return dashColumn(text, start) !== undefined;
}
