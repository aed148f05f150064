/**
 * The small YAML tree the core works on: mappings, sequences and scalars, each with
 * its exact span. Both the fast parser and the full `yaml`-package parser produce it,
 * so everything downstream is independent of how the text was read.
 */
import type { Span } from '../problem';

/** A scalar with its resolved value (YAML 1.2 core schema). */
export interface YScalar {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  /** How it was written: plain, quoted, or a block scalar. */
  readonly style: 'plain' | 'single' | 'double' | 'block';
  readonly span: Span;
}

/** One `key: value` entry. `value` is null when nothing follows the colon. */
export interface YPair {
  readonly key: YScalar;
  readonly value: YNode | null;
  /** From the key's start to the value's end (or the colon, when there is no value). */
  readonly span: Span;
}

/** A block or flow mapping. */
export interface YMap {
  readonly kind: 'map';
  readonly flow: boolean;
  readonly pairs: readonly YPair[];
  readonly span: Span;
}

/** A block or flow sequence. */
export interface YSeq {
  readonly kind: 'seq';
  readonly flow: boolean;
  readonly items: readonly YNode[];
  readonly span: Span;
}

/** Any node of the tree. */
export type YNode = YScalar | YMap | YSeq;

/**
 * The one rule for a pair's range, used by both readers: from the key's start to the
 * value's end; without a value, to just after its `:` (`a :` spans `a :`, so removing
 * the pair removes the colon too), or the key's end when there is no `:` (`{a}`).
 */
export function pairSpan(key: YScalar, value: YNode | null, colon: number | undefined): Span {
  return { start: key.span.start, end: value ? value.span.end : colon !== undefined ? colon + 1 : key.span.end };
}

/** How many collections nest in `node`, itself included (a scalar: 0). Trees are at most MAX_NESTING deep. */
export function nestingOf(node: YNode | null): number {
  if (!node || node.kind === 'scalar') return 0;
  let deepest = 0;
  if (node.kind === 'seq') for (const item of node.items) deepest = Math.max(deepest, nestingOf(item));
  else for (const pair of node.pairs) deepest = Math.max(deepest, nestingOf(pair.value));
  return deepest + 1;
}
