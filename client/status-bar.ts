/**
 * The status bar item: the database in use (embedded / host:port / disconnected / none)
 * and the acting user; a click offers Connect to PostgreSQL / Use Embedded Database.
 */
import * as vscode from 'vscode';
import type { DatabaseStatusParams } from '../schemas/lsp-protocol';
import type { Ctx } from './ctx';
import { md } from './format/node-text';

/** The item's text and tooltip for a database status (undefined: the server is not running). */
export function statusBarText(status: DatabaseStatusParams | undefined, trusted: boolean): { text: string; tooltip: string; warning: boolean } {
  if (!trusted) return { text: '$(shield) Phases: no database', tooltip: 'Restricted Mode: definition files are validated, nothing connects to a database.', warning: false };
  if (!status) return { text: '$(database) Phases: …', tooltip: 'The language server is starting.', warning: false };
  const user = status.user ? (status.user.id !== null ? status.user.name : 'no user') : '';
  const userLine = status.user
    ? status.user.id !== null
      ? `Acting user: **${md(status.user.name)}**${status.user.role ? ` (${md(status.user.role)})` : ''}, from ${status.user.source === 'setting' ? 'the `workflowPhases.user` setting' : '`git config user.email`'}`
      : `No acting user${status.user.problem ? `: ${md(status.user.problem)}` : ''} (set \`workflowPhases.user\`)`
    : '';
  const click = 'Click to connect to PostgreSQL or use the embedded database.';
  switch (status.state) {
    case 'connected':
      return { text: `$(database) ${status.label}${user ? ` · ${user}` : ''}`, tooltip: [`**Workflow Phases database:** ${md(status.description)}`, userLine, click].filter(Boolean).join('\n\n'), warning: false };
    case 'connecting':
      return { text: `$(sync~spin) ${status.label}`, tooltip: `Connecting to ${md(status.description)}…\n\n${click}`, warning: false };
    case 'disconnected':
      return {
        text: `$(debug-disconnect) ${status.label}: disconnected`,
        tooltip: [`**Disconnected** from ${md(status.description)}: ${md(status.reason ?? 'unknown reason')}`, status.retryInMs !== undefined ? `Next attempt in ${Math.max(1, Math.round(status.retryInMs / 1000))} s.` : '', click].filter(Boolean).join('\n\n'),
        warning: true,
      };
    case 'none':
      return { text: '$(database) Phases: no database', tooltip: `${status.reason ? `${md(status.reason)}\n\n` : ''}${click}`, warning: false };
  }
}

/** Creates the item and keeps it current. */
export function registerStatusBar(ctx: Ctx): void {
  const item = vscode.window.createStatusBarItem('workflowPhases.database', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Workflow Phases Database';
  item.command = 'workflowPhases.chooseDatabase';
  ctx.pushExtCleanup(item);
  const update = () => {
    const running = ctx.serverStatus === 'running' || ctx.serverStatus === 'starting';
    if (!running) {
      item.hide();
      return;
    }
    const shown = statusBarText(ctx.databaseStatus, vscode.workspace.isTrusted);
    item.text = shown.text;
    item.tooltip = new vscode.MarkdownString(shown.tooltip);
    item.backgroundColor = shown.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.accessibilityInformation = { label: `Workflow Phases database: ${shown.text.replace(/\$\([^)]*\)\s*/g, '')}` };
    item.show();
  };
  ctx.pushExtCleanup(ctx.onDidChangeDatabase(update));
  ctx.pushExtCleanup(ctx.onDidChangeStatus(update));
  update();
}
