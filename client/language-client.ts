/** The language client: which documents the bundled server sees, and how it is started. */
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION, type InitializationOptions } from '../schemas/lsp-protocol';
import { withoutPassword } from './format/database-url';

/** The documents the language server validates: definition files on disk. */
export const DEFINITION_SELECTOR = [
  { scheme: 'file', language: 'yaml', pattern: '**/*.phases.{yaml,yml}' },
] as const;

/** The glob of definition files, for file searches and watchers. */
export const DEFINITION_GLOB = '**/*.phases.{yaml,yml}';

/** Whether `uri` names a definition file on disk. */
export function isDefinitionUri(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && /\.phases\.ya?ml$/.test(uri.path);
}

/** Whether `doc` is a definition file the server handles. */
export function isDefinitionFile(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'yaml' && isDefinitionUri(doc.uri);
}

/**
 * A language client for the bundled server at `serverModule`, talking over node IPC.
 * `liveDatabase: false` (Restricted Mode) makes the server validate only. Settings reach
 * the server the LSP way: it pulls section `workflowPhases` with `workspace/configuration`
 * (answered by the client, passwords removed) and is told to pull again on every change.
 */
export function createLanguageClient(serverModule: string, output: vscode.LogOutputChannel, liveDatabase: boolean): LanguageClient {
  const run = { module: serverModule, transport: TransportKind.ipc };
  const serverOptions: ServerOptions = {
    run,
    debug: { ...run, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = { liveDatabase };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DEFINITION_SELECTOR.map((s) => ({ ...s })),
    outputChannel: output,
    diagnosticCollectionName: 'workflow-phases',
    initializationOptions,
    synchronize: { configurationSection: SETTINGS_SECTION },
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const values = await next(params, token);
          if (!Array.isArray(values)) return values;
          return values.map((value: unknown, i) => withoutPassword(params.items[i]?.section, value));
        },
        // `settings: null` means "pull them again": values never travel in the notification.
        didChangeConfiguration: (_sections, next) => next(undefined),
      },
    },
  };
  return new LanguageClient('workflowPhases', 'Workflow Phases', serverOptions, clientOptions);
}
