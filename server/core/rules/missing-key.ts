/** missing-key: a required key is absent (reported while reading). */
import type { RuleMeta } from './rule';

/** The rule's identity. */
export const missingKey: RuleMeta = { id: 'missing-key', severity: 'error', title: 'Required keys must be present' };
