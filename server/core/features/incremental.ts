/**
 * Re-analysis after an edit that re-reads only the list item the edit touched. The
 * changed region is found by comparing the old and new texts; the innermost block-list
 * item holding it is parsed again on its own, its new subtree replaces the old one, and
 * every later span shifts by the length change. The typed definition and the rules then
 * run on the new tree as usual. Whenever a step is not certain to give exactly what a
 * full parse would (a syntax error, an item boundary or indentation touched, anchors,
 * document markers), the full analysis runs instead.
 */
import { readDefinition } from '../definition/read';
import type { Problem, Span } from '../problem';
import { FILE_RULES } from '../rules/registry';
import { problemOf } from '../rules/rule';
import { analyzeText, type FileAnalysis } from '../validate';
import { parseYaml } from '../yaml/parse';
import { MAX_NESTING } from '../yaml/limits';
import { nestingOf, type YMap, type YNode, type YPair, type YScalar, type YSeq } from '../yaml/tree';

/** The region an edit changed: `[start, oldEnd)` of the old text became `[start, start + newLength)`. */
interface Change {
  readonly start: number;
  readonly oldEnd: number;
  readonly delta: number;
}

/** The smallest region that differs between two texts (common prefix and suffix removed). */
function changeBetween(before: string, after: string): Change {
  const limit = Math.min(before.length, after.length);
  // Whole chunks first (native string comparison), then character by character.
  const CHUNK = 2048;
  let start = 0;
  while (start + CHUNK <= limit && before.substr(start, CHUNK) === after.substr(start, CHUNK)) start += CHUNK;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  const room = limit - start;
  while (suffix + CHUNK <= room && before.substr(before.length - suffix - CHUNK, CHUNK) === after.substr(after.length - suffix - CHUNK, CHUNK)) suffix += CHUNK;
  while (suffix < room && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start, oldEnd: before.length - suffix, delta: after.length - before.length };
}

const shiftSpan = (span: Span, delta: number): Span => ({ start: span.start + delta, end: span.end + delta });

function shiftScalar(node: YScalar, delta: number): YScalar {
  return { kind: 'scalar', value: node.value, style: node.style, span: shiftSpan(node.span, delta) };
}

/** A copy of `node` with every span moved by `delta`. */
function shift(node: YNode, delta: number): YNode {
  if (delta === 0) return node;
  if (node.kind === 'scalar') return shiftScalar(node, delta);
  if (node.kind === 'seq') return { kind: 'seq', flow: node.flow, items: node.items.map((i) => shift(i, delta)), span: shiftSpan(node.span, delta) };
  return { kind: 'map', flow: node.flow, pairs: node.pairs.map((p) => shiftPair(p, delta)), span: shiftSpan(node.span, delta) };
}

function shiftPair(pair: YPair, delta: number): YPair {
  return { key: shiftScalar(pair.key, delta), value: pair.value ? shift(pair.value, delta) : null, span: shiftSpan(pair.span, delta) };
}

const grow = (span: Span, delta: number): Span => ({ start: span.start, end: span.end + delta });
const holds = (span: Span, c: Change) => span.start <= c.start && c.oldEnd <= span.end;

/**
 * Re-reads list item `index` of `seq` (nested `level` collections deep, itself included)
 * from the new text, or undefined when that is not certain to be exact.
 */
