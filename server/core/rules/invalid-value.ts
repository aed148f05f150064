/** invalid-value: a value of the wrong type, outside its enum, or out of range (reported while reading). */
import type { RuleMeta } from './rule';

/** The rule's identity. */
export const invalidValue: RuleMeta = { id: 'invalid-value', severity: 'error', title: 'Values must have the right type and range' };
