/**
 * The live database in the language server: settings read the LSP way
 * (`workspace/configuration`, re-read on `workspace/didChangeConfiguration`), the
 * connection and its status notification, the password request, the change feed as
 * `workflowPhases/changed`, and the live request handlers.
 */
import { fileURLToPath } from 'node:url';
import {
  DidChangeConfigurationNotification,
  ErrorCodes,
  ResponseError,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import {
  ChangedNotification,
  DatabaseStatusNotification,
  PasswordRequest,
  SETTINGS_SECTION,
  type DatabaseStatusParams,
  type InitializationOptions,
  type PasswordParams,
} from '../../../schemas/lsp-protocol';
import type { Validator } from '../validation';
import { ChangeBatcher } from './change-batcher';
import { PhaseLenses } from './code-lens';
import { LiveConnection } from './connection';
import type { LiveContext } from './context';
import { gitUserEmail } from './git-user';
import { registerInstanceHandlers } from './instance-handlers';
import { AFTER_EDIT_MS, LiveRules } from './live-rules';
import { readSettings, targetOf } from './settings';
import { registerSyncHandlers } from './sync-handlers';
import { registerTransitionHandlers } from './transition-handlers';

/** The `source` recorded for transitions from this client: `vscode` for VS Code and its kin, else the client's name. */
export function transitionSource(clientInfo: InitializeParams['clientInfo']): string {
  const name = clientInfo?.name?.trim() ?? '';
  if (name === '') return 'lsp';
  if (/visual studio code|vscode|code - oss|code-server|vscodium/i.test(name)) return 'vscode';
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').slice(0, 50) || 'lsp';
}

/** Everything live, for `server.ts` to wire in. */
export class LiveServer {
  private capabilities: ClientCapabilities = {};
  private folders: () => readonly string[] = () => [];
  private pushedSettings: unknown = undefined;
  private source = 'lsp';
  private lastStatus = '';
  private live!: LiveConnection;
  private rules: LiveRules | null = null;
  private lenses: PhaseLenses | null = null;
  private readonly batcher: ChangeBatcher;
  private configuring: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: Connection,
    private readonly validator: Validator,
    private readonly onError: (where: string, error: unknown) => void,
  ) {
    this.batcher = new ChangeBatcher((params) => void connection.sendNotification(ChangedNotification.type, params));
  }

  /** Called from `onInitialize`: remembers what the client can do; returns the capabilities to add. */
  initialize(params: InitializeParams, folders: () => readonly string[]): ServerCapabilities {
    this.capabilities = params.capabilities;
    this.folders = folders;
    this.source = transitionSource(params.clientInfo);
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    this.live = new LiveConnection(options.liveDatabase !== false, {
      status: (status) => this.sendStatus(status),
      connected: (reload) => {
        if (reload) this.batcher.reconnected();
        this.rules?.schedule(0);
        this.lenses?.invalidate();
      },
      disconnected: () => {
        this.batcher.clear();
        this.rules?.clear();
        this.lenses?.invalidate();
      },
      change: (change) => {
        this.batcher.add(change);
        this.rules?.changed(change);
        this.lenses?.invalidate();
      },
      password: (p) => this.askPassword(p),
      log: (message) => this.connection.console.error(message),
    });
    const ctx: LiveContext = {
      connection: this.connection,
      live: this.live,
      validator: this.validator,
      onError: this.onError,
      workspaceFolder: () => this.workspaceFolder(),
      source: () => this.source,
    };
    this.rules = new LiveRules(ctx);
    this.lenses = new PhaseLenses(ctx, () => this.capabilities.workspace?.codeLens?.refreshSupport === true);
    this.lenses.register();
    registerInstanceHandlers(ctx);
    registerTransitionHandlers(ctx);
    registerSyncHandlers(ctx);
    this.connection.onDidChangeConfiguration((change) => {
      const settings = (change.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
      if (settings !== undefined) this.pushedSettings = settings;
      this.reconfigure();
    });
    return { codeLensProvider: { resolveProvider: false } };
  }

  /** Called from `onInitialized`: registers for configuration changes and connects. */
  initialized(): void {
    if (this.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
    }
    this.reconfigure();
  }

  /** A definition file changed: the live rules re-check it soon. */
  definitionsChanged(): void {
    this.rules?.schedule(AFTER_EDIT_MS);
  }

  /** Closes the database (shutdown): the feed, the pool, the embedded folder's lock. */
  async shutdown(): Promise<void> {
    this.batcher.clear();
    this.rules?.clear();
    this.lenses?.dispose();
    await this.configuring.catch(() => undefined);
    await this.live.close();
  }

  /** The first workspace folder as a path, or null. */
  workspaceFolder(): string | null {
    const first = this.folders()[0];
    if (!first?.startsWith('file:')) return null;
    return fileURLToPath(first);
  }

  /** Reads the settings again and applies them (one at a time, in order). */
  private reconfigure(): void {
    this.configuring = this.configuring.then(() => this.applySettings()).catch((error: unknown) => this.onError('reading the settings', error));
  }

  private async applySettings(): Promise<void> {
    const settings = readSettings(await this.readSection());
    const folder = this.workspaceFolder();
    const email = settings.user === '' ? await gitUserEmail(folder) : null;
    await this.live.configure(targetOf(settings, folder), settings.user, email);
  }

  private async readSection(): Promise<unknown> {
    if (!this.capabilities.workspace?.configuration) return this.pushedSettings;
    const first = this.folders()[0];
    const [section] = (await this.connection.workspace.getConfiguration([{ section: SETTINGS_SECTION, ...(first ? { scopeUri: first } : {}) }])) as unknown[];
    return section;
  }

  private async askPassword(params: PasswordParams): Promise<string | null | undefined> {
    try {
      const answer = await this.connection.sendRequest(PasswordRequest.type, params);
      return typeof answer?.password === 'string' ? answer.password : null;
    } catch (error) {
      if (error instanceof ResponseError && error.code === ErrorCodes.MethodNotFound) return undefined;
      this.connection.console.warn(`the client did not answer ${PasswordRequest.method}: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  private sendStatus(status: DatabaseStatusParams): void {
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    void this.connection.sendNotification(DatabaseStatusNotification.type, status);
  }
}
