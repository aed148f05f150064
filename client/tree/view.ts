/**
 * The Phase Status view: the tree, its filter (all / in progress / blocked / mine, applied
 * by the server), the context keys its welcome views and menus read, the message above it
 * (why nothing is shown), and `reveal` of any instance, phase or activity.
 */
import * as vscode from 'vscode';
import type { InstanceFilter, NodeRef } from '../../schemas/lsp-protocol';
import type { Ctx } from '../ctx';
import { LiveStore } from '../live/store';
import type { LiveNode, TreeNode } from './nodes';
import { PhaseTreeProvider, type RootState } from './provider';

/** The view's id, as declared in package.json. */
export const PHASE_STATUS_VIEW_ID = 'workflowPhases.phaseStatus';

const FILTER_WORDS: Record<InstanceFilter, string> = { all: '', 'in-progress': 'in progress', blocked: 'blocked', mine: 'mine' };

/** Sets a `when`-clause context key. */
export function setContext(key: string, value: unknown): void {
  void vscode.commands.executeCommand('setContext', key, value);
}

/** The Phase Status view and what it is made of. */
export class PhaseTree implements vscode.Disposable {
  readonly store: LiveStore;
  readonly provider: PhaseTreeProvider;
  readonly view: vscode.TreeView<TreeNode>;
  private rootState: { state: RootState; error?: string } = { state: 'unknown' };
  private readonly disposables: vscode.Disposable[] = [];

  constructor(ctx: Ctx) {
    this.store = new LiveStore(ctx);
    this.provider = new PhaseTreeProvider(ctx, this.store);
    this.view = vscode.window.createTreeView(PHASE_STATUS_VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true });
    this.disposables.push(this.store, this.provider, this.view);
    this.disposables.push(
      this.provider.onDidLoadRoot((root) => {
        this.rootState = root;
        setContext('workflowPhases.instances', root.state);
        this.updateMessage();
      }),
      ctx.onDidChangeDatabase((status) => {
        setContext('workflowPhases.database', status?.state ?? 'none');
        // Connected again: the store is reset by the `reconnected` signal; otherwise empty the tree.
        if (status?.state !== 'connected') this.store.reset();
        this.updateMessage();
      }),
      ctx.onDidChangeStatus((status) => {
        setContext('workflowPhases.server', status);
        if (status !== 'running') this.store.reset();
      }),
    );
    setContext('workflowPhases.filter', 'all');
    setContext('workflowPhases.database', ctx.databaseStatus?.state ?? 'none');
    setContext('workflowPhases.server', ctx.serverStatus);
  }

  /** Shows other instances (the server filters). */
  setFilter(filter: InstanceFilter): void {
    setContext('workflowPhases.filter', filter);
    this.view.description = FILTER_WORDS[filter] || undefined;
    this.store.setFilter(filter);
  }

  /** Reloads everything shown. */
  refresh(): void {
    this.store.reset();
  }

  /** Selects (and shows) the node `ref` names, loading what leads to it. */
  async reveal(ref: NodeRef, options: { expand?: boolean; focus?: boolean } = {}): Promise<LiveNode> {
    if (this.store.filter !== 'all') this.setFilter('all');
    await this.store.loadCycles();
    await this.store.ensureListed(ref.cycleId, ref.reportId);
    await this.store.loadDetail(ref.cycleId, ref.reportId);
    const node = this.provider.nodeOf(ref);
    await this.view.reveal(node, { select: true, focus: options.focus ?? true, expand: options.expand ?? false });
    return node;
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }

  /**
   * The message above the tree: only for a failed load. A message hides the welcome views,
   * and those already say what to do without a database (the status bar item gives the
   * reason of a disconnection).
   */
  private updateMessage(): void {
    this.view.message = this.rootState.state === 'error' ? `The phase status could not be loaded: ${this.rootState.error ?? 'unknown error'}` : undefined;
  }
}
