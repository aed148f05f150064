/**
 * The complete YAML reader: the `yaml` package, for every text the fast parser
 * declines. Its errors and warnings become `yaml-syntax` problems; aliases are
 * resolved; several documents are reported and only the first is read.
 */
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { LineIndex } from '../line-index';
import type { Parsed, Problem, Span } from '../problem';
import { yamlSyntax } from '../rules/yaml-syntax';
import { problemOf } from '../rules/rule';
import { pairSpan, type YNode, type YPair, type YScalar } from './tree';

const MAX_ALIAS_DEPTH = 32;

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
  constructor(
    private readonly doc: Document.Parsed,
    private readonly problems: Problem[],
  ) {}

  node(node: unknown, depth = 0, at?: Span): YNode | null {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.alias(node, depth);
    const range = (node as YamlNode).range;
    const span: Span = at ?? (range ? { start: range[0], end: range[1] } : { start: 0, end: 0 });
    if (isScalar(node)) {
      if (node.value === null && node.source === '' ) return null;
      return { kind: 'scalar', value: scalarValue(node.value), style: styleOf(node), span };
    }
    if (isMap(node)) {
      const pairs: YPair[] = [];
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = this.node(item.key, depth);
        if (!key || key.kind !== 'scalar') {
          if (this.problems.length > 0) continue;
          const keyRange = (item.key as YamlNode | null)?.range;
          this.problems.push(problemOf(yamlSyntax, {
            message: 'Complex mapping keys are not supported: use a plain text key.',
            span: keyRange ? { start: keyRange[0], end: keyRange[1] } : span,
          }));
          continue;
        }
        const value = this.node(item.value, depth);
        const colon = item.srcToken?.sep?.find((t) => t.type === 'map-value-ind')?.offset;
        pairs.push({ key, value, span: pairSpan(key, value, colon) });
      }
      const flow = Boolean(node.flow);
      const mapSpan = flow || pairs.length === 0 ? span : { start: pairs[0]!.span.start, end: pairs[pairs.length - 1]!.span.end };
      return { kind: 'map', flow, pairs, span: mapSpan };
    }
    if (isSeq(node)) {
      const items: YNode[] = [];
      for (const item of node.items) {
        const converted = this.node(item, depth);
        items.push(converted ?? { kind: 'scalar', value: null, style: 'plain', span: this.emptySpan(item, span) });
      }
      const flow = Boolean(node.flow);
      // The package's block-sequence range runs past the last item's line end; ours ends with the item.
      const seqSpan = flow || items.length === 0 ? span : { start: span.start, end: items[items.length - 1]!.span.end };
      return { kind: 'seq', flow, items, span: seqSpan };
    }
    return null;
  }

  private emptySpan(item: unknown, fallback: Span): Span {
    const range = (item as YamlNode | null)?.range;
    return range ? { start: range[0], end: range[0] } : { start: fallback.start, end: fallback.start };
  }

  private alias(alias: Alias, depth: number): YNode | null {
    const range = alias.range;
    const span: Span = range ? { start: range[0], end: range[1] } : { start: 0, end: 0 };
    if (depth >= MAX_ALIAS_DEPTH) {
      this.problems.push(problemOf(yamlSyntax, { message: `Aliases nest deeper than ${MAX_ALIAS_DEPTH} levels.`, span }));
      return null;
    }
    const target = alias.resolve(this.doc);
    if (!target) {
      this.problems.push(problemOf(yamlSyntax, { message: `Unknown alias *${alias.source}.`, span }));
      return null;
    }
    // An alias stands for its anchor's node; positions stay on the alias so problems point where it is used.
    const resolved = this.node(target, depth + 1);
    return resolved ? relocate(resolved, span) : null;
  }
}

function relocate(node: YNode, span: Span): YNode {
  switch (node.kind) {
    case 'scalar':
      return { ...node, span };
    case 'map':
      return { ...node, span, pairs: node.pairs.map((p) => ({ key: { ...p.key, span }, value: p.value && relocate(p.value, span), span })) };
    case 'seq':
      return { ...node, span, items: node.items.map((i) => relocate(i, span)) };
  }
}

/** Parses any YAML text with the `yaml` package. Never throws on user input. */
export function parseWithYamlPackage(text: string): Parsed<YNode | null> {
  const problems: Problem[] = [];
  let docs: Document.Parsed[];
  try {
    const all = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true, keepSourceTokens: true });
    docs = Array.isArray(all) ? all : [];
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
    value = new Converter(first, problems).node(first.contents);
  } catch (error) {
    problems.push(problemOf(yamlSyntax, { message: `The YAML could not be read: ${(error as Error).message}`, span: { start: 0, end: 0 } }));
  }
  return { value, problems };
}
