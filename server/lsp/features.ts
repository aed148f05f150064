/**
 * The editor features: each handler checks its params (`-32602` when malformed), fetches
 * the file's current analysis, asks the core, and converts the answer through
 * `to-lsp.ts` in the forms the client declared. Every handler is guarded.
 */
import type { Connection } from 'vscode-languageserver/node';
import { completionsAt, definitionAt, foldingSpans, hoverAt, outlineOf, referencesAt } from '../core/index';
import type { ClientFeatures } from './client-capabilities';
import { registerCodeActions } from './code-actions';
import { guard } from './guard';
import { checked } from './request-params';
import { toCompletionItem, toDocumentSymbol, toFoldingRanges, toHover, toLocations, toSymbolInformation } from './to-lsp';
import type { Validator } from './validation';

/** Registers completion, hover, code actions, symbols, folding, definition and references. */
export function registerFeatures(connection: Connection, validator: Validator, client: () => ClientFeatures, onError: (where: string, error: unknown) => void): void {
  /** The file's analysis of its current text, its line index, and the offset of `position`. */
  const at = (uri: string, position?: { line: number; character: number }) => {
    const analysis = validator.analysisOf(uri);
    const index = validator.indexOf(uri);
    if (!analysis || !index) return undefined;
    return { analysis, index, offset: position ? index.offset(position) : 0 };
  };

  connection.onCompletion(
    checked(
      'textDocument/completion',
      guard(connection, 'completion', [], onError, (params) => {
        const ctx = at(params.textDocument.uri, params.position);
        if (!ctx) return [];
        const features = client();
        return completionsAt(ctx.analysis, ctx.offset, { snippets: features.snippets }).map((c) => toCompletionItem(c, ctx.index, features));
      }),
    ),
  );

  connection.onHover(
    checked(
      'textDocument/hover',
      guard(connection, 'hover', null, onError, (params) => {
        const ctx = at(params.textDocument.uri, params.position);
        if (!ctx) return null;
        const hover = hoverAt(ctx.analysis, ctx.offset, validator.problemsOf(params.textDocument.uri));
        return hover ? toHover(hover, ctx.index, client()) : null;
      }),
    ),
  );

  registerCodeActions(connection, validator, client, onError);

  connection.onDocumentSymbol(
    checked(
      'textDocument/documentSymbol',
      guard(connection, 'documentSymbol', [], onError, (params) => {
        const ctx = at(params.textDocument.uri);
        if (!ctx) return [];
        const outline = outlineOf(ctx.analysis);
        return client().hierarchicalSymbols ? outline.map((s) => toDocumentSymbol(s, ctx.index)) : toSymbolInformation(outline, params.textDocument.uri, ctx.index);
      }),
    ),
  );

  connection.onFoldingRanges(
    checked(
      'textDocument/foldingRange',
      guard(connection, 'foldingRange', [], onError, (params) => {
        const ctx = at(params.textDocument.uri);
        return ctx ? toFoldingRanges(foldingSpans(ctx.analysis), ctx.index) : [];
      }),
    ),
  );

  connection.onDefinition(
    checked(
      'textDocument/definition',
      guard(connection, 'definition', [], onError, (params) => {
        const uri = params.textDocument.uri;
        const ctx = at(uri, params.position);
        return ctx ? toLocations(uri, definitionAt(ctx.analysis, ctx.offset), ctx.index) : [];
      }),
    ),
  );

  connection.onReferences(
    checked(
      'textDocument/references',
      guard(connection, 'references', [], onError, (params) => {
        const uri = params.textDocument.uri;
        const ctx = at(uri, params.position);
        return ctx ? toLocations(uri, referencesAt(ctx.analysis, ctx.offset, params.context.includeDeclaration), ctx.index) : [];
      }),
    ),
  );
}
