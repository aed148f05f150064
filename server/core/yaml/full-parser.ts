/**
 * The complete YAML reader: the `yaml` package, for every text the fast parser
 * declines. Its errors and warnings become `yaml-syntax` problems; aliases are
 * resolved; several documents are reported and only the first is read.
 */
import { Alias, Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser, Scalar } from 'yaml';
import type { Document, Node as YamlNode, ParsedNode, YAMLMap, YAMLSeq } from 'yaml';
import { LineIndex } from '../line-index';
import type { Parsed, Problem, Span } from '../problem';
import { yamlSyntax } from '../rules/yaml-syntax';
import { problemOf } from '../rules/rule';
import { firstTooDeep } from './cst-depth';
import { aliasBudget, MAX_NESTING } from './limits';
import { pairSpan, type YNode, type YPair, type YScalar } from './tree';

const MAX_ALIAS_DEPTH = 32;

/** Thrown inside an alias's expansion when the alias budget runs out; caught at the alias written in the document. */
class OverBudget extends Error {}
const OVER_BUDGET = new OverBudget('aliases expand past the budget');

function styleOf(scalar: Scalar): YScalar['style'] {
  switch (scalar.type) {
    case Scalar.QUOTE_SINGLE:
      return 'single';
    case Scalar.QUOTE_DOUBLE:
      return 'double';
    case Scalar.BLOCK_FOLDED:
    case Scalar.BLOCK_LITERAL:
      return 'block';
    default:
      return 'plain';
  }
}

function scalarValue(value: unknown): YScalar['value'] {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  return JSON.stringify(value) ?? '';
}

class Converter {
  /** Nodes produced by aliases so far, and how many they may produce in all. */
  private expanded = 0;
  private readonly budget: number;
  /** Set once the budget ran out: every later alias is left unread, without another report. */
  private exhausted = false;
  private tooDeepReported = false;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly problems: Problem[],
    textLength: number,
  ) {
    this.budget = aliasBudget(textLength);
  }

  /**
   * Converts a node. `aliasDepth` counts the aliases being expanded around it, `level`
   * the collections around it; inside an alias every span is `at`, the alias's own.
   */
  node(node: unknown, aliasDepth = 0, level = 0, at?: Span): YNode | null {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.alias(node, aliasDepth, level, at);
    if (aliasDepth > 0 && ++this.expanded > this.budget) throw OVER_BUDGET;
    const range = (node as YamlNode).range;
    const span: Span = at ?? (range ? { start: range[0], end: range[1] } : { start: 0, end: 0 });
    if (isScalar(node)) {
      if (node.value === null && node.source === '') return null;
      return { kind: 'scalar', value: scalarValue(node.value), style: styleOf(node), span };
    }
    if (!isMap(node) && !isSeq(node)) return null;
    if (level + 1 > MAX_NESTING) {
      // Only an alias can get here: the text itself was measured before composing.
      if (!this.tooDeepReported) this.problems.push(problemOf(yamlSyntax, { message: `This alias nests the file deeper than ${MAX_NESTING} levels: it is not read.`, span }));
      this.tooDeepReported = true;
      return null;
    }
    return isMap(node) ? this.map(node, aliasDepth, level + 1, span, at) : this.seq(node, aliasDepth, level + 1, span, at);
  }

  private map(node: YAMLMap, aliasDepth: number, level: number, span: Span, at: Span | undefined): YNode {
    const pairs: YPair[] = [];
    // Duplicate keys, found here in linear time (the package's own check is quadratic in the keys).
    const keys = new Set<string>();
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const key = this.node(item.key, aliasDepth, level, at);
      const keyRange = (item.key as YamlNode | null)?.range;
      if (!key || key.kind !== 'scalar') {
        if (this.problems.length > 0) continue;
        this.problems.push(problemOf(yamlSyntax, {
          message: 'Complex mapping keys are not supported: use a plain text key.',
          span: keyRange ? { start: keyRange[0], end: keyRange[1] } : span,
        }));
        continue;
      }
      const identity = `${typeof key.value}:${String(key.value)}`;
      if (keys.has(identity) && aliasDepth === 0) {
        const start = keyRange?.[0] ?? key.span.start;
        this.problems.push(problemOf(yamlSyntax, { message: 'Map keys must be unique', span: { start, end: start + 1 } }));
      }
      keys.add(identity);
      const value = this.node(item.value, aliasDepth, level, at);
      const colon = item.srcToken?.sep?.find((t) => t.type === 'map-value-ind')?.offset;
      pairs.push({ key, value, span: at ?? pairSpan(key, value, colon) });
    }
    const flow = Boolean(node.flow);
    const mapSpan = at || flow || pairs.length === 0 ? span : { start: pairs[0]!.span.start, end: pairs[pairs.length - 1]!.span.end };
    return { kind: 'map', flow, pairs, span: mapSpan };
  }

  private seq(node: YAMLSeq, aliasDepth: number, level: number, span: Span, at: Span | undefined): YNode {
    const items: YNode[] = [];
    for (const item of node.items) {
      const converted = this.node(item, aliasDepth, level, at);
      items.push(converted ?? { kind: 'scalar', value: null, style: 'plain', span: at ?? this.emptySpan(item, span) });
    }
    const flow = Boolean(node.flow);
    // The package's block-sequence range runs past the last item's line end; ours ends with the item.
    const seqSpan = at || flow || items.length === 0 ? span : { start: span.start, end: items[items.length - 1]!.span.end };
    return { kind: 'seq', flow, items, span: seqSpan };
  }

  private emptySpan(item: unknown, fallback: Span): Span {
    const range = (item as YamlNode | null)?.range;
    return range ? { start: range[0], end: range[0] } : { start: fallback.start, end: fallback.start };
  }

  private alias(alias: Alias, aliasDepth: number, level: number, at: Span | undefined): YNode | null {
    const range = alias.range;
    const span: Span = at ?? (range ? { start: range[0], end: range[1] } : { start: 0, end: 0 });
    if (this.exhausted) return null;
    if (aliasDepth >= MAX_ALIAS_DEPTH) {
      this.problems.push(problemOf(yamlSyntax, { message: `Aliases nest deeper than ${MAX_ALIAS_DEPTH} levels.`, span }));
      return null;
    }
    const target = alias.resolve(this.doc);
    if (!target) {
      this.problems.push(problemOf(yamlSyntax, { message: `Unknown alias *${alias.source}.`, span }));
      return null;
    }
    // An alias stands for its anchor's node; positions stay on the alias so problems point where it is used.
    if (aliasDepth > 0) return this.node(target, aliasDepth + 1, level, span);
    try {
      return this.node(target, 1, level, span);
    } catch (error) {
      if (error !== OVER_BUDGET) throw error;
      this.exhausted = true;
      this.problems.push(problemOf(yamlSyntax, {
        message: `Aliases may repeat at most ${this.budget} values in all (about the size of the file); this one goes past that, so it and every later alias are not read.`,
        span,
      }));
      return null;
    }
  }
}

