/**
 * Checks a plain value against a `ValueCheck` of the contract table, with zod's meaning
 * of each keyword (the table is generated from the zod schema; `test/unit/contract-table.test.ts`
 * holds this interpreter to zod's verdict on every field).
 */
import type { ValueCheck } from './contract-types';

const patterns = new Map<string, RegExp>();

/**
 * How many characters a text has, as zod, JSON Schema and PostgreSQL's `VARCHAR(n)`
 * count them: code points (a surrogate pair is one character, a lone surrogate too).
 */
export function characterCount(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

// A character is one or two UTF-16 units, so only a text between the bound and twice it needs counting.
const atLeast = (text: string, min: number) => text.length >= min && (text.length >= 2 * min || characterCount(text) >= min);
const atMost = (text: string, max: number) => text.length <= max || characterCount(text) <= max;

function matches(pattern: string, text: string): boolean {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(pattern);
    patterns.set(pattern, re);
  }
  return re.test(text);
}

function typeAccepts(type: ValueCheck['type'], value: unknown): boolean {
  switch (type) {
    case undefined:
      return true;
    case 'string':
      return typeof value === 'string';
    case 'number':
      // zod's number is finite: no `.inf`, no `.nan`.
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
  }
}

function boundsAccept(check: ValueCheck, value: unknown): boolean {
  if (typeof value === 'string') {
    if (check.minLength !== undefined && !atLeast(value, check.minLength)) return false;
    if (check.maxLength !== undefined && !atMost(value, check.maxLength)) return false;
    if (check.pattern !== undefined && !matches(check.pattern, value)) return false;
  }
  if (typeof value === 'number') {
    if (check.minimum !== undefined && value < check.minimum) return false;
    if (check.maximum !== undefined && value > check.maximum) return false;
    if (check.exclusiveMinimum !== undefined && value <= check.exclusiveMinimum) return false;
    if (check.exclusiveMaximum !== undefined && value >= check.exclusiveMaximum) return false;
  }
  return true;
}

/** Whether the value passes the check. */
export function accepts(check: ValueCheck, value: unknown): boolean {
  if (check.anyOf && !check.anyOf.some((branch) => accepts(branch, value))) return false;
  if (check.const !== undefined && value !== check.const) return false;
  if (check.enum && !(typeof value === 'string' && check.enum.includes(value))) return false;
  return typeAccepts(check.type, value) && boundsAccept(check, value);
}

/**
 * The column width a text goes past, when that is a reason it fails: the `maxLength`
 * of a text branch of the check that the value is longer than.
 */
export function lengthExceeded(check: ValueCheck, value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (check.type === 'string' && check.maxLength !== undefined && !atMost(value, check.maxLength)) return check.maxLength;
  for (const branch of check.anyOf ?? []) {
    const max = lengthExceeded(branch, value);
    if (max !== undefined) return max;
  }
  return undefined;
}
