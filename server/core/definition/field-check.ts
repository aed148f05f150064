/**
 * One value against its field of the contract (`schemas/definition-schema.ts`): the
 * zod schema gives the verdict, this file only words it. So the reader and the
 * published JSON Schema cannot disagree about a type, an enum or a limit.
 */
import { z } from 'zod';
import { EXPECTED } from '../../../schemas/definition-schema';
import { didYouMean } from '../did-you-mean';
import type { ProblemData } from '../problem';
import type { YNode } from '../yaml/tree';

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

/** The field's schema without its `.optional()` wrapper. */
function inner(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
}

/** What the field must be, in words: the enum's values, or the contract's own wording. */
export function expectedOf(schema: z.ZodType): string {
  const s = inner(schema);
  if (s instanceof z.ZodEnum) return `one of ${(s.options as string[]).join(', ')}`;
  return EXPECTED.get(s)?.expected ?? EXPECTED.get(schema)?.expected ?? 'a valid value';
}

/** The plain value a scalar stands for; collections stand in as empty ones (no leaf field accepts them). */
function plainOf(node: YNode | null): unknown {
  if (!node) return null;
  if (node.kind === 'scalar') return node.value;
  return node.kind === 'map' ? {} : [];
}

const flatten = (issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] =>
  issues.flatMap((i) => (i.code === 'invalid_union' ? [i, ...i.errors.flatMap(flatten)] : [i]));

/**
 * Checks `node` against `schema`. `source` is the node's text as written (for the
 * quick fix that quotes a number or `true` where a text is expected).
 */
export function checkField(schema: z.ZodType, what: string, node: YNode | null, source?: string): FieldVerdict {
  const value = plainOf(node);
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value };
  const issues = flatten(result.error.issues);
  if (typeof value === 'string' && value.includes('\u0000')) {
    return { ok: false, message: `${what} must not contain a NUL character (\\0): the database cannot store it.` };
  }
  const tooLong = issues.find((i) => i.code === 'too_big' && i.origin === 'string');
  if (typeof value === 'string' && tooLong && tooLong.code === 'too_big') {
    return {
      ok: false,
      message: `${what} must be at most ${String(tooLong.maximum)} characters long (the database column holds no more), not ${value.length}.`,
    };
  }
  const expected = expectedOf(schema);
  const s = inner(schema);
  let data: ProblemData | undefined;
  if (s instanceof z.ZodEnum && typeof value === 'string') {
    const suggestion = didYouMean(value, s.options as string[]);
    if (suggestion) data = { suggestion };
  } else if (node?.kind === 'scalar' && node.style === 'plain' && (typeof value === 'number' || typeof value === 'boolean') && source !== undefined) {
    // A number or `true` where a text belongs: quoting it is the obvious fix.
    if (schema.safeParse(source).success) data = { suggestion: JSON.stringify(source) };
  } else if (s instanceof z.ZodLiteral) {
    const [literal] = s.values;
    if (typeof literal === 'number' || typeof literal === 'string') data = { expected: literal };
  }
  const hint = data?.suggestion === undefined ? '' : s instanceof z.ZodEnum ? ` (did you mean '${String(data.suggestion)}'?)` : ` (quote it to keep it as text: ${String(data.suggestion)})`;
  return { ok: false, message: `${what} must be ${expected}, not ${describeNode(node)}${hint}.`, ...(data ? { data } : {}) };
}
