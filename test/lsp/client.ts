/**
 * A real LSP client for tests: spawns the built server (`node dist/server.js --stdio`)
 * and drives it over JSON-RPC, recording what the server pushes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type Message, type MessageConnection, type ResponseMessage } from 'vscode-jsonrpc/node';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DidChangeConfigurationNotification,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ExitNotification,
  FoldingRangeRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  ShutdownRequest,
  type ClientCapabilities,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type FileEvent,
  type FoldingRange,
  type Hover,
  type InitializeResult,
  type Location,
  type Position,
  type PublishDiagnosticsParams,
  type Range,
  type TextDocumentContentChangeEvent,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import {
  ChangedNotification,
  DatabaseStatusNotification,
  PasswordRequest,
  ServerStatusNotification,
  type ChangedParams,
  type DatabaseStatusParams,
  type PasswordParams,
  type PasswordResult,
  type ServerStatusParams,
} from '../../schemas/lsp-protocol';

/** The built server the tests talk to. */
export const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

/** A `file://` URI for a path. */
export const uriOf = (path: string) => pathToFileURL(path).href;

// A generous bound so a broken server fails the test instead of hanging it; never a speed assertion.
const WAIT_MS = 60_000;

/** What VS Code's client declares of what the server's answers depend on (the default of `LspClient.start`). */
export const FULL_CAPABILITIES: ClientCapabilities = {
  workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true, applyEdit: true },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
};

interface Waiter {
  readonly check: () => boolean;
  readonly resolve: () => void;
}

/** Options of `LspClient.start`. */
export interface StartOptions {
  readonly rootPath?: string;
  readonly capabilities?: ClientCapabilities;
  readonly initializationOptions?: unknown;
  readonly args?: readonly string[];
  /** Another server to run instead (a script and its arguments, run with this Node). */
  readonly command?: readonly string[];
  /** Answers to `workspace/configuration` requests, by section (`client.configuration` changes them later). */
  readonly configuration?: Record<string, unknown>;
  /** Answers `workflowPhases/password`; absent: the request is not implemented (method not found). */
  readonly password?: (params: PasswordParams) => PasswordResult | Promise<PasswordResult>;
  /** `clientInfo` of the initialize request. */
  readonly clientInfo?: { name: string; version?: string };
  /** Extra environment variables of the server process. */
  readonly env?: Record<string, string>;
}

/** One running server and the client end of its connection. */
export class LspClient {
  /** Every diagnostics notification, in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** The latest diagnostics per URI. */
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly statuses: ServerStatusParams[] = [];
  /** Every `workflowPhases/databaseStatus`, in arrival order. */
  readonly databaseStatuses: DatabaseStatusParams[] = [];
  /** Every `workflowPhases/changed`, in arrival order. */
  readonly changes: ChangedParams[] = [];
  /** Every `workflowPhases/password` request received. */
  readonly passwordRequests: PasswordParams[] = [];
  /** How many `workspace/codeLens/refresh` requests arrived. */
  codeLensRefreshes = 0;
  /** The answers to `workspace/configuration`, by section. */
  configuration: Record<string, unknown> = {};
  readonly logs: string[] = [];
  /** Every `workspace/applyEdit` the server asked for (each answered `applied: true`). */
  readonly appliedEdits: { label?: string; edit: WorkspaceEdit }[] = [];
  /** Responses without an id: the server's answers to frames it could not read as a message. */
  readonly orphanResponses: ResponseMessage[] = [];
  /** Capabilities the server registered dynamically (`client/registerCapability`). */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  stderr = '';
  initializeResult!: InitializeResult;
  private readonly waiters = new Set<Waiter>();
  private readonly versions = new Map<string, number>();
  private exited = false;

  private constructor(
    readonly process: ChildProcess,
    readonly connection: MessageConnection,
  ) {}

