/**
 * A fast reader for the YAML that definition files are made of: block mappings and
 * sequences, one-line flow collections, plain and simple quoted scalars, comments.
 * It declines (returns `undefined`) on anything else — anchors, tags, block scalars,
 * multi-line scalars, tabs, several documents, duplicate keys, odd indentation — and
 * the caller then uses the `yaml` package, which reports those properly. Whatever it
 * accepts, it reads exactly as the `yaml` package would (a differential test holds it
 * to that), only many times faster.
 */
import { MAX_NESTING } from './limits';
import { plainValue } from './plain-scalar';
import { pairSpan, type YMap, type YNode, type YPair, type YScalar, type YSeq } from './tree';

/** Thrown internally to give up; never escapes this module. One instance, so no stack is captured per use. */
class Decline extends Error {}
const DECLINE = new Decline('the fast reader declines this text');

/** YAML's limit: the `:` of an implicit block key stands at most 1024 characters after the key's start. */
const MAX_IMPLICIT_KEY = 1024;

const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;
const DASH = 45;
const COLON = 58;

/** Characters that may not start a plain scalar (or that start constructs we leave to the full parser). */
const BAD_FIRST = new Set(['&', '*', '!', '|', '>', '%', '@', '`', '?', '"', "'", '{', '[', ']', '}', ',', '#', '-', ':']);

/** A plain scalar's value; the forms the fast reader leaves to the full parser decline. */
function resolvePlain(source: string): YScalar['value'] {
  const value = plainValue(source);
  if (value === undefined) throw DECLINE;
  return value;
}

/** True when a key equal to `key` is already among `pairs` (linear: flow maps are small). */
function hasKey(pairs: readonly YPair[], key: YScalar['value']): boolean {
  for (let i = 0; i < pairs.length; i++) if (String(pairs[i]!.key.value) === String(key)) return true;
  return false;
}

