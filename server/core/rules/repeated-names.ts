/** Shared by the duplicate-name rules: each item whose name was already used, with the first use. */
import type { Located } from '../definition/types';
import type { Span } from '../problem';

/** Calls `onRepeat` for every item whose name an earlier item already had. */
export function forEachRepeatedName<T extends { readonly name?: Located<string> }>(
  items: readonly T[],
  onRepeat: (item: T, name: Located<string>, first: Span) => void,
): void {
  const first = new Map<string, Span>();
  for (const item of items) {
    const name = item.name;
    if (!name) continue;
    const earlier = first.get(name.value);
    if (earlier) onRepeat(item, name, earlier);
    else first.set(name.value, name.span);
  }
}
