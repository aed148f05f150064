/**
 * The PostgreSQL password: kept in VS Code's SecretStorage only, keyed by the URL without
 * password, handed to the language server when it asks (`workflowPhases/password`), and
 * moved out of the `database.url` setting when someone types it there. It is never written
 * to settings or logs.
 */
import * as vscode from 'vscode';
import type { PasswordParams, PasswordResult } from '../schemas/lsp-protocol';
import { SETTINGS_SECTION } from '../schemas/lsp-protocol';
import { databaseUrl, settingTargets, settingsScope, splitPassword } from './settings';

const KEY_PREFIX = 'workflowPhases.password:';

/** The passwords of PostgreSQL logins, by URL without password. */
export class PasswordStore {
  /** Logins whose password prompt the user cancelled: not asked again until they connect anew. */
  private readonly declined = new Set<string>();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The stored password of `url`, if any. */
  get(url: string): Thenable<string | undefined> {
    return this.secrets.get(KEY_PREFIX + url);
  }

  /** Stores (or, with an empty string, forgets) the password of `url`. */
  async set(url: string, password: string): Promise<void> {
    this.declined.delete(url);
    if (password === '') await this.secrets.delete(KEY_PREFIX + url);
    else await this.secrets.store(KEY_PREFIX + url, password);
  }

  /**
   * The answer to the server's `workflowPhases/password`: the stored password; after a
   * refused one (or none where one is needed), the user is asked once.
   */
  async answer(params: PasswordParams): Promise<PasswordResult> {
    const stored = await this.get(params.url);
    if (stored !== undefined && !params.previousFailed) return { password: stored };
    if (!params.previousFailed || this.declined.has(params.url)) return { password: null };
    const entered = await vscode.window.showInputBox({
      title: `Workflow Phases: password for ${params.user}@${params.host}:${params.port}/${params.database}`,
      prompt: stored !== undefined ? 'The stored password was refused. Enter the current one (kept in VS Code\'s secret storage).' : 'PostgreSQL asks for a password (kept in VS Code\'s secret storage).',
      password: true,
      ignoreFocusOut: true,
    });
    if (entered === undefined) {
      this.declined.add(params.url);
      return { password: null };
    }
    await this.set(params.url, entered);
    return { password: entered };
  }
}

/**
 * Moves a password typed into `workflowPhases.database.url` into the secret storage and
 * rewrites the setting without it, wherever it was set. Returns true when it did.
 */
export async function moveTypedPassword(store: PasswordStore): Promise<boolean> {
  const split = splitPassword(databaseUrl());
  if (split.password === null) return false;
  await store.set(split.url, split.password);
  for (const target of settingTargets(SETTINGS_SECTION, 'database.url')) {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, settingsScope());
    const inspected = config.inspect<string>('database.url');
    const value = target === vscode.ConfigurationTarget.Global ? inspected?.globalValue : target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.workspaceFolderValue;
    if (value === undefined) continue;
    await config.update('database.url', splitPassword(value).url, target);
  }
  void vscode.window.showInformationMessage(`Workflow Phases: the password was removed from the database.url setting and kept in VS Code's secret storage for ${split.url}.`);
  return true;
}
