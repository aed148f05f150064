/**
 * The one place where core results (UTF-16 offset spans, plain candidates) become LSP
 * types. Every handler converts through here.
 */
import {
  CompletionItemKind,
  DiagnosticSeverity,
  FoldingRangeKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Location,
  type Range,
  type SymbolInformation,
  type TextEdit,
} from 'vscode-languageserver/node';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ClientFeatures } from './client-capabilities';
import { plainText } from './plain-text';
import type { CompletionCandidate, HoverInfo, OutlineSymbol, Problem, Severity, Span, OffsetEdit } from '../core/index';
import { ruleDocsUri } from './rule-docs';

/** Offsets of one text <-> LSP positions. */
export interface LineIndex {
  position(offset: number): { line: number; character: number };
  offset(position: { line: number; character: number }): number;
  /** The editor's version this index describes, when it comes from an open document. */
  readonly version?: number;
}

/** The line index of an open document (it follows the document: check `version` before use). */
export function lineIndexOfDocument(doc: TextDocument): LineIndex {
  return {
    position: (offset) => doc.positionAt(offset),
    offset: (position) => doc.offsetAt(position),
    get version() {
      return doc.version;
    },
  };
}

/**
 * The line index of a text with LSP's line breaks (\n, \r\n and a lone \r), as the
 * client counts them.
 */
export function lineIndexOf(text: string): LineIndex {
  const doc = TextDocument.create('', '', 0, text);
  return { position: (offset) => doc.positionAt(offset), offset: (position) => doc.offsetAt(position) };
}

/** A span of a text as an LSP range. */
export function toRange(index: LineIndex, span: Span): Range {
  return { start: index.position(span.start), end: index.position(span.end) };
}

/** An LSP position (0-based line and UTF-16 character) as an offset of the text. */
export function toOffset(index: LineIndex, position: { line: number; character: number }): number {
  return index.offset(position);
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The name a diagnostic reports as its `source`. */
export const DIAGNOSTIC_SOURCE = 'workflow-phases';

/** Where a related location is, for a message: `line 3` in the same file, else `<path>:3`. */
function placeOf(file: string, uri: string, line: number): string {
  if (file === uri) return `line ${line + 1}`;
  let path = file;
  try {
    if (file.startsWith('file:')) path = fileURLToPath(file);
  } catch {
    // Not a path this platform can name: the URI says where.
  }
  return `${path}:${line + 1}`;
}

/**
 * A problem as an LSP diagnostic. `indexOf` gives the line index of another file
 * (for related locations there); a related location in an unknown file is dropped.
 * Related information and the rule page link (`codeDescription`) go only to a client that
 * declared them; without related information the places are told in the message instead.
 */
export function toDiagnostic(
  problem: Problem,
  uri: string,
  index: LineIndex,
  indexOf: (uri: string) => LineIndex | undefined,
  client: Pick<ClientFeatures, 'relatedInformation' | 'codeDescription'>,
): Diagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of problem.related ?? []) {
    const file = r.file ?? uri;
    const relatedIndex = file === uri ? index : indexOf(file);
    if (relatedIndex) related.push({ location: { uri: file, range: toRange(relatedIndex, r.span) }, message: r.message });
  }
  const folded = client.relatedInformation || related.length === 0
    ? ''
    : ` (${related.map((r) => `${r.message}: ${placeOf(r.location.uri, uri, r.location.range.start.line)}`).join('; ')})`;
  return {
    range: toRange(index, problem.span),
    severity: SEVERITY[problem.severity],
    code: problem.rule,
    ...(client.codeDescription ? { codeDescription: { href: ruleDocsUri(problem.rule) } } : {}),
    source: DIAGNOSTIC_SOURCE,
    message: problem.message + folded,
    ...(client.relatedInformation && related.length > 0 ? { relatedInformation: related } : {}),
    ...(problem.data ? { data: problem.data } : {}),
  };
}

const CANDIDATE_KIND: Record<CompletionCandidate['kind'], CompletionItemKind> = {
  key: CompletionItemKind.Property,
  phase: CompletionItemKind.Module,
  enum: CompletionItemKind.EnumMember,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
};

