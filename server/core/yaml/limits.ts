/**
 * The bounds on reading YAML, so that no definition file costs more than its size:
 * how deep collections may nest, and how much aliases may repeat. Both readers and
 * the incremental re-analysis hold to them.
 */

/** Collections (mappings and lists) nested in one another, the root counting as one; a definition needs about six. */
export const MAX_NESTING = 100;

/**
 * How many nodes aliases may produce in all, for a text of `length` characters: about
 * the size of the text itself (at least 10,000), so an alias-built file can never be
 * much bigger, read, than written.
 */
export function aliasBudget(length: number): number {
  return Math.max(10_000, length);
}