/** Parses any YAML text with the `yaml` package. Never throws on user input. */
export function parseWithYamlPackage(text: string): Parsed<YNode | null> {
  const problems: Problem[] = [];
  let docs: Document.Parsed[];
  try {
    const tokens = Array.from(new Parser().parse(text));
    const tooDeep = firstTooDeep(tokens);
    if (tooDeep !== undefined) {
      problems.push(problemOf(yamlSyntax, {
        message: `This value nests deeper than ${MAX_NESTING} levels (a definition file needs about 6): the file is not read.`,
        span: { start: tooDeep, end: Math.min(text.length, tooDeep + 1) },
      }));
      return { value: null, problems };
    }
    // Duplicate keys are found by the converter, in linear time.
    docs = Array.from(new Composer<ParsedNode, true>({ prettyErrors: false, uniqueKeys: false, keepSourceTokens: true }).compose(tokens));
  } catch (error) {
    problems.push(problemOf(yamlSyntax, { message: `The YAML could not be read: ${(error as Error).message}`, span: { start: 0, end: 0 } }));
    return { value: null, problems };
  }
  // One error per line: after the first, the package's follow-on errors on that line only repeat it.
  const linesWithError = new Set<number>();
  let lines: LineIndex | undefined;
  const lineOf = (offset: number) => (lines ??= new LineIndex(text)).position(offset).line;
  for (const doc of docs) {
    for (const e of [...doc.errors, ...doc.warnings]) {
      const line = lineOf(e.pos[0]);
      if (linesWithError.has(line)) continue;
      linesWithError.add(line);
      problems.push(problemOf(yamlSyntax, {
        message: e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim(),
        span: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) },
        severity: e.name === 'YAMLWarning' ? 'warning' : 'error',
      }));
    }
  }
  if (docs.length > 1) {
    const second = docs[1]!.range[0];
    problems.push(problemOf(yamlSyntax, {
      message: `This file holds ${docs.length} YAML documents; a definition file holds one. Only the first is read.`,
      span: { start: second, end: Math.min(text.length, second + 3) },
    }));
  }
  const first = docs[0];
  if (!first) return { value: null, problems };
  let value: YNode | null = null;
  try {
    value = new Converter(first, problems, text.length).node(first.contents);
  } catch (error) {
    problems.push(problemOf(yamlSyntax, { message: `The YAML could not be read: ${(error as Error).message}`, span: { start: 0, end: 0 } }));
  }
  return { value, problems };
}
