/**
 * The extension's state: the output channel, the language client, and two disposal
 * buckets (rust-analyzer's habit). The extension bucket lives until deactivation; the
 * client bucket lives as long as one language client and is emptied by a restart.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { ServerStatusNotification, type ServerStatusParams } from '../schemas/lsp-protocol';
import { createLanguageClient } from './language-client';

/** What the status of the language server can be, as the view shows it. */
export type ServerStatus = 'stopped' | 'starting' | 'running' | 'failed' | 'untrusted';

/** The extension's context object; every disposable is pushed into one of its buckets. */
export class Ctx implements vscode.Disposable {
  private readonly extCleanup: vscode.Disposable[] = [];
  private clientCleanup: vscode.Disposable[] = [];
  private client: LanguageClient | undefined;
  private status: ServerStatus = 'stopped';
  private report: ServerStatusParams | undefined;
  private readonly statusEmitter = new vscode.EventEmitter<ServerStatus>();

  /** Fires whenever the server status or the server's own report changes. */
  readonly onDidChangeStatus = this.statusEmitter.event;

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
  ) {
    this.pushExtCleanup(this.statusEmitter);
  }

  /** The language server's current status. */
  get serverStatus(): ServerStatus {
    return this.status;
  }

  /** The running server's latest `workflowPhases/serverStatus` (health, files, problems). */
  get serverReport(): ServerStatusParams | undefined {
    return this.report;
  }

  /** Owns `d` until the extension deactivates. */
  pushExtCleanup(d: vscode.Disposable): void {
    this.extCleanup.push(d);
  }

  /** Owns `d` until the current language client stops (restart or deactivation). */
  pushClientCleanup(d: vscode.Disposable): void {
    this.clientCleanup.push(d);
  }

  /**
   * Starts the language client unless it runs already. In an untrusted workspace nothing
   * starts: the server may later connect to a database named by workspace settings.
   */
  async start(): Promise<void> {
    if (this.client) return;
    if (!vscode.workspace.isTrusted) {
      this.output.info('Workspace is not trusted: the language server stays off until it is.');
      this.setStatus('untrusted');
      return;
    }
    const serverModule = this.extension.asAbsolutePath('dist/server.js');
    this.output.info(`Starting the language server: ${serverModule}`);
    this.setStatus('starting');
    const client = createLanguageClient(serverModule, this.output);
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
