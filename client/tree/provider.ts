/**
 * The Phase Status tree's data provider: cycles -> instances -> the 9 phases -> activities.
 * Children load on expand (instances a page at a time, with "Load more…"); tooltips are
 * resolved lazily with the server's explanation of the next transition; a change from the
 * feed refreshes only the nodes whose text, icon or menus changed.
 */
import * as vscode from 'vscode';
import { ExplainRequest, type ActivityActionName, type InstanceDetail, type PhaseActionName, type PhaseNode } from '../../schemas/lsp-protocol';
import type { Ctx } from '../ctx';
import {
  activityAccessibility,
  activityDescription,
  activityTooltip,
  allowedActions,
  contextValue,
  cycleDescription,
  instanceDescription,
  instanceTooltip,
  nextAction,
  nextTransitionMarkdown,
  phaseAccessibility,
  phaseDescription,
  phaseTooltip,
} from '../format/node-text';
import { instanceKey, type InstanceUpdate, type LiveStore, type StoreChange } from '../live/store';
import { NodeRegistry, refOf, type ActivityTreeNode, type LiveNode, type PhaseTreeNode, type TreeNode } from './nodes';
import { statusIcon, totalsIcon } from './status-style';

/** Whether the root shows anything, for the welcome views (`workflowPhases.instances`). */
export type RootState = 'unknown' | 'empty' | 'filtered-out' | 'some' | 'error';

