/** What every rule declares, and what a rule's check sees. */
import type { WorkflowDefinition } from '../definition/types';
import type { Problem, ProblemData, RelatedLocation, Severity, Span } from '../problem';

/** A rule's identity: stable kebab-case id, default severity and one-line title. */
export interface RuleMeta {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
}

/** What a rule reports; severity defaults to the rule's own. */
export interface Report {
  readonly message: string;
  readonly span: Span;
  readonly severity?: Severity;
  readonly related?: readonly RelatedLocation[];
  readonly data?: ProblemData;
}

/** A rule over one file's typed definition. */
export interface FileRule extends RuleMeta {
  check(definition: WorkflowDefinition, report: (r: Report) => void): void;
}

/** Makes a problem of `rule` from a report. */
export function problemOf(rule: RuleMeta, r: Report): Problem {
  return {
    rule: rule.id,
    severity: r.severity ?? rule.severity,
    message: r.message,
    span: r.span,
    ...(r.related ? { related: r.related } : {}),
    ...(r.data ? { data: r.data } : {}),
  };
}
