/**
 * The extension's settings (`contributes.configuration`), read through one typed getter
 * each. The language server reads the same section itself (`workspace/configuration`);
 * the client reads it for the status bar, the notifications and the legacy migration.
 */
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../schemas/lsp-protocol';

export { isPostgresUrl, splitPassword } from './format/database-url';

/**
 * The scope of the resource-scoped settings: the first workspace folder, as the language
 * server reads them (`workspace/configuration` with that folder's URI).
 */
export function settingsScope(): vscode.Uri | null {
  return vscode.workspace.workspaceFolders?.[0]?.uri ?? null;
}

/** `workflowPhases.database.url`: a postgres URL without password, `embedded:<folder>`, or empty. */
export function databaseUrl(): string {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION, settingsScope()).get<string>('database.url', '').trim();
}

/** `workflowPhases.user`: the acting user (id, email or name), or empty. */
export function actingUserSetting(): string {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION, settingsScope()).get<string>('user', '').trim();
}

/** Which notifications the user turned on (both off by default). */
export function notificationSettings(): { phaseCompleted: boolean; activityBlocked: boolean } {
  const config = vscode.workspace.getConfiguration(`${SETTINGS_SECTION}.notifications`);
  return { phaseCompleted: config.get<boolean>('phaseCompleted', false), activityBlocked: config.get<boolean>('activityBlocked', false) };
}

/** Where a setting's value comes from, so that a rewrite lands where the user put it. */
export function settingTargets(section: string, key: string): vscode.ConfigurationTarget[] {
  const inspected = vscode.workspace.getConfiguration(section, settingsScope()).inspect(key);
  const targets: vscode.ConfigurationTarget[] = [];
  if (inspected?.globalValue !== undefined) targets.push(vscode.ConfigurationTarget.Global);
  if (inspected?.workspaceValue !== undefined) targets.push(vscode.ConfigurationTarget.Workspace);
  if (inspected?.workspaceFolderValue !== undefined) targets.push(vscode.ConfigurationTarget.WorkspaceFolder);
  return targets;
}
