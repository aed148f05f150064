/**
 * Building SQL for tables and columns found at run time: identifiers are quoted here,
 * values always go in as parameters.
 */

/** Quotes an identifier for PostgreSQL (`"name"`, inner quotes doubled). */
export function ident(name: string): string {
  if (name.includes('\0')) throw new Error(`identifier contains a NUL character: ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** A constraint or index name made from parts, cut to PostgreSQL's 63-byte limit. */
export function objectName(...parts: string[]): string {
  const name = parts.join('_');
  return Buffer.byteLength(name) <= 63 ? name : Buffer.from(name).subarray(0, 63).toString('utf8').replace(/\uFFFD+$/, '');
}

/** Collects parameters while a statement is written: `p(value)` returns its `$n`. */
export class Params {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder. */
  p(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
