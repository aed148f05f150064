/** Every rule, by id. Adding a rule: a file here, an entry below, docs/rules/<id>.md, fixtures. */
import type { FileAnalysis } from '../validate';
import type { FileRule, Report, RuleMeta } from './rule';

/** A rule over all files of a workspace. */
export interface CrossFileRule extends RuleMeta {
  check(files: readonly FileAnalysis[], report: (file: string, r: Report) => void): void;
}

/** Rules run on each file's typed definition, in this order. */
export const FILE_RULES: readonly FileRule[] = [];

/** Rules run across files. */
export const CROSS_FILE_RULES: readonly CrossFileRule[] = [];

/** Every rule, including those reported while reading (yaml-syntax, unknown-key, ...). */
export const RULES: readonly RuleMeta[] = [];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** The rule with this id, or undefined. */
export function ruleById(id: string): RuleMeta | undefined {
  return BY_ID.get(id);
}
