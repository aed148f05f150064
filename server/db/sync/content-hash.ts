/** The content hash of a resolved workflow: what an unchanged re-sync is recognised by. */
import { createHash } from 'node:crypto';
import type { ResolvedWorkflow } from '../../core/index';
import { canonicalJson } from './same-json';

// Bump when what sync writes for the same definition changes, so stored hashes stop matching.
const SYNC_FORMAT = 1;

/** sha256 (hex) of the workflow's canonical JSON, with the sync format version. */
export function contentHash(workflow: ResolvedWorkflow): string {
  return createHash('sha256').update(`workflow-phases sync ${SYNC_FORMAT}\n`).update(canonicalJson(workflow)).digest('hex');
}

/** The hash stored for a workflow applied only in part (refusals): it never equals `contentHash`. */
export function partialHash(workflow: ResolvedWorkflow): string {
  return createHash('sha256').update(`partial ${contentHash(workflow)}`).digest('hex');
}
