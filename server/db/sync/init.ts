/**
 * `init`: make one (cycle, report) follow a synced workflow now — the seed's "when a
 * test cycle starts for a report": all nine phases and their activities in one go.
 */
import type { ResolvedWorkflow } from '../../core/index';
import type { Database } from '../database';
import { resolveClaims } from './load';
import type { UnknownReference } from './load';
import { syncWorkflows } from './sync';
import type { SyncResult } from './sync';

/** What `initInstance` did, or why it could not. */
export type InitOutcome =
  | { readonly kind: 'unknown'; readonly unknown: readonly UnknownReference[] }
  | { readonly kind: 'no-workflow'; readonly requested: string | null; readonly available: readonly string[] }
  | { readonly kind: 'done'; readonly workflow: string; readonly result: SyncResult };

/** The synced workflows, by name, as stored in `workflow_definitions`. */
export async function storedWorkflows(db: Database): Promise<Map<string, { workflow: ResolvedWorkflow; sourcePath: string | null }>> {
  const r = await db.query<{ workflow_name: string; definition: ResolvedWorkflow; source_path: string | null }>(
    'SELECT workflow_name, definition, source_path FROM workflow_definitions ORDER BY workflow_name',
  );
  return new Map(r.rows.map((row) => [row.workflow_name, { workflow: row.definition, sourcePath: row.source_path }]));
}

/**
 * Creates the rows of (cycle, report) following `workflow` (by default the only synced
 * workflow). Cycle and report by id or name; nothing is written when either is unknown.
 */
export async function initInstance(
  db: Database,
  request: { readonly cycle: string; readonly report: string; readonly workflow: string | null; readonly dryRun?: boolean },
): Promise<InitOutcome> {
  const { instances, unknown } = await resolveClaims(db, [{ workflow: '', cycle: request.cycle, reports: [request.report] }]);
  if (unknown.length > 0) return { kind: 'unknown', unknown };
  const stored = await storedWorkflows(db);
  const name = request.workflow ?? (stored.size === 1 ? [...stored.keys()][0]! : null);
  const chosen = name === null ? undefined : stored.get(name);
  if (!chosen) return { kind: 'no-workflow', requested: request.workflow, available: [...stored.keys()] };
  const instance = instances.get('')![0]!;
  const result = await syncWorkflows(db, [chosen], { instancesOnly: new Map([[chosen.workflow.name, [instance]]]), dryRun: request.dryRun ?? false });
  return { kind: 'done', workflow: chosen.workflow.name, result };
}
