/** The transition rules engine: pure functions over a snapshot of one instance. */
export * from './types';
export * from './snapshot';
export { explain, transitionTitle } from './explain';
export { applyTransition, applyChanges } from './apply';
export type { Applied } from './apply';
export { allowed } from './allowed';
export type { AllowedTransition } from './allowed';
export { invariantViolations } from './invariants';
export { reviewingApproval } from './explain-activity';
export { formatExplanation, formatGuard, formatVerdict } from './format';
