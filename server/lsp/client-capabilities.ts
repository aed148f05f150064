/**
 * What the client declared it can show, read once from `initialize`. The server offers
 * only that: everything else gets a plain fallback (see docs/language-server.md,
 * "Client capabilities").
 */
import { MarkupKind, type ClientCapabilities } from 'vscode-languageserver/node';

/** The client capabilities the server's answers depend on. */
export interface ClientFeatures {
  /** `textDocument.codeAction.codeActionLiteralSupport`: code actions as `CodeAction` literals (else `Command`s). */
  readonly codeActionLiterals: boolean;
  /** `workspace.applyEdit`: the server may ask the client to apply a workspace edit. */
  readonly applyEdit: boolean;
  /** `textDocument.hover.contentFormat` has markdown. */
  readonly hoverMarkdown: boolean;
  /** `textDocument.completion.completionItem.documentationFormat` has markdown. */
  readonly completionMarkdown: boolean;
  /** `textDocument.completion.completionItem.snippetSupport`: tab stops in insert texts. */
  readonly snippets: boolean;
  /** `textDocument.documentSymbol.hierarchicalDocumentSymbolSupport`: `DocumentSymbol` trees (else flat `SymbolInformation`). */
  readonly hierarchicalSymbols: boolean;
  /** `textDocument.publishDiagnostics.relatedInformation`. */
  readonly relatedInformation: boolean;
  /** `textDocument.publishDiagnostics.codeDescriptionSupport`: the rule page link. */
  readonly codeDescription: boolean;
}

/** What a client that declares nothing gets: plain text, flat symbols, no code actions. */
export const PLAIN_CLIENT: ClientFeatures = {
  codeActionLiterals: false,
  applyEdit: false,
  hoverMarkdown: false,
  completionMarkdown: false,
  snippets: false,
  hierarchicalSymbols: false,
  relatedInformation: false,
  codeDescription: false,
};

/** Reads the features from the `capabilities` of `InitializeParams` (anything malformed counts as not declared). */
export function readClientFeatures(capabilities: ClientCapabilities | null | undefined): ClientFeatures {
  const text = capabilities?.textDocument;
  const hasMarkdown = (formats: unknown) => Array.isArray(formats) && formats.includes(MarkupKind.Markdown);
  return {
    codeActionLiterals: typeof text?.codeAction?.codeActionLiteralSupport === 'object' && text.codeAction.codeActionLiteralSupport !== null,
    applyEdit: capabilities?.workspace?.applyEdit === true,
    hoverMarkdown: hasMarkdown(text?.hover?.contentFormat),
    completionMarkdown: hasMarkdown(text?.completion?.completionItem?.documentationFormat),
    snippets: text?.completion?.completionItem?.snippetSupport === true,
    hierarchicalSymbols: text?.documentSymbol?.hierarchicalDocumentSymbolSupport === true,
    relatedInformation: text?.publishDiagnostics?.relatedInformation === true,
    codeDescription: text?.publishDiagnostics?.codeDescriptionSupport === true,
  };
}
