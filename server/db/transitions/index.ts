/** Transitions on a database: resolve who and which instance, run a transition, read the history. */
export { resolveActor } from './actor';
export type { ActorLookup } from './actor';
export { resolveCycle, resolveInstance, resolveReport } from './instance';
export type { InstanceKey, InstanceLookup } from './instance';
export { loadInstance, phaseRulesOf, withUserNames, TS_FORMAT } from './load';
export type { LoadedInstance } from './load';
export { runTransition, noInstanceExplanation, isConnectionLoss, TransitionError } from './execute';
export type { TransitionOutcome, TransitionRequest } from './execute';
export { readHistory } from './history';
export type { HistoryEntry } from './history';
export { hostColumns } from './host-tables';
export type { HostColumns } from './host-tables';
export { allowedOnDatabase, explainOnDatabase, viewInstance } from './what-if';
export type { InstanceView } from './what-if';