/**
 * A completion candidate as an LSP completion item with a text edit; its documentation
 * is markdown only for a client that declared markdown, else plain text.
 */
export function toCompletionItem(candidate: CompletionCandidate, index: LineIndex, client: Pick<ClientFeatures, 'completionMarkdown'>): CompletionItem {
  const documentation = candidate.documentation;
  return {
    label: candidate.label,
    kind: CANDIDATE_KIND[candidate.kind],
    ...(candidate.detail ? { detail: candidate.detail } : {}),
    ...(documentation ? { documentation: client.completionMarkdown ? { kind: MarkupKind.Markdown, value: documentation } : plainText(documentation) } : {}),
    sortText: candidate.sortText,
    filterText: candidate.filterText ?? candidate.label,
    textEdit: { range: toRange(index, candidate.replace), newText: candidate.insertText },
    insertTextFormat: candidate.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    // The skeleton's lines carry their full indentation already.
    ...(candidate.insertText.includes('\n') ? { insertTextMode: InsertTextMode.asIs } : {}),
  };
}

/** A hover as an LSP hover: markdown for a client that declared it, else plain text. */
export function toHover(hover: HoverInfo, index: LineIndex, client: Pick<ClientFeatures, 'hoverMarkdown'>): Hover {
  const contents = client.hoverMarkdown ? { kind: MarkupKind.Markdown, value: hover.markdown } : { kind: MarkupKind.PlainText, value: plainText(hover.markdown) };
  return { contents, range: toRange(index, hover.span) };
}

const SYMBOL_KIND = { workflow: SymbolKind.Namespace, phase: SymbolKind.Module, activity: SymbolKind.Event } as const;

/** An outline symbol (with its children) as an LSP document symbol. */
export function toDocumentSymbol(symbol: OutlineSymbol, index: LineIndex): DocumentSymbol {
  return {
    name: symbol.name || '?',
    ...(symbol.detail ? { detail: symbol.detail } : {}),
    kind: SYMBOL_KIND[symbol.kind],
    range: toRange(index, symbol.span),
    selectionRange: toRange(index, symbol.selection),
    children: symbol.children.map((c) => toDocumentSymbol(c, index)),
  };
}

/**
 * An outline as flat LSP symbol information (for a client without hierarchical symbols):
 * every symbol in outline order, named by its container.
 */
export function toSymbolInformation(symbols: readonly OutlineSymbol[], uri: string, index: LineIndex): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  // One list filled in place, not push(...children): a phase of 150,000 activities would overflow the stack.
  const add = (list: readonly OutlineSymbol[], container: string | undefined): void => {
    for (const symbol of list) {
      const name = symbol.name || '?';
      out.push({ name, kind: SYMBOL_KIND[symbol.kind], location: { uri, range: toRange(index, symbol.span) }, ...(container !== undefined ? { containerName: container } : {}) });
      add(symbol.children, name);
    }
  };
  add(symbols, undefined);
  return out;
}

/** Folding spans as LSP folding ranges (one-line spans dropped, the last line left visible). */
export function toFoldingRanges(spans: readonly Span[], index: LineIndex): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const span of spans) {
    const start = index.position(span.start).line;
    const end = index.position(span.end).line;
    if (end > start) out.push({ startLine: start, endLine: end, kind: FoldingRangeKind.Region });
  }
  return out;
}

/** A span of a document as an LSP location. */
export function toLocation(uri: string, span: Span, index: LineIndex): Location {
  return { uri, range: toRange(index, span) };
}

/** Spans of one document as LSP locations. */
export function toLocations(uri: string, spans: readonly Span[], index: LineIndex): Location[] {
  return spans.map((span) => ({ uri, range: toRange(index, span) }));
}

/** Offset edits of one text as LSP text edits. */
export function toTextEdits(edits: readonly OffsetEdit[], index: LineIndex): TextEdit[] {
  return edits.map((e) => ({ range: toRange(index, e.span), newText: e.newText }));
}
