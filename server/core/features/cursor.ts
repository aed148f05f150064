/**
 * Where the cursor stands in a definition file, read from the text's lines rather than
 * from the parsed tree: while the user types, the document is usually not valid YAML,
 * yet the indentation above the cursor still tells which mapping it is in.
 */
import type { Span } from '../problem';

/** What the cursor is about to write. */
export interface CursorContext {
  /** A key of a mapping, or the value of `key`. */
  readonly kind: 'key' | 'value';
  /**
   * Keys from the root to the mapping the cursor is in, `*` for a sequence item, e.g.
   * `['phases', '*', 'activities', '*']` inside an activity.
   */
  readonly path: readonly string[];
  /** For `value`: the key whose value is written (for a sequence entry, the sequence's key). */
  readonly key?: string;
  /** For `value`: true when it is an entry of a sequence (`depends_on: [a, |` or `- |`). */
  readonly inSequence: boolean;
  /** The partly typed word at the cursor, which a completion replaces. */
  readonly word: Span;
  /** For `key`: true when the line holds nothing but `- ` before the word (a fresh list item). */
  readonly freshItem: boolean;
  /** For `key`: the column of the key, and the indentation of the item's dash when `freshItem`. */
  readonly column: number;
  readonly itemColumn: number;
  /** Sibling keys already written in the same mapping. */
  readonly siblings: readonly string[];
}

/** One structural token at the start of a line: a `- ` item marker or a `key:`. */
interface Token {
  readonly kind: 'dash' | 'key';
  readonly column: number;
  readonly name: string;
}

const KEY = /^([A-Za-z_][\w-]*)\s*:(?=\s|$)/;

/** The leading dashes and the first key of a line; `rest` is the column after them. */
function lineTokens(line: string): { tokens: Token[]; rest: number } {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && line[i] === ' ') i++;
    if (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ')) {
      tokens.push({ kind: 'dash', column: i, name: '*' });
      i++;
      continue;
    }
    break;
  }
  const match = KEY.exec(line.slice(i));
  if (match) {
    tokens.push({ kind: 'key', column: i, name: match[1]! });
    return { tokens, rest: i + match[0].length };
  }
  return { tokens, rest: i };
}

function isBlank(line: string): boolean {
  const t = line.trimStart();
  return t === '' || t.startsWith('#');
}

/**
 * The ancestors of a token at `column` on line `lineNo`, by walking up the lines
 * above: a token left of the current column is the parent.
 */
function ancestors(lines: readonly string[], lineNo: number, head: Token[], column: number): string[] {
  const path: string[] = [];
  let col = column;
  let dashHead = false;
  const take = (tokens: readonly Token[]) => {
    for (let t = tokens.length - 1; t >= 0; t--) {
      const token = tokens[t]!;
      // A sequence may sit at its key's own indentation (`phases:\n- name: x`).
      const isParent = token.column < col || (dashHead && token.kind === 'key' && token.column === col);
      if (!isParent) continue;
      path.unshift(token.name);
      col = token.column;
      dashHead = token.kind === 'dash';
    }
  };
  take(head);
  for (let n = lineNo - 1; n >= 0; n--) {
    if (col === 0 && !dashHead) break;
    const line = lines[n]!;
    if (isBlank(line)) continue;
    const indent = line.length - line.trimStart().length;
    if (indent > col) continue;
    const { tokens } = lineTokens(line);
    if (tokens.length === 0) {
      if (indent < col) break; // a plain scalar line left of us ends the structure we can read
      continue;
    }
    take(tokens);
  }
  return path;
}

/** Keys written at `column` in the same block as line `lineNo` (above and below it). */
function siblingKeys(lines: readonly string[], lineNo: number, column: number, startsItem: boolean): string[] {
  const keys: string[] = [];
  const scan = (from: number, step: 1 | -1) => {
    for (let n = from; n >= 0 && n < lines.length; n += step) {
      const line = lines[n]!;
      if (isBlank(line)) continue;
      const { tokens } = lineTokens(line);
      const key = tokens.find((t) => t.kind === 'key');
      const first = tokens[0];
      const indent = line.length - line.trimStart().length;
      if (key && key.column === column) {
        // Below us, a dash starts the next item; above us, it starts ours (read it, then stop).
        if (step === 1 && first && first.kind === 'dash') return;
        keys.push(key.name);
        if (first && first.kind === 'dash') return;
        continue;
      }
      if (indent < column || (first && first.column < column)) return;
    }
  };
  if (!startsItem) scan(lineNo - 1, -1);
  scan(lineNo + 1, 1);
  return keys;
}

