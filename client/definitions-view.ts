/**
 * The "Definitions" view in the Workflow Phases activity-bar container: the language
 * server's status, then every definition file of the workspace in its folders, with its
 * errors and warnings (the error icon for errors, the warning icon for warnings). Every
 * file is listed: the search has no result limit. With no file, the view is empty and
 * its welcome content offers a starter file.
 */
import * as vscode from 'vscode';
import type { Ctx, ServerStatus } from './ctx';
import { DEFINITION_GLOB, isDefinitionUri } from './language-client';
import { setContext } from './tree/view';

/** The view's id, as declared in package.json. */
export const DEFINITIONS_VIEW_ID = 'workflowPhases.definitions';

const STATUS_TEXT: Record<ServerStatus, string> = {
  stopped: 'stopped',
  starting: 'starting…',
  running: 'running',
  failed: 'failed (see Output)',
};

type Node = { kind: 'status' } | { kind: 'folder'; uri: vscode.Uri; files: vscode.Uri[] } | { kind: 'file'; uri: vscode.Uri };

interface Counts {
  errors: number;
  warnings: number;
}

function counts(uris: readonly vscode.Uri[]): Counts {
  const total = { errors: 0, warnings: 0 };
  for (const uri of uris) {
    for (const d of vscode.languages.getDiagnostics(uri)) {
      if (d.source !== 'workflow-phases') continue;
      if (d.severity === vscode.DiagnosticSeverity.Error) total.errors++;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) total.warnings++;
    }
  }
  return total;
}

function countWords(c: Counts): string {
  const part = (n: number, what: string) => (n === 0 ? '' : `${n} ${what}${n === 1 ? '' : 's'}`);
  return [part(c.errors, 'error'), part(c.warnings, 'warning')].filter(Boolean).join(', ') || 'no problems';
}

/** The folders and files directly under `base` (a folder URI), from a flat list of files below it. */
function childrenUnder(base: vscode.Uri, files: readonly vscode.Uri[]): Node[] {
  const prefix = base.path.endsWith('/') ? base.path : `${base.path}/`;
  const folders = new Map<string, vscode.Uri[]>();
  const direct: Node[] = [];
  for (const file of files) {
    const rest = file.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) direct.push({ kind: 'file', uri: file });
    else {
      const name = rest.slice(0, slash);
      folders.set(name, [...(folders.get(name) ?? []), file]);
    }
  }
  const folderNodes = [...folders.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]): Node => ({ kind: 'folder', uri: vscode.Uri.joinPath(base, name), files: list }));
  return [...folderNodes, ...direct.sort((a, b) => (a as { uri: vscode.Uri }).uri.path.localeCompare((b as { uri: vscode.Uri }).uri.path))];
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
      const restricted = !vscode.workspace.isTrusted;
      const item = new vscode.TreeItem(`Language server: ${STATUS_TEXT[this.ctx.serverStatus]}`);
      const report = this.ctx.serverStatus === 'running' ? this.ctx.serverReport : undefined;
      const healthy = this.ctx.serverStatus === 'running' && report?.health !== 'error';
      item.iconPath = new vscode.ThemeIcon(healthy ? 'pass' : report ? 'error' : 'circle-slash');
      item.description = [report?.message, restricted ? 'Restricted Mode: validation only' : ''].filter(Boolean).join(' · ');
      item.tooltip = report ? `Health: ${report.health}${report.quiescent ? '' : ' (validating…)'}` : undefined;
      item.command = { command: 'workflowPhases.showOutput', title: 'Show Output' };
      return item;
    }
    if (node.kind === 'folder') {
      const item = new vscode.TreeItem(node.uri, vscode.TreeItemCollapsibleState.Expanded);
      const c = counts(node.files);
      item.description = `${node.files.length} file${node.files.length === 1 ? '' : 's'} · ${countWords(c)}`;
      item.iconPath = vscode.ThemeIcon.Folder;
      return item;
    }
    const item = new vscode.TreeItem(node.uri, vscode.TreeItemCollapsibleState.None);
    const c = counts([node.uri]);
    item.description = countWords(c);
    item.iconPath =
      c.errors > 0
        ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
        : c.warnings > 0
          ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
          : vscode.ThemeIcon.File;
    item.command = { command: 'vscode.open', title: 'Open', arguments: [node.uri] };
    return item;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'folder') return childrenUnder(node.uri, node.files);
    if (node) return [];
    const files = await vscode.workspace.findFiles(DEFINITION_GLOB, '**/node_modules/**');
    if (files.length === 0) return [];
    const roots = vscode.workspace.workspaceFolders ?? [];
    const top: Node[] =
      roots.length === 1
        ? childrenUnder(roots[0]!.uri, files)
        : roots
            .map((f): Node => ({ kind: 'folder', uri: f.uri, files: files.filter((u) => u.path.startsWith(`${f.uri.path}/`)) }))
            .filter((n) => n.kind === 'folder' && n.files.length > 0);
    return [{ kind: 'status' }, ...top];
  }
}

/** Sets `workflowPhases.definitionFiles` (the welcome views read it) to the number of definition files. */
async function countFiles(): Promise<void> {
  setContext('workflowPhases.definitionFiles', (await vscode.workspace.findFiles(DEFINITION_GLOB, '**/node_modules/**')).length);
}

/** Creates the view and keeps it current: server status, file creation/deletion, diagnostics. */
export function registerDefinitionsView(ctx: Ctx): void {
  const provider = new DefinitionsProvider(ctx);
  const changed = () => {
    provider.refresh();
    void countFiles();
  };
  void countFiles();
  ctx.pushExtCleanup(vscode.window.createTreeView(DEFINITIONS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true }));
  const watcher = vscode.workspace.createFileSystemWatcher(DEFINITION_GLOB);
  ctx.pushExtCleanup(watcher);
  ctx.pushExtCleanup(watcher.onDidCreate(changed));
  ctx.pushExtCleanup(watcher.onDidDelete(changed));
  ctx.pushExtCleanup(ctx.onDidChangeStatus(() => provider.refresh()));
  ctx.pushExtCleanup(
    vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some(isDefinitionUri)) provider.refresh();
    }),
  );
}
