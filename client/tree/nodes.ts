/**
 * The nodes of the Phase Status tree: test cycles -> instances (reports) -> the 9 phases
 * -> activities, and a "Load more…" node under a cycle with more instances. Nodes carry
 * only their identity (so they double as the `NodeRef` the server takes); their data is
 * read from the live store when they are drawn. One object per node, kept in a registry,
 * because VS Code matches the elements of `onDidChangeTreeData` by identity.
 */
import type { NodeRef } from '../../schemas/lsp-protocol';
import { instanceKey, type InstanceKey } from '../live/store';

/** A test cycle. */
export interface CycleNode {
  readonly kind: 'cycle';
  readonly id: string;
  readonly cycleId: number;
}

/** One (cycle, report): an instance of a workflow. */
export interface InstanceNode extends NodeRef {
  readonly kind: 'instance';
  readonly id: string;
  readonly instance: InstanceKey;
}

/** A phase of an instance. */
export interface PhaseTreeNode extends NodeRef {
  readonly kind: 'phase';
  readonly id: string;
  readonly instance: InstanceKey;
  readonly phase: string;
}

/** An activity of a phase. */
export interface ActivityTreeNode extends NodeRef {
  readonly kind: 'activity';
  readonly id: string;
  readonly instance: InstanceKey;
  readonly phase: string;
  readonly activity: string;
}

/** "Load more…" at the end of a cycle's loaded instances. */
export interface MoreNode {
  readonly kind: 'more';
  readonly id: string;
  readonly cycleId: number;
}

/** Any node of the tree. */
export type TreeNode = CycleNode | InstanceNode | PhaseTreeNode | ActivityTreeNode | MoreNode;

/** A node the server can act on: an instance, a phase or an activity. */
export type LiveNode = InstanceNode | PhaseTreeNode | ActivityTreeNode;

/** The one object per node id. */
export class NodeRegistry {
  private readonly nodes = new Map<string, TreeNode>();

  private get<T extends TreeNode>(node: T): T {
    const known = this.nodes.get(node.id);
    if (known) return known as T;
    this.nodes.set(node.id, node);
    return node;
  }

  /** The node of test cycle `cycleId`. */
  cycle(cycleId: number): CycleNode {
    return this.get({ kind: 'cycle', id: `c/${cycleId}`, cycleId });
  }

  /** The node of instance (cycleId, reportId). */
  instance(cycleId: number, reportId: number): InstanceNode {
    return this.get({ kind: 'instance', id: `i/${cycleId}/${reportId}`, instance: instanceKey(cycleId, reportId), cycleId, reportId });
  }

  /** The node of a phase of an instance. */
  phase(cycleId: number, reportId: number, phase: string): PhaseTreeNode {
    return this.get({ kind: 'phase', id: `p/${cycleId}/${reportId}/${phase}`, instance: instanceKey(cycleId, reportId), cycleId, reportId, phase });
  }

  /** The node of an activity of a phase. */
  activity(cycleId: number, reportId: number, phase: string, activity: string): ActivityTreeNode {
    return this.get({ kind: 'activity', id: `a/${cycleId}/${reportId}/${phase}/${activity}`, instance: instanceKey(cycleId, reportId), cycleId, reportId, phase, activity });
  }

  /** The "Load more…" node of a cycle. */
  more(cycleId: number): MoreNode {
    return this.get({ kind: 'more', id: `m/${cycleId}`, cycleId });
  }

  /** The node a `NodeRef` names (instance, phase or activity). */
  ofRef(ref: NodeRef): LiveNode {
    if (ref.phase !== undefined && ref.activity !== undefined) return this.activity(ref.cycleId, ref.reportId, ref.phase, ref.activity);
    if (ref.phase !== undefined) return this.phase(ref.cycleId, ref.reportId, ref.phase);
    return this.instance(ref.cycleId, ref.reportId);
  }
}

/** The `NodeRef` of a live node, as the server takes it (without the tree's own fields). */
export function refOf(node: NodeRef): NodeRef {
  return {
    cycleId: node.cycleId,
    reportId: node.reportId,
    ...(node.phase !== undefined ? { phase: node.phase } : {}),
    ...(node.activity !== undefined ? { activity: node.activity } : {}),
  };
}

/** Whether `value` looks like a `NodeRef` (a tree node, or one passed by a keybinding or a test). */
export function isNodeRef(value: unknown): value is NodeRef {
  const v = value as Partial<NodeRef> | null;
  return typeof v === 'object' && v !== null && typeof v.cycleId === 'number' && typeof v.reportId === 'number';
}