function reparseItem(seq: YSeq, index: number, c: Change, oldText: string, newText: string, level: number): YNode | undefined {
  const item = seq.items[index]!;
  const lineStart = oldText.lastIndexOf('\n', item.span.start - 1) + 1;
  const marker = /^( *)- +$/.exec(oldText.slice(lineStart, item.span.start));
  // The edit must stay inside the item's own text, after its `- ` marker.
  if (!marker || c.start < item.span.start || c.oldEnd > item.span.end) return undefined;
  const column = marker[1]!.length;
  const fragment = newText.slice(lineStart, item.span.end + c.delta);
  if (/[&*!%\t\r]|(^|\n)(---|\.\.\.)/.test(fragment)) return undefined;
  // What follows must still begin a new item or end the list: a line no deeper than the marker.
  const rest = newText.slice(item.span.end + c.delta, item.span.end + c.delta + 4000);
  const next = /\n( *)[^ \n#]/.exec(rest);
  if (!next && item.span.end + c.delta + rest.length < newText.length) return undefined;
  const between = next ? rest.slice(0, next.index) : rest;
  if (/^[ ]*[^ \n#]/.test(between) || (next && next[1]!.length > column)) return undefined;
  const parsed = parseYaml(fragment);
  const root = parsed.value;
  if (parsed.problems.length > 0 || !root || root.kind !== 'seq' || root.flow || root.items.length !== 1) return undefined;
  const fresh = shift(root.items[0]!, lineStart);
  // Read alone, the item is shallower than in the file: past the nesting limit only a full read reports it right.
  if (level + nestingOf(fresh) > MAX_NESTING) return undefined;
  // The item must still start where it did and end where the edit moved its end.
  if (fresh.span.start !== item.span.start || fresh.span.end !== item.span.end + c.delta) return undefined;
  return fresh;
}

/** `node` (nested `level` collections deep, itself included) with the change applied below it, or undefined when no list item below it can take the change. */
function splice(node: YNode, c: Change, oldText: string, newText: string, level = 1): YNode | undefined {
  if (node.kind === 'scalar' || node.flow || !holds(node.span, c)) return undefined;
  if (node.kind === 'map') {
    const index = node.pairs.findIndex((p) => p.value !== null && holds(p.value.span, c));
    const pair = node.pairs[index];
    if (!pair?.value || c.start <= pair.key.span.end) return undefined;
    const value = splice(pair.value, c, oldText, newText, level + 1);
    if (!value) return undefined;
    const pairs: YPair[] = node.pairs.slice(0, index);
    pairs.push({ key: pair.key, value, span: grow(pair.span, c.delta) });
    for (const later of node.pairs.slice(index + 1)) pairs.push(shiftPair(later, c.delta));
    const map: YMap = { kind: 'map', flow: false, pairs, span: grow(node.span, c.delta) };
    return map;
  }
  const index = node.items.findIndex((i) => holds(i.span, c));
  const item = node.items[index];
  if (!item) return undefined;
  const replaced = splice(item, c, oldText, newText, level + 1) ?? reparseItem(node, index, c, oldText, newText, level);
  if (!replaced) return undefined;
  const items: YNode[] = node.items.slice(0, index);
  items.push(replaced);
  for (const later of node.items.slice(index + 1)) items.push(shift(later, c.delta));
  const seq: YSeq = { kind: 'seq', flow: false, items, span: grow(node.span, c.delta) };
  return seq;
}

const bySpan = (a: Problem, b: Problem) => a.span.start - b.span.start || a.span.end - b.span.end || a.rule.localeCompare(b.rule);

/** Reads the definition from a tree and runs the single-file rules, as `analyzeText` does after parsing. */
function analyzeTree(file: string, text: string, tree: YNode): FileAnalysis {
  const read = readDefinition(tree, text);
  const problems = [...read.problems];
  for (const rule of FILE_RULES) rule.check(read.value, (r) => problems.push(problemOf(rule, r)));
  problems.sort(bySpan);
  return { file, text, tree, definition: read.value, problems };
}

/**
 * The analysis of `text`, reusing `previous` (the analysis of an earlier version of the
 * same file) when only one list item changed; otherwise a full `analyzeText`. The result
 * equals `analyzeText(file, text)` either way. Never throws on any text.
 */
export function reanalyzeText(previous: FileAnalysis | undefined, file: string, text: string): { analysis: FileAnalysis; incremental: boolean } {
  if (previous?.text === text && previous.file === file) return { analysis: previous, incremental: true };
  if (previous?.tree && !previous.problems.some((p) => p.rule === 'yaml-syntax')) {
    const c = changeBetween(previous.text, text);
    const tree = splice(previous.tree, c, previous.text, text);
    if (tree) return { analysis: analyzeTree(file, text, tree), incremental: true };
  }
  return { analysis: analyzeText(file, text), incremental: false };
}
