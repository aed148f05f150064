/**
 * Helpers of the live-database suites: the PostgreSQL database of the run (created by
 * scripts/e2e/host-tests.ts, passed as E2E_PG_URL), a `pg` client on it, and walking the
 * Phase Status tree the way VS Code does (getChildren / getTreeItem).
 */
import pg from 'pg';
import * as vscode from 'vscode';
import type { PhaseTreeProvider } from '../../../client/tree/provider';
import type { TreeNode } from '../../../client/tree/nodes';
import { waitFor } from './helpers';

/** The run's database, or undefined when PostgreSQL is not reachable (the suite then skips, except under CI). */
export const PG_URL = process.env.E2E_PG_URL;

/** Runs `body` with a connected `pg` client on the run's database. */
export async function withPg<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** One node drawn: the node and its TreeItem. */
export interface Drawn {
  readonly node: TreeNode;
  readonly item: vscode.TreeItem;
}

/** The label of a TreeItem as text. */
export function labelOf(item: vscode.TreeItem): string {
  const label = item.label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

/** The children of `node` (the root when undefined), drawn. */
export async function children(provider: PhaseTreeProvider, node?: TreeNode): Promise<Drawn[]> {
  const nodes = await provider.getChildren(node);
  return nodes.map((n) => ({ node: n, item: provider.getTreeItem(n) }));
}

/** The child of `node` whose label is `label` (fails the test when there is none). */
export async function child(provider: PhaseTreeProvider, node: TreeNode | undefined, label: string): Promise<Drawn> {
  const all = await children(provider, node);
  const found = all.find((d) => labelOf(d.item) === label);
  if (!found) throw new Error(`no "${label}" under ${node ? labelOf(provider.getTreeItem(node)) : 'the root'}; found: ${all.map((d) => labelOf(d.item)).join(', ')}`);
  return found;
}

/** Resolves with the first batch of `onDidChangeTreeData` that names `node` (or everything). */
export function treeChange(provider: PhaseTreeProvider, node: TreeNode): Promise<number> {
  return new Promise((resolve) => {
    const subscription = provider.onDidChangeTreeData((changed) => {
      const list = changed === undefined ? undefined : Array.isArray(changed) ? changed : [changed];
      if (list && !list.includes(node)) return;
      subscription.dispose();
      resolve(performance.now());
    });
  });
}

/** Waits until the root of the tree lists at least one cycle (the database is connected and has instances). */
export async function rootCycles(provider: PhaseTreeProvider): Promise<Drawn[]> {
  let drawn: Drawn[] = [];
  await waitFor('the Phase Status tree to list a test cycle', () => {
    void children(provider).then((d) => (drawn = d));
    return drawn.length > 0;
  }, [provider.onDidChangeTreeData as vscode.Event<unknown>]);
  return drawn;
}

/** Resolves with `check()`'s first value, asking again after each change of the tree (Mocha's timeout bounds the wait). */
export async function waitForValue<T>(check: () => Promise<T | undefined>, provider?: PhaseTreeProvider): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    // Wait for the next change of the tree, or a short while for state no event announces.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 200);
      const subscription = provider?.onDidChangeTreeData(done);
      function done() {
        clearTimeout(timer);
        subscription?.dispose();
        resolve();
      }
    });
  }
}
