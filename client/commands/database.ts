/**
 * Connect to PostgreSQL, Use Embedded Database, and Choose Database… (the status bar's
 * click). The URL goes into the `workflowPhases.database.url` setting without password;
 * the password goes into SecretStorage; the server follows the setting by itself.
 */
import * as vscode from 'vscode';
import { CreateEmbeddedRequest, LiveErrorCodes, SETTINGS_SECTION, type CreateEmbeddedResult, type DatabaseStatusParams } from '../../schemas/lsp-protocol';
import type { Ctx } from '../ctx';
import { databaseUrl, isPostgresUrl, settingTargets, settingsScope, splitPassword } from '../settings';
import { Cancelled, errorCode, showLiveError } from './errors';

/** Resolves with the next database status that satisfies `test` (undefined after `ms`). */
export function nextDatabaseStatus(ctx: Ctx, test: (s: DatabaseStatusParams) => boolean, ms: number): Promise<DatabaseStatusParams | undefined> {
  const now = ctx.databaseStatus;
  if (now && test(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      resolve(undefined);
    }, ms);
    const subscription = ctx.onDidChangeDatabase((status) => {
      if (!status || !test(status)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(status);
    });
  });
}

/** Where the command writes `database.url`: the workspace when one is open, else the user settings. */
function writeTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

function checkUrl(text: string): string | undefined {
  if (!isPostgresUrl(text)) return 'A PostgreSQL URL starts with postgres:// (e.g. postgres://alice@db.example.com:5432/testing).';
  try {
    const url = new URL(text.trim());
    if (!url.hostname) return 'The URL names no host.';
    if (url.pathname.length <= 1) return 'The URL names no database (…:5432/<database>).';
  } catch {
    return 'This is not a valid URL.';
  }
  return undefined;
}

function refuseUntrusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window.showWarningMessage(`Workflow Phases: ${what}: the workspace is in Restricted Mode, so nothing connects to a database. Trust the folder first.`);
  return true;
}

/**
 * What happens after a failed connection: the server retries a network failure by itself,
 * but not a refused login, an unknown database or a schema conflict; those wait for new
 * settings or a new password.
 */
function retryHint(status: DatabaseStatusParams): string {
  return status.retryInMs !== undefined ? 'The server keeps trying.' : 'The server does not retry by itself: run Connect to PostgreSQL again with the right URL or password.';
}

/** Options a caller may pass instead of answering the input boxes (tests, keybindings). */
interface ConnectOptions {
  readonly url?: string;
  readonly password?: string;
}