/** The Phase Status tree's data. */
export class PhaseTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  readonly nodes = new NodeRegistry();
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  private readonly rootEmitter = new vscode.EventEmitter<{ state: RootState; error?: string }>();
  private readonly subscription: vscode.Disposable;

  /** Fires with the nodes to draw again (undefined: everything). */
  readonly onDidChangeTreeData = this.changed.event;
  /** Fires after the root was loaded: empty, filtered out, some, or an error. */
  readonly onDidLoadRoot = this.rootEmitter.event;

  constructor(
    private readonly ctx: Ctx,
    readonly store: LiveStore,
  ) {
    this.subscription = store.onDidChange((change) => this.onStoreChange(change));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.rootEmitter.dispose();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.rootChildren();
    switch (node.kind) {
      case 'cycle': {
        const { keys, more } = await this.store.loadInstances(node.cycleId);
        const instances = keys.map((key) => {
          const [cycleId, reportId] = key.split(':').map(Number) as [number, number];
          return this.nodes.instance(cycleId, reportId);
        });
        return more ? [...instances, this.nodes.more(node.cycleId)] : instances;
      }
      case 'instance': {
        const detail = await this.store.loadDetail(node.cycleId, node.reportId);
        return detail ? [...detail.phases].sort((a, b) => a.order - b.order).map((p) => this.nodes.phase(node.cycleId, node.reportId, p.name)) : [];
      }
      case 'phase': {
        const phase = this.phaseOf(node);
        return phase ? [...phase.activities].sort((a, b) => a.order - b.order).map((a) => this.nodes.activity(node.cycleId, node.reportId, node.phase, a.name)) : [];
      }
      default:
        return [];
    }
  }

  getParent(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'cycle':
        return undefined;
      case 'more':
      case 'instance':
        return this.nodes.cycle(node.cycleId);
      case 'phase':
        return this.nodes.instance(node.cycleId, node.reportId);
      case 'activity':
        return this.nodes.phase(node.cycleId, node.reportId, node.phase);
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.kind) {
      case 'cycle': {
        const cycle = this.store.cycle(node.cycleId);
        const item = new vscode.TreeItem(cycle?.cycle ?? `cycle ${node.cycleId}`, collapsed);
        if (cycle) {
          item.description = cycleDescription(cycle);
          item.iconPath = totalsIcon(cycle);
          item.accessibilityInformation = { label: `Test cycle ${cycle.cycle}: ${item.description.replace(/ · /g, ', ')}` };
        }
        item.contextValue = 'cycle';
        return withId(item, node);
      }
      case 'more': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'workflowPhases.loadMore', title: 'Load More', arguments: [node] };
        item.contextValue = 'more';
        return withId(item, node);
      }
      case 'instance': {
        const summary = this.store.summary(node.instance);
        const item = new vscode.TreeItem(summary?.report ?? `report ${node.reportId}`, collapsed);
        if (summary) {
          item.description = instanceDescription(summary);
          item.iconPath = totalsIcon(summary);
          item.accessibilityInformation = { label: `Report ${summary.report} in ${summary.cycle}: ${item.description.replace(/ · /g, ', ')}` };
        }
        item.contextValue = 'instance';
        return withId(item, node);
      }
      case 'phase':
        return this.phaseItem(node);
      case 'activity':
        return this.activityItem(node);
    }
  }

  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind === 'instance') {
      const summary = this.store.summary(node.instance);
      if (summary) item.tooltip = new vscode.MarkdownString(instanceTooltip(summary));
      return item;
    }
    if (node.kind !== 'phase' && node.kind !== 'activity') return item;
    const detail = this.store.detail(node.instance);
    const phase = this.phaseOf(node);
    if (!detail || !phase) return item;
    const activity = node.kind === 'activity' ? phase.activities.find((a) => a.name === node.activity) : undefined;
    const head = activity ? activityTooltip(activity, phase, detail) : phaseTooltip(phase, detail);
    const action = nextAction(node.kind, activity?.status ?? phase.status);
    let next = '';
    if (action) {
      try {
        const result = await this.ctx.request(ExplainRequest, { node: refOf(node), action: action as PhaseActionName | ActivityActionName });
        next = nextTransitionMarkdown(result.explanations[0]);
      } catch (error) {
        next = nextTransitionMarkdown(undefined, error instanceof Error ? error.message : String(error));
      }
    }
    if (token.isCancellationRequested) return item;
    item.tooltip = new vscode.MarkdownString([head, next].filter(Boolean).join('\n\n---\n\n'));
    return item;
  }

  /** The node a `NodeRef`-like value names. */
  nodeOf(ref: LiveNode | { cycleId: number; reportId: number; phase?: string; activity?: string }): LiveNode {
    return this.nodes.ofRef(ref);
  }

  private async rootChildren(): Promise<TreeNode[]> {
    if (this.ctx.serverStatus !== 'running' || this.ctx.databaseStatus?.state !== 'connected') {
      this.rootEmitter.fire({ state: 'unknown' });
      return [];
    }
    try {
      const cycles = await this.store.loadCycles();
      this.rootEmitter.fire({ state: cycles.length > 0 ? 'some' : this.store.filter === 'all' ? 'empty' : 'filtered-out' });
      return cycles.map((c) => this.nodes.cycle(c.cycleId));
    } catch (error) {
      this.rootEmitter.fire({ state: 'error', error: error instanceof Error ? error.message : String(error) });
      return [];
    }
  }

  private phaseOf(node: PhaseTreeNode | ActivityTreeNode) {
    return this.store.detail(node.instance)?.phases.find((p) => p.name === node.phase);
  }

  private phaseItem(node: PhaseTreeNode): vscode.TreeItem {
    const phase = this.phaseOf(node);
    const item = new vscode.TreeItem(node.phase, phase && phase.activities.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    if (phase) {
      item.description = phaseDescription(phase);
      item.iconPath = statusIcon(phase.status);
      item.accessibilityInformation = { label: phaseAccessibility(phase) };
      item.contextValue = contextValue('phase', phase.status, allowedActions(this.store.allowedOn(node.instance), node.phase, null));
    }
    return withId(item, node);
  }

  private activityItem(node: ActivityTreeNode): vscode.TreeItem {
    const activity = this.phaseOf(node)?.activities.find((a) => a.name === node.activity);
    const item = new vscode.TreeItem(node.activity, vscode.TreeItemCollapsibleState.None);
    if (activity) {
      item.description = activityDescription(activity);
      item.iconPath = statusIcon(activity.status);
      item.accessibilityInformation = { label: activityAccessibility(activity) };
      item.contextValue = contextValue('activity', activity.status, allowedActions(this.store.allowedOn(node.instance), node.phase, node.activity));
    }
    return withId(item, node);
  }

  private onStoreChange(change: StoreChange): void {
    if (change.all || change.root) {
      this.changed.fire(undefined);
      return;
    }
    const nodes = new Set<TreeNode>();
    for (const cycleId of change.cycles) nodes.add(this.nodes.cycle(cycleId));
    for (const update of change.instances) for (const node of this.changedNodes(update)) nodes.add(node);
    if (nodes.size > 0) {
      this.changed.fire([...nodes]);
    }
  }

  /** The nodes of one instance whose drawing differs between before and after. */
  private changedNodes(update: InstanceUpdate): TreeNode[] {
    const { cycleId, reportId, before, after } = update;
    const instance = this.nodes.instance(cycleId, reportId);
    if (!before || !after) return [instance];
    const allowedAfter = this.store.allowedOn(instanceKey(cycleId, reportId));
    const out: TreeNode[] = [];
    if (summaryText(before) !== summaryText(after) || names(before.phases) !== names(after.phases)) out.push(instance);
    for (const phase of after.phases) {
      const old = before.phases.find((p) => p.name === phase.name);
      const menus = (a: string | null, allowed: typeof allowedAfter) => allowedActions(allowed, phase.name, a).join();
      if (!old || ownLine(old) !== ownLine(phase) || names(old.activities) !== names(phase.activities) || menus(null, update.beforeAllowed) !== menus(null, allowedAfter)) {
        out.push(this.nodes.phase(cycleId, reportId, phase.name));
      }
      for (const activity of phase.activities) {
        const was = old?.activities.find((a) => a.name === activity.name);
        if (!was || JSON.stringify(was) !== JSON.stringify(activity) || menus(activity.name, update.beforeAllowed) !== menus(activity.name, allowedAfter)) {
          out.push(this.nodes.activity(cycleId, reportId, phase.name, activity.name));
        }
      }
    }
    return out;
  }
}

function withId(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
  item.id = node.id;
  return item;
}

const names = (list: readonly { name: string }[]) => list.map((x) => x.name).join('\n');

/** What a phase's own line is drawn from: everything but its activities. */
const ownLine = (phase: PhaseNode) => JSON.stringify({ ...phase, activities: undefined });

function summaryText(d: InstanceDetail): string {
  return JSON.stringify([d.done, d.total, d.inProgress, d.blocked, d.overdue, d.current, d.workflow]);
}
