/**
 * The extension's state: the output channel, the language client, and two disposal
 * buckets (rust-analyzer's habit). The extension bucket lives until deactivation; the
 * client bucket lives as long as one language client and is emptied by a restart.
 * The server's pushes (status, database state, change feed) are re-fired from here, so
 * views and commands subscribe once and survive restarts.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient, type RequestType } from 'vscode-languageclient/node';
import {
  ChangedNotification,
  DatabaseStatusNotification,
  PasswordRequest,
  ServerStatusNotification,
  type ChangedParams,
  type DatabaseStatusParams,
  type ServerStatusParams,
} from '../schemas/lsp-protocol';
import { createLanguageClient } from './language-client';
import { PasswordStore } from './secrets';

/** What the status of the language server can be, as the views show it. */
export type ServerStatus = 'stopped' | 'starting' | 'running' | 'failed';

/** Thrown by {@link Ctx.request} when there is no running server to ask. */
export class ServerNotRunningError extends Error {
  constructor() {
    super('The Workflow Phases language server is not running (see Workflow Phases: Show Output).');
  }
}

/** The extension's context object; every disposable is pushed into one of its buckets. */
export class Ctx implements vscode.Disposable {
  private readonly extCleanup: vscode.Disposable[] = [];
  private clientCleanup: vscode.Disposable[] = [];
  private client: LanguageClient | undefined;
  private status: ServerStatus = 'stopped';
  private report: ServerStatusParams | undefined;
  private database: DatabaseStatusParams | undefined;
  private readonly statusEmitter = new vscode.EventEmitter<ServerStatus>();
  private readonly databaseEmitter = new vscode.EventEmitter<DatabaseStatusParams | undefined>();
  private readonly changedEmitter = new vscode.EventEmitter<ChangedParams>();

  /** Fires whenever the server status or the server's own report changes. */
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** Fires with each `workflowPhases/databaseStatus` (and `undefined` when the server stops). */
  readonly onDidChangeDatabase = this.databaseEmitter.event;
  /** The live change feed (`workflowPhases/changed`), and a `reconnected` one after each (re)start. */
  readonly onDidChangeLive = this.changedEmitter.event;
  /** The PostgreSQL passwords (SecretStorage). */
  readonly passwords: PasswordStore;

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
  ) {
    this.passwords = new PasswordStore(extension.secrets);
    this.pushExtCleanup(this.statusEmitter);
    this.pushExtCleanup(this.databaseEmitter);
    this.pushExtCleanup(this.changedEmitter);
  }

  /** The language server's current status. */
  get serverStatus(): ServerStatus {
    return this.status;
  }

  /** The running server's latest `workflowPhases/serverStatus` (health, files, problems). */
  get serverReport(): ServerStatusParams | undefined {
    return this.report;
  }

  /** The running server's latest `workflowPhases/databaseStatus`; undefined while none came. */
  get databaseStatus(): DatabaseStatusParams | undefined {
    return this.database;
  }

  /** Whether the server runs with the live database (false in Restricted Mode). */
  get liveDatabase(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** Owns `d` until the extension deactivates. */
  pushExtCleanup(d: vscode.Disposable): void {
    this.extCleanup.push(d);
  }

  /** Owns `d` until the current language client stops (restart or deactivation). */
  pushClientCleanup(d: vscode.Disposable): void {
    this.clientCleanup.push(d);
  }

  /** Sends a custom request to the running server. */
  async request<P, R>(type: { readonly type: RequestType<P, R, void> }, params: P): Promise<R> {
    const client = this.client;
    if (!client || this.status !== 'running') throw new ServerNotRunningError();
    // `params` is a P; the client's overload wants it as `RequestParam<P>`, which a generic P cannot prove.
    return client.sendRequest<P, R, void>(type.type, params as never);
  }

  /**
   * Starts the language client unless it runs already. In an untrusted workspace it
   * validates only (`liveDatabase: false`): nothing connects or writes.
   */
  async start(): Promise<void> {
    if (this.client) return;
    const serverModule = this.extension.asAbsolutePath('dist/server.js');
    const live = this.liveDatabase;
    this.output.info(`Starting the language server${live ? '' : ' without database (Restricted Mode)'}: ${serverModule}`);
    this.setStatus('starting');
    const client = createLanguageClient(serverModule, this.output, live);
    this.client = client;
    this.pushClientCleanup(
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) this.setStatus('running');
        else if (e.newState === State.Starting) this.setStatus('starting');
        // Stopped without our asking: the server crashed (the client may still restart it).
        else if (e.newState === State.Stopped && this.status !== 'stopped') this.setStatus('failed');
      }),
    );
    this.pushClientCleanup(
      client.onNotification(ServerStatusNotification.type, (params) => {
        this.report = params;
        this.statusEmitter.fire(this.status);
      }),
    );
    this.pushClientCleanup(
      client.onNotification(DatabaseStatusNotification.type, (params) => {
        const before = this.database;
        this.database = params;
        this.output.info(`Database: ${params.state} ${params.label}${params.reason ? ` (${params.reason})` : ''}`);
        this.databaseEmitter.fire(params);
        // A database that (re)appears or changes: whatever was shown may be stale.
        if (params.state === 'connected' && (before?.state !== 'connected' || before.description !== params.description)) {
          this.changedEmitter.fire({ reconnected: true, instances: [] });
        }
      }),
    );
    this.pushClientCleanup(client.onNotification(ChangedNotification.type, (params) => this.changedEmitter.fire(params)));
    this.pushClientCleanup(client.onRequest(PasswordRequest.type, (params) => this.passwords.answer(params)));
    try {
      await client.start();
    } catch (error) {
      this.setStatus('failed');
      this.output.error(`The language server did not start: ${String(error)}`);
      throw error;
    }
  }

  /** Stops the language client and frees everything in the client bucket. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    const owned = this.clientCleanup;
    this.clientCleanup = [];
    this.report = undefined;
    if (this.database) {
      this.database = undefined;
      this.databaseEmitter.fire(undefined);
    }
    this.setStatus('stopped');
    try {
      if (client?.needsStop()) await client.stop(2000);
    } catch (error) {
      this.output.warn(`Stopping the language server: ${String(error)}`);
    } finally {
      await client?.dispose();
      for (const d of owned.reverse()) d.dispose();
    }
  }

  /** Stops, then starts the language client; the extension bucket is left alone. */
  async restart(): Promise<void> {
    this.output.info('Restarting the language server.');
    await this.stop();
    await this.start();
  }

  /** Frees both buckets (deactivation). */
  async dispose(): Promise<void> {
    await this.stop();
    for (const d of this.extCleanup.reverse()) d.dispose();
    this.extCleanup.length = 0;
  }

  private setStatus(status: ServerStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.output.info(`Language server: ${status}`);
    this.statusEmitter.fire(status);
  }
}