/** Connect to PostgreSQL: asks for the URL and the password, stores both, waits for the outcome. */
export function connectPostgresCommand(ctx: Ctx) {
  return async (arg?: unknown): Promise<DatabaseStatusParams | undefined> => {
    if (refuseUntrusted('Connect to PostgreSQL')) return undefined;
    const given = (arg ?? {}) as ConnectOptions;
    try {
      const current = databaseUrl();
      const typed = given.url ?? (await vscode.window.showInputBox({
        title: 'Workflow Phases: Connect to PostgreSQL (1/2)',
        prompt: 'The PostgreSQL URL. A password typed here is moved to VS Code\'s secret storage.',
        value: isPostgresUrl(current) ? current : 'postgres://user@localhost:5432/database',
        ignoreFocusOut: true,
        validateInput: checkUrl,
      }));
      if (typed === undefined) throw new Cancelled();
      const problem = checkUrl(typed);
      if (problem) throw new Error(problem);
      const split = splitPassword(typed.trim());
      const host = new URL(split.url);
      let password = split.password ?? given.password;
      if (password === undefined) {
        password = await vscode.window.showInputBox({
          title: 'Workflow Phases: Connect to PostgreSQL (2/2)',
          prompt: `The password of ${decodeURIComponent(host.username) || 'the user'} at ${host.host}, kept in VS Code's secret storage. Leave it empty when none is needed (trust, ~/.pgpass, PGPASSWORD).`,
          password: true,
          ignoreFocusOut: true,
        });
        if (password === undefined) throw new Cancelled();
      }
      await ctx.passwords.set(split.url, password);
      const unchanged = current === split.url;
      await vscode.workspace.getConfiguration(SETTINGS_SECTION, settingsScope()).update('database.url', split.url, writeTarget());
      // Same URL: the server sees no settings change, so it is restarted to use the new password.
      if (unchanged) await ctx.restart();
      const status = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Workflow Phases: connecting to ${host.host}…` }, () =>
        nextDatabaseStatus(ctx, (s) => s.kind === 'postgres' && (s.state === 'connected' || s.state === 'disconnected'), 20_000),
      );
      if (status?.state === 'connected') void vscode.window.showInformationMessage(`Workflow Phases: connected to ${status.label}${status.user?.id != null ? ` as ${status.user.name}` : ''}.`);
      else if (status) void vscode.window.showErrorMessage(`Workflow Phases: cannot connect to ${status.label}: ${status.reason ?? 'unknown reason'}. ${retryHint(status)}`);
      return status;
    } catch (error) {
      await showLiveError(ctx, 'Connect to PostgreSQL', error);
      return undefined;
    }
  };
}

/** Use Embedded Database: the workspace's own database (created when missing), instead of any PostgreSQL URL. */
export function useEmbeddedCommand(ctx: Ctx) {
  return async (): Promise<CreateEmbeddedResult | undefined> => {
    if (refuseUntrusted('Use Embedded Database')) return undefined;
    try {
      if (isPostgresUrl(databaseUrl())) {
        // An empty value here overrides a PostgreSQL URL set anywhere above it.
        const targets = new Set([writeTarget(), ...settingTargets(SETTINGS_SECTION, 'database.url').filter((t) => t !== vscode.ConfigurationTarget.Global)]);
        for (const target of targets) await vscode.workspace.getConfiguration(SETTINGS_SECTION, settingsScope()).update('database.url', '', target);
        await nextDatabaseStatus(ctx, (s) => s.kind !== 'postgres', 10_000);
      }
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Workflow Phases: opening the embedded database…' }, async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await ctx.request(CreateEmbeddedRequest, {});
          } catch (error) {
            // The server may not have re-read the settings yet: it still names PostgreSQL.
            if (errorCode(error) !== LiveErrorCodes.badRequest || attempt >= 3) throw error;
            await nextDatabaseStatus(ctx, (s) => s.kind !== 'postgres', 5_000);
          }
        }
      });
      void vscode.window.showInformationMessage(`Workflow Phases: using the embedded database in ${result.folder}${result.created ? ' (created)' : ''}.`);
      return result;
    } catch (error) {
      await showLiveError(ctx, 'Use Embedded Database', error);
      return undefined;
    }
  };
}

/** The status bar's click: what the database is, and the two ways to change it. */
export function chooseDatabaseCommand(ctx: Ctx) {
  return async (): Promise<void> => {
    const status = ctx.databaseStatus;
    const items: (vscode.QuickPickItem & { command?: string })[] = [
      { label: '$(plug) Connect to PostgreSQL…', detail: 'A shared database: many users, one live state. The password is kept in VS Code\'s secret storage.', command: 'workflowPhases.connectPostgres' },
      { label: '$(database) Use Embedded Database', detail: 'An embedded PostgreSQL (PGlite) in .workflow-phases/ of this workspace: no server needed.', command: 'workflowPhases.useEmbedded' },
      { label: '$(output) Show Output', detail: 'The extension\'s log: connections, errors.', command: 'workflowPhases.showOutput' },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Workflow Phases: Database',
      placeHolder: status ? `Now: ${status.description || status.label} — ${status.state}${status.reason ? ` (${status.reason})` : ''}` : 'Now: no database (the language server is not running)',
    });
    if (picked?.command) await vscode.commands.executeCommand(picked.command);
  };
}
