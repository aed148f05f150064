/**
 * The language server's wiring: capabilities (what the client declared, and what the
 * server offers), the document store (incremental sync), the workspace scan and file
 * watching, and the feature handlers.
 */
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { InitializationOptions } from '../../schemas/lsp-protocol';
import { PLAIN_CLIENT, readClientFeatures, type ClientFeatures } from './client-capabilities';
import { APPLY_FIX_COMMAND, fixesAsCommands } from './code-actions';
import { registerFeatures } from './features';
import { isDefinitionUri, isSkippedUri, readUri, scanFolder } from './files';
import { LiveServer } from './live/live-server';
import { StatusReporter } from './status';
import { lineIndexOfDocument } from './to-lsp';
import { Validator } from './validation';

/** Registers every handler of the Workflow Phases language server on `connection`. */
export function initConnection(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const status = new StatusReporter(connection, {
    get fileCount() {
      return validator.fileCount;
    },
    get problemCount() {
      return validator.problemCount;
    },
    get quiescent() {
      return validator.quiescent && scans === 0;
    },
  });
  const validator = new Validator(connection, {
    changed: () => status.changed(),
    failed: (uri, error) => {
      connection.console.error(`validation of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      status.failed(`validation of ${uri}`, error);
    },
    succeeded: () => status.recovered(),
    edited: () => live.definitionsChanged(),
  });
  const onError = (where: string, error: unknown) => status.failed(where, error);
  const live = new LiveServer(connection, validator, onError);
  const scanFailed = (error: unknown) => {
    connection.console.error(`workspace scan failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    onError('workspace scan', error);
  };

  let folders: string[] = [];
  let client: ClientFeatures = PLAIN_CLIENT;
  let scans = 0;
  let watchDynamically = false;
  let folderEvents = false;
  let scan = true;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    client = readClientFeatures(params.capabilities);
    validator.useClientFeatures(client);
    watchDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    // Without it, vscode-languageserver throws on registering for folder changes.
    folderEvents = params.capabilities.workspace?.workspaceFolders === true;
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    scan = options.scanWorkspace !== false;
    const liveCapabilities = live.initialize(params, () => folders);
    return {
      capabilities: {
        ...liveCapabilities,
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [':', ' ', '[', ','] },
        hoverProvider: true,
        codeActionProvider: client.codeActionLiterals ? { codeActionKinds: [CodeActionKind.QuickFix] } : fixesAsCommands(client),
        ...(fixesAsCommands(client) ? { executeCommandProvider: { commands: [APPLY_FIX_COMMAND] } } : {}),
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'workflow-phases', version: '0.1.0' },
    };
  });

  const scanFolders = async (uris: readonly string[]) => {
    scans++;
    status.changed();
    try {
      await scanEach(uris);
    } finally {
      scans--;
      status.changed();
    }
  };
  const scanEach = async (uris: readonly string[]) => {
    for (const folder of uris) {
      const found = await scanFolder(folder);
      const files: { uri: string; text: string }[] = [];
      for (const uri of found) {
        if (documents.get(uri)) continue;
        const text = await readUri(uri);
        if (text !== undefined) files.push({ uri, text });
      }
      await validator.updateMany(files);
    }
  };

  connection.onInitialized(() => {
    if (watchDynamically) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.phases.yaml' }, { globPattern: '**/*.phases.yml' }],
      });
    }
    if (folders.length > 0 && folderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const removed of event.removed) {
          folders = folders.filter((f) => f !== removed.uri);
          for (const uri of knownUnder(removed.uri)) if (!documents.get(uri)) validator.remove(uri);
        }
        folders.push(...event.added.map((f) => f.uri));
        scanFolders(event.added.map((f) => f.uri)).catch(scanFailed);
      });
    }
    if (scan) scanFolders(folders).catch(scanFailed);
    live.initialized();
  });

  const under = (uri: string, folder: string) => uri.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
  const knownUnder = (folder: string) => validator.uris().filter((uri) => under(uri, folder));
  const inWorkspace = (uri: string) => folders.some((folder) => under(uri, folder));

  documents.onDidChangeContent((event) => {
    const uri = event.document.uri;
    if (!isDefinitionUri(uri)) return;
    validator.update(uri, event.document.getText(), event.document.version, false, lineIndexOfDocument(event.document));
  });

  /** Validates a file that is not open as it is on disk, or forgets it when it is gone. */
  const followDisk = (uri: string): void => {
    void readUri(uri).then((text) => {
      if (documents.get(uri)) return; // opened meanwhile: the editor's text wins
      if (text === undefined) validator.remove(uri);
      else validator.update(uri, text, null, true);
    });
  };

  documents.onDidClose((event) => {
    const uri = event.document.uri;
    if (!isDefinitionUri(uri)) return;
    // Outside every workspace folder a file counts only while it is open: forgotten, its
    // diagnostics cleared, it leaves the cross-file rules.
    if (!inWorkspace(uri)) validator.remove(uri);
    // A closed file of the workspace still counts as it is on disk; if it is not there, it is gone.
    else followDisk(uri);
  });

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      const uri = change.uri;
      if (!isDefinitionUri(uri) || isSkippedUri(uri) || documents.get(uri)) continue; // open: the editor's text wins
      if (!inWorkspace(uri)) continue; // outside the workspace only open files count
      if (change.type === FileChangeType.Deleted) {
        validator.remove(uri);
        continue;
      }
      followDisk(uri);
    }
  });

  registerFeatures(connection, validator, () => client, onError);
  connection.onShutdown(async () => {
    validator.dispose();
    await live.shutdown();
  });
  documents.listen(connection);
}
