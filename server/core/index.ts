/**
 * The core's public surface: YAML text -> typed definitions with exact spans -> rules.
 * Pure: no editor, no LSP, no database, no I/O. The language server, the sync engine
 * and the CLI all call it through this file only.
 */
export * from './model';
export type { Span, Severity, Problem, Parsed, RelatedLocation, ProblemData } from './problem';
export type { YNode, YMap, YSeq, YScalar, YPair } from './yaml/tree';
export type { Located, ActivityDefinition, PhaseDefinition, InstanceClaim, WorkflowDefinition } from './definition/types';
export type { ResolvedActivity, ResolvedPhase, ResolvedWorkflow } from './definition/resolved';
export { analyzeText, checkAcrossFiles, validateTexts } from './validate';
export type { FileAnalysis, SourceText, FileProblems } from './validate';
export { resolveWorkflow } from './definition/resolve';
export { CONTRACT } from './definition/contract-generated';
export type { DefinitionContract, KeyContract, MappingKind, ValueCheck, ValueContract } from './definition/contract-types';
export { accepts, lengthExceeded } from './definition/value-check';
export { LineIndex } from './line-index';
export type { Position } from './line-index';
export { RULES, ruleById, checkLiveRules } from './rules/registry';
export type { LiveFacts, LiveRefusal, LiveUnknown } from './rules/live';
export type { RuleMeta } from './rules/rule';
export { didYouMean } from './did-you-mean';
export { completionsAt } from './features/completion';
export type { CompletionCandidate, CandidateKind, CompletionOptions } from './features/completion';
export { hoverAt, describePhase } from './features/hover';
export type { HoverInfo } from './features/hover';
export { quickFixesFor } from './features/quick-fixes';
export type { QuickFix } from './features/quick-fixes';
export { applyEdits } from './features/text-edits';
export type { OffsetEdit } from './features/text-edits';
export { outlineOf, foldingSpans } from './features/outline';
export type { OutlineSymbol } from './features/outline';
export { definitionAt, referencesAt } from './features/navigation';
export { reanalyzeText } from './features/incremental';
export * from './transitions/index';