class FastParser {
  private pos = 0;
  /** Start of the current content line, its indent, and where its content starts. */
  private lineStart = 0;
  private indent = 0;
  private eof = false;
  /** Collections open around the current position; beyond MAX_NESTING the full parser reports it. */
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): YNode | null {
    this.skipToContent(0);
    if (this.eof) return null;
    const t = this.text;
    if (t.startsWith('---', this.pos) || t.startsWith('...', this.pos) || t.charCodeAt(this.pos) === 37 /* % */) throw DECLINE;
    if (this.indent !== 0) throw DECLINE;
    const node = this.blockNode(this.indent);
    this.skipToContent(this.pos);
    if (!this.eof) throw DECLINE;
    return node;
  }

  /** Moves to the first content character at or after `from`, skipping blank and comment lines. */
  private skipToContent(from: number): void {
    const t = this.text;
    let p = from;
    for (;;) {
      const lineStart = p;
      while (t.charCodeAt(p) === SPACE) p++;
      if (p >= t.length) {
        this.eof = true;
        this.pos = t.length;
        return;
      }
      const c = t.charCodeAt(p);
      if (c === NEWLINE) {
        p++;
        continue;
      }
      if (c === HASH) {
        const nl = t.indexOf('\n', p);
        if (nl === -1) {
          this.eof = true;
          this.pos = t.length;
          return;
        }
        p = nl + 1;
        continue;
      }
      this.lineStart = lineStart;
      this.indent = p - lineStart;
      this.pos = p;
      this.eof = false;
      return;
    }
  }

  /** After a value on a line: only spaces and a comment may follow; moves to the next content line. */
  private endLine(p: number): void {
    const t = this.text;
    while (t.charCodeAt(p) === SPACE) p++;
    if (p < t.length) {
      const c = t.charCodeAt(p);
      if (c === HASH) {
        if (t.charCodeAt(p - 1) !== SPACE) throw DECLINE;
      } else if (c !== NEWLINE) {
        throw DECLINE;
      }
    }
    const nl = t.indexOf('\n', p);
    this.skipToContent(nl === -1 ? t.length : nl + 1);
  }

  private isSeqIndicator(p: number): boolean {
    const t = this.text;
    if (t.charCodeAt(p) !== DASH) return false;
    const next = t.charCodeAt(p + 1);
    return next === SPACE || next === NEWLINE || p + 1 >= t.length;
  }

  /** A block node whose first content is at `this.pos` with line indent `indent`. */
  private blockNode(indent: number): YNode {
    if (this.isSeqIndicator(this.pos)) return this.blockSeq(indent);
    const keyEnd = this.findKey(this.pos);
    if (keyEnd !== -1) return this.blockMap(this.pos - this.lineStart);
    // A lone scalar or flow collection (a whole document that is not a mapping).
    const { node, end } = this.inlineValue(this.pos);
    this.endLine(end);
    if (!this.eof && this.indent > indent) throw DECLINE;
    return node;
  }

  /** Enters a collection; declines past the nesting limit. */
  private enter(): void {
    if (++this.depth > MAX_NESTING) throw DECLINE;
  }

  private blockSeq(indent: number): YSeq {
    this.enter();
    const t = this.text;
    const items: YNode[] = [];
    const start = this.pos;
    let end = start + 1;
    while (!this.eof && this.indent === indent && this.isSeqIndicator(this.pos)) {
      const dash = this.pos;
      let p = dash + 1;
      while (t.charCodeAt(p) === SPACE) p++;
      const c = t.charCodeAt(p);
      if (p >= t.length || c === NEWLINE || (c === HASH && p > dash + 1)) {
        const emptyAt = p;
        this.endLine(p);
        if (!this.eof && this.indent > indent) {
          const item = this.blockNode(this.indent);
          items.push(item);
          end = item.span.end;
        } else {
          items.push({ kind: 'scalar', value: null, style: 'plain', span: { start: emptyAt, end: emptyAt } });
          end = emptyAt;
        }
      } else if (this.isSeqIndicator(p)) {
        throw DECLINE;
      } else if (this.findKey(p) !== -1) {
        this.pos = p;
        const map = this.blockMap(p - this.lineStart);
        items.push(map);
        end = map.span.end;
      } else {
        const { node, end: valueEnd } = this.inlineValue(p);
        items.push(node);
        end = node.span.end;
        this.endLine(valueEnd);
      }
      if (!this.eof && this.indent > indent) throw DECLINE;
    }
    this.depth--;
    return { kind: 'seq', flow: false, items, span: { start, end } };
  }

  /** A block mapping whose keys stand at column `column`; the first key is at `this.pos`. */
  private blockMap(column: number): YMap {
    this.enter();
    const t = this.text;
    const pairs: YPair[] = [];
    // Small mappings are scanned; a Set is built only for large ones.
    let seen: Set<string> | undefined;
    let p = this.pos;
    for (;;) {
      const key = this.key(p);
      const keyText = String(key.node.value);
      if (seen ? seen.has(keyText) : hasKey(pairs, keyText)) throw DECLINE;
      if (!seen && pairs.length >= 16) seen = new Set(pairs.map((pair) => String(pair.key.value)));
      seen?.add(keyText);
      const colon = key.end;
      if (colon - key.node.span.start > MAX_IMPLICIT_KEY) throw DECLINE;
      p = colon + 1;
      while (t.charCodeAt(p) === SPACE) p++;
      const c = t.charCodeAt(p);
      let value: YNode | null = null;
      if (p >= t.length || c === NEWLINE || (c === HASH && p > colon + 1)) {
        this.endLine(p);
        if (!this.eof && this.indent > column) {
          value = this.blockNode(this.indent);
        } else if (!this.eof && this.indent === column && this.isSeqIndicator(this.pos)) {
          value = this.blockSeq(column);
        }
      } else {
        const inline = this.inlineValue(p);
        value = inline.node;
        this.endLine(inline.end);
      }
      pairs.push({ key: key.node, value, span: pairSpan(key.node, value, colon) });
      if (this.eof || this.indent < column) break;
      if (this.indent > column) throw DECLINE;
      if (this.pos - this.lineStart !== column || this.isSeqIndicator(this.pos)) break;
      if (this.findKey(this.pos) === -1) throw DECLINE;
      p = this.pos;
    }
    this.depth--;
    return { kind: 'map', flow: false, pairs, span: { start: pairs[0]!.span.start, end: pairs[pairs.length - 1]!.span.end } };
  }

  /** The offset of the `:` ending a block key that starts at `p`, or -1 when the line is not `key: ...`. */
  private findKey(p: number): number {
    const t = this.text;
    const c = t[p]!;
    if (c === '"' || c === "'") {
      const close = this.quotedEnd(p);
      return close !== -1 && t.charCodeAt(close) === COLON && this.separates(close + 1) ? close : -1;
    }
    if (BAD_FIRST.has(c)) return -1;
    for (let i = p; i < t.length; i++) {
      const ch = t.charCodeAt(i);
      if (ch === NEWLINE) return -1;
      if (ch === COLON && this.separates(i + 1)) return i;
      if (ch === HASH && t.charCodeAt(i - 1) === SPACE) return -1;
    }
    return -1;
  }

  private separates(p: number): boolean {
    const c = this.text.charCodeAt(p);
    return p >= this.text.length || c === SPACE || c === NEWLINE;
  }

  /** The end (after the closing quote) of a one-line quoted scalar at `p`, or -1. */
  private quotedEnd(p: number): number {
    const t = this.text;
    const quote = t[p];
    for (let i = p + 1; i < t.length; i++) {
      const c = t[i];
      if (c === '\n' || c === '\\') return -1;
      if (c === quote) {
        if (quote === "'" && t[i + 1] === "'") {
          i++;
          continue;
        }
        return i + 1;
      }
    }
    return -1;
  }

  private key(p: number): { node: YScalar; end: number } {
    const t = this.text;
    const c = t[p];
    if (c === '"' || c === "'") {
      const node = this.quoted(p);
      return { node, end: node.span.end };
    }
    const colon = this.findKey(p);
    if (colon === -1) throw DECLINE;
    let end = colon;
    while (t.charCodeAt(end - 1) === SPACE) end--;
    const source = t.slice(p, end);
    if (source.includes(' #')) throw DECLINE;
    return { node: { kind: 'scalar', value: resolvePlain(source), style: 'plain', span: { start: p, end } }, end: colon };
  }

  private quoted(p: number): YScalar {
    const end = this.quotedEnd(p);
    if (end === -1) throw DECLINE;
    const t = this.text;
    const inner = t.slice(p + 1, end - 1);
    const single = t[p] === "'";
    return {
      kind: 'scalar',
      value: single ? inner.replace(/''/g, "'") : inner,
      style: single ? 'single' : 'double',
      span: { start: p, end },
    };
  }

  /** A value that stands on one line at `p`: a flow collection, a quoted or a plain scalar. */
  private inlineValue(p: number): { node: YNode; end: number } {
    const t = this.text;
    const c = t[p]!;
    if (c === '{' || c === '[') {
      const node = this.flow(p);
      return { node, end: node.span.end };
    }
    if (c === '"' || c === "'") {
      const node = this.quoted(p);
      return { node, end: node.span.end };
    }
    if (BAD_FIRST.has(c) && !(c === '-' && !this.separates(p + 1))) throw DECLINE;
    let i = p;
    let end = p;
    for (; i < t.length; i++) {
      const ch = t.charCodeAt(i);
      if (ch === NEWLINE) break;
      if (ch === HASH && t.charCodeAt(i - 1) === SPACE) break;
      if (ch === COLON && this.separates(i + 1)) throw DECLINE;
      if (ch !== SPACE) end = i + 1;
    }
    const source = t.slice(p, end);
    return { node: { kind: 'scalar', value: resolvePlain(source), style: 'plain', span: { start: p, end } }, end };
  }

  /** A one-line flow mapping or sequence starting at `p`. */
  private flow(p: number): YMap | YSeq {
    this.enter();
    const t = this.text;
    const open = t[p];
    const close = open === '{' ? '}' : ']';
    let i = this.skipFlowSpace(p + 1);
    if (open === '{') {
      const pairs: YPair[] = [];
      // As in block mappings: small ones are scanned, a Set is built only for large ones.
      let seen: Set<string> | undefined;
      while (t.charCodeAt(i) !== 125 /* } */) {
        const key = this.flowScalar(i, true);
        const keyText = String(key.value);
        if (seen ? seen.has(keyText) : hasKey(pairs, keyText)) throw DECLINE;
        if (!seen && pairs.length >= 16) seen = new Set(pairs.map((pair) => String(pair.key.value)));
        seen?.add(keyText);
        i = key.span.end;
        if (t.charCodeAt(i) !== COLON) throw DECLINE;
        const colon = i;
        i = this.skipFlowSpace(i + 1);
        let value: YNode | null = null;
        if (t[i] !== ',' && t[i] !== '}') {
          value = t[i] === '{' || t[i] === '[' ? this.flow(i) : this.flowScalar(i, false);
          i = value.span.end;
        }
        pairs.push({ key, value, span: pairSpan(key, value, colon) });
        i = this.afterFlowItem(i, close);
      }
      this.depth--;
      return { kind: 'map', flow: true, pairs, span: { start: p, end: i + 1 } };
    }
    const items: YNode[] = [];
    while (t[i] !== ']') {
      const item = t[i] === '{' || t[i] === '[' ? this.flow(i) : this.flowScalar(i, false);
      items.push(item);
      i = this.afterFlowItem(item.span.end, close);
    }
    this.depth--;
    return { kind: 'seq', flow: true, items, span: { start: p, end: i + 1 } };
  }

  private skipFlowSpace(p: number): number {
    const t = this.text;
    while (t.charCodeAt(p) === SPACE) p++;
    if (p >= t.length || t.charCodeAt(p) === NEWLINE || t.charCodeAt(p) === HASH) throw DECLINE;
    return p;
  }

  /** After a flow item: a `,` (then the next item) or the closing bracket. Returns the next item or the bracket. */
  private afterFlowItem(p: number, close: string): number {
    const t = this.text;
    const i = this.skipFlowSpace(p);
    if (t[i] === ',') {
      const next = this.skipFlowSpace(i + 1);
      if (t[next] === ',' || t[next] === close) throw DECLINE;
      return next;
    }
    if (t[i] === close) return i;
    throw DECLINE;
  }

  /** A scalar inside a flow collection (a key when `isKey`). */
  private flowScalar(p: number, isKey: boolean): YScalar {
    const t = this.text;
    const c = t[p]!;
    if (c === '"' || c === "'") {
      const node = this.quoted(p);
      return node;
    }
    if (BAD_FIRST.has(c) && !(c === '-' && !this.separates(p + 1) && !',[]{}'.includes(t[p + 1]!))) throw DECLINE;
    let end = p;
    for (let i = p; i < t.length; i++) {
      const ch = t.charCodeAt(i);
      if (ch === NEWLINE || ch === 44 /* , */ || ch === 91 /* [ */ || ch === 93 /* ] */ || ch === 123 /* { */ || ch === 125 /* } */) break;
      if (ch === COLON) {
        const next = t.charCodeAt(i + 1);
        if (next === SPACE || next === 44 || next === 125 || next === 93 || next === NEWLINE || i + 1 >= t.length) {
          if (!isKey) throw DECLINE;
          break;
        }
      }
      if (ch === HASH && t.charCodeAt(i - 1) === SPACE) throw DECLINE;
      if (ch !== SPACE) end = i + 1;
    }
    if (end === p) throw DECLINE;
    const source = t.slice(p, end);
    return { kind: 'scalar', value: resolvePlain(source), style: 'plain', span: { start: p, end } };
  }
}

/**
 * Reads `text` when it is in the subset this parser knows; `undefined` means "use the
 * full parser". A `null` value is an empty document.
 */
export function parseFast(text: string): { value: YNode | null } | undefined {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return { value: new FastParser(text).parse() };
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}
