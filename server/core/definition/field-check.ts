/**
 * One value against its field of the contract: the contract table generated from the
 * zod schema (`contract-generated.ts`, read by `value-check.ts`) gives the verdict, this
 * file only words it. So the reader and the published JSON Schema cannot disagree about
 * a type, an enum or a limit, and no zod is loaded to read a file.
 */
import { didYouMean } from '../did-you-mean';
import type { ProblemData } from '../problem';
import type { YNode } from '../yaml/tree';
import type { ValueContract } from './contract-types';
import { accepts, characterCount, lengthExceeded } from './value-check';

/** The verdict on one value: its plain value when the field accepts it, else the sentence and quick-fix facts. */
export type FieldVerdict =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string; readonly data?: ProblemData };

const LONGEST_QUOTE = 60;

/** A value as a message shows it: quoted, control characters escaped, long texts cut. */
export function quoteForMessage(text: string): string {
  const cut = text.length > LONGEST_QUOTE ? `${text.slice(0, LONGEST_QUOTE)}…` : text;
  const shown = cut.replace(/[\u0000-\u001f]/g, (c) => (c === '\u0000' ? '\\0' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return `'${shown}'${text.length > LONGEST_QUOTE ? ` (${text.length} characters)` : ''}`;
}

/** How a node is named in a message: `'text'`, a number, `null`, `a mapping`, `a list`, `nothing`. */
export function describeNode(node: YNode | null): string {
  if (!node) return 'nothing';
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'null';
  if (typeof node.value === 'string') return quoteForMessage(node.value);
  return String(node.value);
}

/** The plain value a scalar stands for; collections stand in as empty ones (no leaf field accepts them). */
function plainOf(node: YNode | null): unknown {
  if (!node) return null;
  if (node.kind === 'scalar') return node.value;
  return node.kind === 'map' ? {} : [];
}

/**
 * Checks `node` against its field's contract. `source` is the node's text as written
 * (for the quick fix that quotes a number or `true` where a text is expected).
 */
export function checkField(field: ValueContract, what: string, node: YNode | null, source?: string): FieldVerdict {
  const { check, expected } = field;
  const value = plainOf(node);
  if (accepts(check, value)) return { ok: true, value };
  if (typeof value === 'string' && value.includes('\u0000')) {
    return { ok: false, message: `${what} must not contain a NUL character (\\0): the database cannot store it.` };
  }
  const max = lengthExceeded(check, value);
  if (typeof value === 'string' && max !== undefined) {
    return { ok: false, message: `${what} must be at most ${max} characters long (the database column holds no more), not ${characterCount(value)}.` };
  }
  let data: ProblemData | undefined;
  if (check.enum && typeof value === 'string') {
    const suggestion = didYouMean(value, check.enum);
    if (suggestion) data = { suggestion };
  } else if (node?.kind === 'scalar' && node.style === 'plain' && (typeof value === 'number' || typeof value === 'boolean') && source !== undefined) {
    // A number or `true` where a text belongs: quoting it is the obvious fix.
    if (accepts(check, source)) data = { suggestion: JSON.stringify(source) };
  } else if (typeof check.const === 'number' || typeof check.const === 'string') {
    data = { expected: check.const };
  }
  const hint = data?.suggestion === undefined ? '' : check.enum ? ` (did you mean '${String(data.suggestion)}'?)` : ` (quote it to keep it as text: ${String(data.suggestion)})`;
  return { ok: false, message: `${what} must be ${expected}, not ${describeNode(node)}${hint}.`, ...(data ? { data } : {}) };
}
