/**
 * Rules over live facts: what the database says about a definition file's workflow
 * (the refusals and unknown references of a dry-run sync), gathered by the server while a
 * database is connected and handed in as plain data, so the rules stay pure.
 */
import type { WorkflowDefinition } from '../definition/types';
import type { RuleMeta, Report } from './rule';

/** A change sync would refuse because it would lose progress, on one instance. */
export interface LiveRefusal {
  readonly reason: 'remove-started-activity' | 'retype-started-activity' | 'remove-started-phase';
  readonly phase: string;
  /** Null for a phase. */
  readonly activity: string | null;
  /** The stored status that makes the change unsafe (for a phase, e.g. `NOT_STARTED with 2 started activities`). */
  readonly status: string;
  /** `<cycle>/<report>`. */
  readonly instance: string;
}

/** An `applies_to` cycle or report that names no row. */
export interface LiveUnknown {
  readonly kind: 'cycle' | 'report';
  /** As written in `applies_to`: a name, or a number (an id). */
  readonly value: string | number;
}

/** What the database says about one file's workflow. */
export interface LiveFacts {
  readonly refusals: readonly LiveRefusal[];
  readonly unknown: readonly LiveUnknown[];
}

/** A rule over a file's definition and its live facts. */
export interface LiveRule extends RuleMeta {
  check(definition: WorkflowDefinition, facts: LiveFacts, report: (r: Report) => void): void;
}

/** The message of an `applies_to` cycle or report that names no row. */
export function unknownRowMessage(what: 'Test cycle' | 'Report', value: string | number): string {
  return `${what} ${typeof value === 'number' ? `id ${value}` : `'${value}'`} does not exist in the database: sync cannot create its instances until it does (create it in the host application; in a standalone database, Create Instances can create it).`;
}
