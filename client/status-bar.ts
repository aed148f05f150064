/**
 * The status bar item: the database in use (embedded / host:port / disconnected / none)
 * and the acting user; a click offers Connect to PostgreSQL / Use Embedded Database.
 */
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { statusBarText } from './format/status-bar-text';

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