  /** Spawns the server, initializes it and waits for nothing else. */
  static async start(options: StartOptions = {}): Promise<LspClient> {
    const argv = options.command ?? [SERVER, ...(options.args ?? ['--stdio'])];
    const child = spawn(process.execPath, [...argv], { stdio: ['pipe', 'pipe', 'pipe'], ...(options.env ? { env: { ...process.env, ...options.env } } : {}) });
    const reader = new StreamMessageReader(child.stdout);
    const listen = reader.listen.bind(reader);
    // vscode-jsonrpc only logs a response without an id; the tests want to see it.
    reader.listen = (callback) =>
      listen((message: Message) => {
        if ((message as ResponseMessage).id === null && 'error' in message) {
          client.orphanResponses.push(message as ResponseMessage);
          client.notify();
        } else callback(message);
      });
    const connection = createMessageConnection(reader, new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection);
    client.configuration = { ...(options.configuration ?? {}) };
    child.stderr.on('data', (chunk: Buffer) => (client.stderr += chunk.toString()));
    child.on('exit', () => {
      client.exited = true;
      client.notify();
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      client.published.push(params);
      client.diagnostics.set(params.uri, params.diagnostics);
      client.notify();
    });
    connection.onNotification(ServerStatusNotification.type, (params) => {
      client.statuses.push(params);
      client.notify();
    });
    connection.onNotification(DatabaseStatusNotification.type, (params) => {
      client.databaseStatuses.push(params);
      client.notify();
    });
    connection.onNotification(ChangedNotification.type, (params) => {
      client.changes.push(params);
      client.notify();
    });
    if (options.password) {
      const answer = options.password;
      connection.onRequest(PasswordRequest.type, async (params) => {
        client.passwordRequests.push(params);
        client.notify();
        return answer(params);
      });
    }
    connection.onRequest('workspace/codeLens/refresh', () => {
      client.codeLensRefreshes++;
      client.notify();
      return null;
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      client.logs.push(params.message);
      client.notify();
    });
    connection.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      client.registrations.push(...params.registrations);
      client.notify();
      return null;
    });
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('workspace/applyEdit', (params: { label?: string; edit: WorkspaceEdit }) => {
      client.appliedEdits.push(params);
      client.notify();
      return { applied: true };
    });
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section ? (client.configuration[item.section] ?? null) : null)),
    );
    connection.listen();
    const rootUri = options.rootPath ? uriOf(options.rootPath) : null;
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'workspace' }] : null,
      capabilities: options.capabilities ?? FULL_CAPABILITIES,
      initializationOptions: options.initializationOptions,
      ...(options.clientInfo ? { clientInfo: options.clientInfo } : {}),
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private notify(): void {
    for (const waiter of this.waiters) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Resolves once `check` holds (checked after every message from the server); rejects after a long bound. */
  waitFor(what: string, check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr}; logs: ${this.logs.join('\n')}`));
      }, WAIT_MS);
      const waiter: Waiter = {
        check: () => check() || this.exited,
        resolve: () => {
          clearTimeout(timer);
          if (this.exited && !check()) reject(new Error(`server exited while waiting for ${what}; stderr: ${this.stderr}`));
          else resolve();
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** The next diagnostics published for `uri` (after this call) that satisfy `accept`. */
  async nextDiagnostics(uri: string, accept: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean = () => true): Promise<Diagnostic[]> {
    const from = this.published.length;
    let found: Diagnostic[] | undefined;
    await this.waitFor(`diagnostics of ${uri}`, () => {
      for (let i = from; i < this.published.length; i++) {
        const p = this.published[i]!;
        if (p.uri === uri && accept(p.diagnostics, p)) {
          found = p.diagnostics;
          return true;
        }
      }
      return false;
    });
    return found!;
  }

  /** Opens a document and returns its first diagnostics. */
  async open(uri: string, text: string, languageId = 'yaml'): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    const next = this.nextDiagnostics(uri, (_d, p) => p.version === 1 || p.version === undefined);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return next;
  }

  /** Sends incremental changes and returns the diagnostics of the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const next = this.nextDiagnostics(uri, (_d, p) => p.version === version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return next;
  }

  /** Replaces `range` with `text` (one incremental change). */
  edit(uri: string, range: Range, text: string): Promise<Diagnostic[]> {
    return this.change(uri, [{ range, text }]);
  }

  /** Closes a document. */
  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Tells the server files changed on disk. */
  async filesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r: CompletionItem[] | CompletionList | null = await this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    return r === null ? [] : Array.isArray(r) ? r : r.items;
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const r = await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
    return (r ?? []).filter((a): a is CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
  }

  async symbols(uri: string): Promise<DocumentSymbol[]> {
    return ((await this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) ?? []) as DocumentSymbol[];
  }

  async folding(uri: string): Promise<FoldingRange[]> {
    return (await this.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } })) ?? [];
  }

  async definition(uri: string, position: Position): Promise<Location[]> {
    const r = await this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position });
    return r === null ? [] : (Array.isArray(r) ? r : [r]) as Location[];
  }

  async references(uri: string, position: Position, includeDeclaration: boolean): Promise<Location[]> {
    return (await this.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration } })) ?? [];
  }

  /** Writes one frame with `body` as it is (JSON or not) to the server's stdin. */
  sendRaw(body: string): void {
    const bytes = Buffer.from(body, 'utf8');
    this.process.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]));
  }

  /** Sends any request and returns its answer (a rejected promise carries the error code). */
  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params);
  }

  async codeLenses(uri: string): Promise<CodeLens[]> {
    return (await this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
  }

  /** Changes the answers to `workspace/configuration` and tells the server. */
  async setConfiguration(section: string, value: unknown): Promise<void> {
    this.configuration[section] = value;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { [section]: value } });
  }

  /** The latest database status (waits for the first). */
  async databaseStatus(accept: (s: DatabaseStatusParams) => boolean = () => true): Promise<DatabaseStatusParams> {
    let found: DatabaseStatusParams | undefined;
    await this.waitFor(`a database status (the latest: ${JSON.stringify(this.databaseStatuses[this.databaseStatuses.length - 1] ?? null)})`, () => {
      const last = this.databaseStatuses[this.databaseStatuses.length - 1];
      if (last && accept(last)) found = last;
      return found !== undefined;
    });
    return found!;
  }

  /** The first `workflowPhases/changed` from index `from` on that satisfies `accept`. */
  async nextChange(accept: (c: ChangedParams) => boolean, from = 0): Promise<ChangedParams> {
    let found: ChangedParams | undefined;
    await this.waitFor('a workflowPhases/changed notification', () => {
      found = this.changes.slice(from).find(accept);
      return found !== undefined;
    });
    return found!;
  }

  /** Shuts the server down politely and waits for the process to end. */
  async stop(): Promise<number | null> {
    if (!this.exited) {
      const ended = new Promise<number | null>((resolve) => this.process.once('exit', (code) => resolve(code)));
      try {
        await this.connection.sendRequest(ShutdownRequest.type);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        this.process.kill();
      }
      const code = await ended;
      this.connection.dispose();
      return code;
    }
    this.connection.dispose();
    return this.process.exitCode;
  }
}

/** Applies LSP text edits to a text (non-overlapping, any order). */
export function applyTextEdits(text: string, edits: readonly { range: Range; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: Position) => {
    let o = 0;
    for (let i = 0; i < p.line && i < lines.length; i++) o += lines[i]!.length + 1;
    return Math.min(o + p.character, text.length);
  };
  const sorted = edits.map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The position of the first occurrence of `needle` in `text` (after `after`, if given), plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, after = 0): Position {
  const at = text.indexOf(needle, after);
  if (at < 0) throw new Error(`'${needle}' not in text`);
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** A diagnostic's message as plain text (LSP 3.18 allows markup). */
export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}
