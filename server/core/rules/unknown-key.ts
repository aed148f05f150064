/** unknown-key: a key the definition format does not know (reported while reading). */
import type { RuleMeta } from './rule';

/** The rule's identity. */
export const unknownKey: RuleMeta = { id: 'unknown-key', severity: 'error', title: 'Only known keys may be used' };
