/**
 * Sync: definitions -> rows. An unchanged workflow is recognised by its stored content
 * hash in one query and nothing is written. Otherwise, in one transaction under a lock
 * per workflow: resolve the instances, load their rows, plan, and (unless something is
 * refused and partial syncs are not allowed) apply and record the synced definition.
 */
import type { ResolvedWorkflow } from '../../core/index';
import type { Database, Queryable } from '../database';
import { applyPlan } from './apply';
import type { ApplyCounts } from './apply';
import { contentHash, partialHash } from './content-hash';
import { followingInstances, loadInstances, resolveClaims } from './load';
import type { InstanceClaimRef, UnknownReference } from './load';
import { plan } from './plan';
import type { InstanceRef, PlanDefinition, SyncPlan } from './types';

/** A workflow to sync, and where it came from. */
export interface SyncSource {
  readonly workflow: ResolvedWorkflow;
  readonly sourcePath: string | null;
}

/** How to sync. */
export interface SyncOptions {
  /** Plan only: write nothing. */
  readonly dryRun?: boolean;
  /** Apply the changes that are not refused even when some are. */
  readonly allowPartial?: boolean;
  /** Compare rows even when the stored content hash matches. */
  readonly force?: boolean;
  /** Recorded as `workflow_definitions.synced_by`. */
  readonly syncedBy?: string | null;
  /**
   * Plan only these instances per workflow (`phasectl init`): no `applies_to`, no hash
   * shortcut, and the stored definition is left as it is.
   */
  readonly instancesOnly?: ReadonlyMap<string, readonly InstanceRef[]>;
}

/** What a sync found and did. */
export interface SyncResult {
  readonly plan: SyncPlan;
  /** Workflows skipped because their stored content hash matched. */
  readonly unchanged: readonly string[];
  /** `applies_to` cycles or reports that do not exist: nothing was written (`plan` covers the instances that do exist). */
  readonly unknown: readonly UnknownReference[];
  /** True when the changes were written. */
  readonly applied: boolean;
  readonly counts: ApplyCounts | null;
}

const EMPTY_PLAN: SyncPlan = { instances: [], summary: { create: 0, update: 0, delete: 0, refused: 0 } };

/** Which of `sources` have the stored content hash already: one query. */
async function unchangedWorkflows(db: Queryable, sources: readonly SyncSource[]): Promise<Set<string>> {
  const r = await db.query<{ workflow_name: string; content_hash: string }>(
    'SELECT workflow_name, content_hash FROM workflow_definitions WHERE workflow_name = ANY($1::text[])',
    [sources.map((s) => s.workflow.name)],
  );
  const stored = new Map(r.rows.map((row) => [row.workflow_name, row.content_hash]));
  return new Set(sources.filter((s) => stored.get(s.workflow.name) === contentHash(s.workflow)).map((s) => s.workflow.name));
}

async function planSources(q: Queryable, sources: readonly SyncSource[], only: SyncOptions['instancesOnly']): Promise<{ plan: SyncPlan; unknown: UnknownReference[] }> {
  if (only) {
    const definitions = sources.map((s) => ({ workflow: s.workflow, instances: only.get(s.workflow.name) ?? [] }));
    return { plan: plan(definitions, await loadInstances(q, definitions.flatMap((d) => d.instances))), unknown: [] };
  }
  const claims: InstanceClaimRef[] = sources.flatMap((s) => s.workflow.appliesTo.map((c) => ({ workflow: s.workflow.name, cycle: c.cycle, reports: c.reports })));
  const { instances, unknown } = await resolveClaims(q, claims);
  // With unknown references nothing is applied, but the known instances are still planned:
  // a dry run then shows their refusals too (the editor's live rules read both).
  const following = await followingInstances(q, sources.map((s) => s.workflow.name));
  const definitions: PlanDefinition[] = sources.map((s) => {
    const seen = new Set<string>();
    const list: InstanceRef[] = [];
    for (const i of [...(instances.get(s.workflow.name) ?? []), ...(following.get(s.workflow.name) ?? [])]) {
      const k = `${i.cycleId}/${i.reportId}`;
      if (!seen.has(k)) {
        seen.add(k);
        list.push(i);
      }
    }
    return { workflow: s.workflow, instances: list };
  });
  const current = await loadInstances(q, definitions.flatMap((d) => d.instances));
  return { plan: plan(definitions, current), unknown };
}

/** Plans and, unless `dryRun`, applies the sync of `sources`. Throws only for database failures. */
export async function syncWorkflows(db: Database, sources: readonly SyncSource[], options: SyncOptions = {}): Promise<SyncResult> {
  const unchanged = options.force || options.instancesOnly ? new Set<string>() : await unchangedWorkflows(db, sources);
  const pending = sources.filter((s) => !unchanged.has(s.workflow.name));
  if (pending.length === 0) return { plan: EMPTY_PLAN, unchanged: [...unchanged], unknown: [], applied: false, counts: null };
  if (options.dryRun) {
    const planned = await planSources(db, pending, options.instancesOnly);
    return { ...planned, unchanged: [...unchanged], applied: false, counts: null };
  }
  return db.transaction(async (tx) => {
    // One sync per workflow at a time; sorted so two syncs of overlapping sets cannot deadlock.
    for (const name of pending.map((s) => s.workflow.name).sort()) {
      await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('workflow-phases sync ' || $1, 0))", [name]);
    }
    const planned = await planSources(tx, pending, options.instancesOnly);
    const refused = planned.plan.summary.refused > 0;
    if (planned.unknown.length > 0 || (refused && !options.allowPartial)) {
      return { ...planned, unchanged: [...unchanged], applied: false, counts: null };
    }
    const counts = await applyPlan(tx, planned.plan.instances);
    if (options.instancesOnly) return { ...planned, unchanged: [...unchanged], applied: true, counts };
    const partial = new Set(planned.plan.instances.filter((p) => p.refused.length > 0).map((p) => p.workflow));
    // One statement per workflow with the definition as a scalar parameter: a document of
    // 90,000 activities inside a text[] literal costs PGlite seconds of escaping and parsing.
    for (const s of pending) {
      await tx.query(
        `INSERT INTO workflow_definitions (workflow_name, content_hash, definition, source_path, synced_at, synced_by)
         VALUES ($1, $2, $3::jsonb, $4, CURRENT_TIMESTAMP, $5)
         ON CONFLICT (workflow_name) DO UPDATE SET
             content_hash = EXCLUDED.content_hash, definition = EXCLUDED.definition, source_path = EXCLUDED.source_path,
             synced_at = EXCLUDED.synced_at, synced_by = EXCLUDED.synced_by
         WHERE (workflow_definitions.content_hash, workflow_definitions.source_path)
               IS DISTINCT FROM (EXCLUDED.content_hash, EXCLUDED.source_path)`,
        [
          s.workflow.name,
          // A partly applied workflow must not look unchanged next time: store a hash that never matches.
          partial.has(s.workflow.name) ? partialHash(s.workflow) : contentHash(s.workflow),
          JSON.stringify(s.workflow),
          s.sourcePath,
          options.syncedBy ?? null,
        ],
      );
    }
    return { ...planned, unchanged: [...unchanged], applied: true, counts };
  });
}
