/**
 * The "Definitions" view in the Workflow Phases activity-bar container: the language
 * server's status, then every definition file of the workspace with its problem count.
 */
import * as vscode from 'vscode';
import type { Ctx, ServerStatus } from './ctx';
import { DEFINITION_GLOB, isDefinitionUri } from './language-client';

/** The view's id, as declared in package.json. */
export const DEFINITIONS_VIEW_ID = 'workflowPhases.definitions';

const STATUS_TEXT: Record<ServerStatus, string> = {
  stopped: 'stopped',
  starting: 'starting…',
  running: 'running',
  failed: 'failed (see Output)',
  untrusted: 'off (workspace not trusted)',
};

type Node = { kind: 'status' } | { kind: 'file'; uri: vscode.Uri };

function problemCount(uri: vscode.Uri): number {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'workflow-phases').length;
}

class DefinitionsProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    ctx.pushExtCleanup(this.changed);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'status') {
      const item = new vscode.TreeItem(`Language server: ${STATUS_TEXT[this.ctx.serverStatus]}`);
      const report = this.ctx.serverStatus === 'running' ? this.ctx.serverReport : undefined;
      const healthy = this.ctx.serverStatus === 'running' && report?.health !== 'error';
      item.iconPath = new vscode.ThemeIcon(healthy ? 'pass' : report ? 'error' : 'circle-slash');
      if (report) {
        item.description = report.message;
        item.tooltip = `Health: ${report.health}${report.quiescent ? '' : ' (validating…)'}`;
      }
      item.command = { command: 'workflowPhases.showOutput', title: 'Show Output' };
      return item;
    }
    const item = new vscode.TreeItem(node.uri, vscode.TreeItemCollapsibleState.None);
    const count = problemCount(node.uri);
    item.description = count === 0 ? 'no problems' : `${count} problem${count === 1 ? '' : 's'}`;
    item.iconPath = new vscode.ThemeIcon(count === 0 ? 'file' : 'warning');
    item.command = { command: 'vscode.open', title: 'Open', arguments: [node.uri] };
    return item;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) return [];
    const files = await vscode.workspace.findFiles(DEFINITION_GLOB, '**/node_modules/**', 500);
    files.sort((a, b) => a.path.localeCompare(b.path));
    return [{ kind: 'status' }, ...files.map((uri): Node => ({ kind: 'file', uri }))];
  }
}

/** Creates the view and keeps it current: server status, file creation/deletion, diagnostics. */
export function registerDefinitionsView(ctx: Ctx): void {
  const provider = new DefinitionsProvider(ctx);
  ctx.pushExtCleanup(vscode.window.createTreeView(DEFINITIONS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: false }));
  const watcher = vscode.workspace.createFileSystemWatcher(DEFINITION_GLOB);
  ctx.pushExtCleanup(watcher);
  ctx.pushExtCleanup(watcher.onDidCreate(() => provider.refresh()));
  ctx.pushExtCleanup(watcher.onDidDelete(() => provider.refresh()));
  ctx.pushExtCleanup(ctx.onDidChangeStatus(() => provider.refresh()));
  ctx.pushExtCleanup(
    vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some(isDefinitionUri)) provider.refresh();
    }),
  );
}
