/** Every rule, by id. Adding a rule: a file here, an entry below, docs/rules/<id>.md, fixtures. */
import type { WorkflowDefinition } from '../definition/types';
import type { Problem } from '../problem';
import type { FileAnalysis } from '../validate';
import { activityOrder } from './activity-order';
import { approvalRole } from './approval-role';
import { completeActivity } from './complete-activity';
import { duplicateActivity } from './duplicate-activity';
import { duplicateInstance } from './duplicate-instance';
import { duplicatePhase } from './duplicate-phase';
import { duplicateWorkflow } from './duplicate-workflow';
import { forwardDependency } from './forward-dependency';
import { invalidValue } from './invalid-value';
import type { LiveFacts, LiveRule } from './live';
import { missingKey } from './missing-key';
import { missingPhase } from './missing-phase';
import { phaseOrder } from './phase-order';
import { progressLoss } from './progress-loss';
import { problemOf } from './rule';
import type { FileRule, Report, RuleMeta } from './rule';
import { segregationOfDuties } from './segregation-of-duties';
import { startActivity } from './start-activity';
import { unknownCycle } from './unknown-cycle';
import { unknownDependency } from './unknown-dependency';
import { unknownKey } from './unknown-key';
import { unknownPhase } from './unknown-phase';
import { unknownReport } from './unknown-report';
import { yamlSyntax } from './yaml-syntax';

/** A rule over all files of a workspace. */
export interface CrossFileRule extends RuleMeta {
  check(files: readonly FileAnalysis[], report: (file: string, r: Report) => void): void;
}

/** Rules run on each file's typed definition, in this order. */
export const FILE_RULES: readonly FileRule[] = [
  unknownPhase,
  duplicatePhase,
  missingPhase,
  phaseOrder,
  duplicateActivity,
  activityOrder,
  startActivity,
  completeActivity,
  unknownDependency,
  forwardDependency,
  approvalRole,
  segregationOfDuties,
];

/** Rules run across files. */
export const CROSS_FILE_RULES: readonly CrossFileRule[] = [duplicateWorkflow, duplicateInstance];

/** Rules over a file and the live facts of a connected database (warnings, only while one is connected). */
export const LIVE_RULES: readonly LiveRule[] = [progressLoss, unknownCycle, unknownReport];

/** The live rules' problems for one file's definition, in source order. */
export function checkLiveRules(definition: WorkflowDefinition, facts: LiveFacts): Problem[] {
  const problems: Problem[] = [];
  for (const rule of LIVE_RULES) rule.check(definition, facts, (r) => problems.push(problemOf(rule, r)));
  return problems.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
}

/** Every rule, including those reported while reading (yaml-syntax, unknown-key, ...). */
export const RULES: readonly RuleMeta[] = [yamlSyntax, unknownKey, missingKey, invalidValue, ...FILE_RULES, ...CROSS_FILE_RULES, ...LIVE_RULES].map(
  ({ id, severity, title }) => ({ id, severity, title }),
);

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** The rule with this id, or undefined. */
export function ruleById(id: string): RuleMeta | undefined {
  return BY_ID.get(id);
}
