/** Every rule, by id. Adding a rule: a file here, an entry below, docs/rules/<id>.md, fixtures. */
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
import { missingKey } from './missing-key';
import { missingPhase } from './missing-phase';
import { phaseOrder } from './phase-order';
import type { FileRule, Report, RuleMeta } from './rule';
import { segregationOfDuties } from './segregation-of-duties';
import { startActivity } from './start-activity';
import { unknownDependency } from './unknown-dependency';
import { unknownKey } from './unknown-key';
import { unknownPhase } from './unknown-phase';
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

/** Every rule, including those reported while reading (yaml-syntax, unknown-key, ...). */
export const RULES: readonly RuleMeta[] = [yamlSyntax, unknownKey, missingKey, invalidValue, ...FILE_RULES, ...CROSS_FILE_RULES].map(
  ({ id, severity, title }) => ({ id, severity, title }),
);

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** The rule with this id, or undefined. */
export function ruleById(id: string): RuleMeta | undefined {
  return BY_ID.get(id);
}
