/** The content hash of a resolved workflow: what an unchanged re-sync is recognised by. */
import { createHash } from 'node:crypto';
import type { ResolvedWorkflow } from '../../core/index';
import { canonicalJson } from './same-json';

// Bump when what sync writes for the same definition changes, so stored hashes stop matching.
const SYNC_FORMAT = 1;

const cache = new WeakMap<ResolvedWorkflow, string>();

/**
 * sha256 (hex) of every field of the workflow in a fixed order, with the sync format
 * version. Positional arrays through the native JSON.stringify keep this to a few
 * milliseconds for 9,000 activities (the unchanged re-sync budget is 10 ms); only the
 * free-form `metadata` needs sorted keys. Cached per workflow object.
 */
export function contentHash(workflow: ResolvedWorkflow): string {
  const known = cache.get(workflow);
  if (known !== undefined) return known;
  const text = JSON.stringify([
    SYNC_FORMAT,
    workflow.name,
    workflow.phases.map((p) => [
      p.name, p.order, p.title, p.riskLevel, p.slaHours, p.dependsOn, p.skippable, canonicalJson(p.metadata),
      p.activities.map((a) => [a.name, a.type, a.order, a.role, a.required, a.description]),
    ]),
    workflow.appliesTo.map((c) => [c.cycle, c.reports]),
  ]);
  const hash = createHash('sha256').update(text).digest('hex');
  cache.set(workflow, hash);
  return hash;
}

/** The hash stored for a workflow applied only in part (refusals): it never equals `contentHash`. */
export function partialHash(workflow: ResolvedWorkflow): string {
  return createHash('sha256').update(`partial ${contentHash(workflow)}`).digest('hex');
}
