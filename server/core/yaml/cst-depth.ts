/**
 * The nesting depth of the `yaml` package's concrete syntax tree, measured without
 * recursion, before the package composes documents from it (its composer recurses
 * once per level and would overflow the stack on a file nested thousands deep).
 */
import type { CST } from 'yaml';
import { MAX_NESTING } from './limits';

/** The offset of the first collection (in document order) nested deeper than MAX_NESTING, or undefined. */
export function firstTooDeep(tokens: readonly CST.Token[]): number | undefined {
  const stack: [CST.Token, number][] = [];
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.type === 'document' && token.value) stack.push([token.value, 0]);
  }
  while (stack.length > 0) {
    const [token, outer] = stack.pop()!;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    const depth = outer + 1;
    if (depth > MAX_NESTING) return token.offset;
    // `[a: b]` is a list holding a one-pair mapping: one level more for the pair's parts.
    const pairLevel = token.type === 'flow-collection' && token.start.source === '[' ? depth + 1 : depth;
    for (let i = token.items.length - 1; i >= 0; i--) {
      const item = token.items[i]!;
      const level = item.sep && pairLevel !== depth ? pairLevel : depth;
      if (item.value) stack.push([item.value, level]);
      if (item.key) stack.push([item.key, level]);
    }
  }
  return undefined;
}
