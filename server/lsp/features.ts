/**
 * The editor features: each handler fetches the file's current analysis, asks the core,
 * and converts the answer through `to-lsp.ts`. Every handler is guarded.
 */
import { CodeActionKind, type CodeAction, type Connection } from 'vscode-languageserver/node';
import { completionsAt, definitionAt, foldingSpans, hoverAt, outlineOf, quickFixesFor, referencesAt } from '../core/index';
import { guard } from './guard';
import { toCompletionItem, toDiagnostic, toDocumentSymbol, toFoldingRanges, toHover, toLocations, toTextEdits } from './to-lsp';
import type { Validator } from './validation';

/** Registers completion, hover, code actions, symbols, folding, definition and references. */
export function registerFeatures(connection: Connection, validator: Validator, onError: (where: string, error: unknown) => void): void {
  /** The file's analysis of its current text, its line index, and the offset of `position`. */
  const at = (uri: string, position?: { line: number; character: number }) => {
    const analysis = validator.analysisOf(uri);
    const index = validator.indexOf(uri);
    if (!analysis || !index) return undefined;
    return { analysis, index, offset: position ? index.offset(position) : 0 };
  };

  connection.onCompletion(
    guard(connection, 'completion', [], onError, (params) => {
      const ctx = at(params.textDocument.uri, params.position);
      if (!ctx) return [];
      return completionsAt(ctx.analysis, ctx.offset).map((c) => toCompletionItem(c, ctx.index));
    }),
  );

  connection.onHover(
    guard(connection, 'hover', null, onError, (params) => {
      const ctx = at(params.textDocument.uri, params.position);
      if (!ctx) return null;
      const hover = hoverAt(ctx.analysis, ctx.offset, validator.problemsOf(params.textDocument.uri));
      return hover ? toHover(hover, ctx.index) : null;
    }),
  );

  connection.onCodeAction(
    guard(connection, 'codeAction', [], onError, (params) => {
      const uri = params.textDocument.uri;
      const only = params.context.only;
      if (only && !only.some((kind) => kind === CodeActionKind.Empty || kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`))) return [];
      const ctx = at(uri);
      if (!ctx) return [];
      const start = ctx.index.offset(params.range.start);
      const end = ctx.index.offset(params.range.end);
      const problems = validator.problemsOf(uri).filter((p) => p.span.start <= end && p.span.end >= start);
      const indexOf = (other: string) => validator.indexOf(other);
      return quickFixesFor(ctx.analysis, problems).map(
        (fix): CodeAction => ({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [toDiagnostic(fix.problem, uri, ctx.index, indexOf)],
          ...(fix.preferred ? { isPreferred: true } : {}),
          edit: { changes: { [uri]: toTextEdits(fix.edits, ctx.index) } },
        }),
      );
    }),
  );

  connection.onDocumentSymbol(
    guard(connection, 'documentSymbol', [], onError, (params) => {
      const ctx = at(params.textDocument.uri);
      return ctx ? outlineOf(ctx.analysis).map((s) => toDocumentSymbol(s, ctx.index)) : [];
    }),
  );

  connection.onFoldingRanges(
    guard(connection, 'foldingRange', [], onError, (params) => {
      const ctx = at(params.textDocument.uri);
      return ctx ? toFoldingRanges(foldingSpans(ctx.analysis), ctx.index) : [];
    }),
  );

  connection.onDefinition(
    guard(connection, 'definition', [], onError, (params) => {
      const uri = params.textDocument.uri;
      const ctx = at(uri, params.position);
      return ctx ? toLocations(uri, definitionAt(ctx.analysis, ctx.offset), ctx.index) : [];
    }),
  );

  connection.onReferences(
    guard(connection, 'references', [], onError, (params) => {
      const uri = params.textDocument.uri;
      const ctx = at(uri, params.position);
      return ctx ? toLocations(uri, referencesAt(ctx.analysis, ctx.offset, params.context.includeDeclaration), ctx.index) : [];
    }),
  );
}