/** The word (letters, digits, `_`, `-`) ending at `offset`. */
function wordBefore(text: string, offset: number): Span {
  let start = offset;
  while (start > 0 && /[\w-]/.test(text[start - 1]!)) start--;
  // A lone `-` item marker is not part of the word.
  while (start < offset && text[start] === '-' && (start + 1 === offset || text[start + 1] === ' ')) start++;
  return { start, end: offset };
}

/** Reads the cursor context at `offset` of `text`. Never throws. */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const at = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEndRaw = text.indexOf('\n', at);
  const lineEnd = lineEndRaw === -1 ? text.length : lineEndRaw;
  const before = text.slice(lineStart, at);
  if (inComment(before)) return undefined;
  const lines = text.split('\n');
  const lineNo = text.slice(0, lineStart).split('\n').length - 1;
  const word = wordBefore(text, at);
  const { tokens, rest } = lineTokens(before);
  const line = text.slice(lineStart, lineEnd);

  // Inside a flow collection opened on this line: `{a: 1, ty|` or `[planning, sc|`.
  const flow = openFlow(before);
  if (flow) {
    const structural = lineTokens(before.slice(0, flow.open)).tokens;
    const outerColumn = structural.length > 0 ? structural[structural.length - 1]!.column + 1 : flow.open;
      const outer = ancestors(lines, lineNo, structural, outerColumn);
    const segment = before.slice(flow.segmentStart);
    if (flow.bracket === '[') {
      return { kind: 'value', path: outer.slice(0, -1), key: outer[outer.length - 1], inSequence: true, word, freshItem: false, column: flow.open, itemColumn: flow.open, siblings: [] };
    }
    const pair = /^\s*([A-Za-z_][\w-]*)\s*:\s*/.exec(segment);
    const siblings = [...before.slice(flow.open + 1).matchAll(/([A-Za-z_][\w-]*)\s*:/g)].map((m) => m[1]!);
    if (pair) return { kind: 'value', path: outer, key: pair[1], inSequence: false, word, freshItem: false, column: flow.open, itemColumn: flow.open, siblings };
    return { kind: 'key', path: outer, inSequence: false, word, freshItem: false, column: flow.open, itemColumn: flow.open, siblings };
  }

  const lastKey = tokens.length > 0 && tokens[tokens.length - 1]!.kind === 'key' ? tokens[tokens.length - 1]! : undefined;
  if (lastKey && rest <= word.start - lineStart) {
    // `key: val|` — the value of the key on this line.
    const path = ancestors(lines, lineNo, tokens.slice(0, -1), lastKey.column);
    return { kind: 'value', path, key: lastKey.name, inSequence: false, word, freshItem: false, column: lastKey.column, itemColumn: lastKey.column, siblings: [] };
  }
  if (!/^[\s-]*[\w-]*$/.test(before)) return undefined;
  const column = word.start - lineStart;
  const dashes = tokens.filter((t) => t.kind === 'dash');
  const path = ancestors(lines, lineNo, dashes, column);
  const parentIsSeq = path.length > 0 && path[path.length - 1] === '*';
  const sequenceOfScalars = parentIsSeq && path.length >= 2 && path[path.length - 2] === 'depends_on';
  if (sequenceOfScalars || (parentIsSeq && path[path.length - 2] === 'reports')) {
    return { kind: 'value', path: path.slice(0, -2), key: path[path.length - 2], inSequence: true, word, freshItem: false, column, itemColumn: column, siblings: [] };
  }
  const freshItem = dashes.length > 0 && line.slice(rest).trim() === text.slice(word.start, at).trim();
  const itemColumn = dashes.length > 0 ? dashes[dashes.length - 1]!.column : column;
  return { kind: 'key', path, inSequence: false, word, freshItem, column, itemColumn, siblings: siblingKeys(lines, lineNo, column, dashes.length > 0) };
}

/** True when a `#` comment has started before the cursor (outside quotes). */
function inComment(before: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < before.length; i++) {
    const c = before[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || before[i - 1] === ' ' || before[i - 1] === '\t')) {
      return true;
    }
  }
  return false;
}

/** The innermost flow collection still open on this line before the cursor. */
function openFlow(before: string): { bracket: '{' | '['; open: number; segmentStart: number } | undefined {
  const stack: { bracket: '{' | '['; open: number; segmentStart: number }[] = [];
  let quote: string | undefined;
  for (let i = 0; i < before.length; i++) {
    const c = before[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') stack.push({ bracket: c, open: i, segmentStart: i + 1 });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',' && stack.length > 0) stack[stack.length - 1]!.segmentStart = i + 1;
  }
  return stack[stack.length - 1];
}
