/**
 * Typed definitions read from a `*.phases.yaml` file. Every value keeps the exact
 * span it came from, so each rule can point at the offending key or value.
 */
import type { Span } from '../problem';

/** A value and where it stands in the source. `keySpan` is the span of its key, when it has one. */
export interface Located<T> {
  readonly value: T;
  readonly span: Span;
  readonly keySpan?: Span;
}

/** One activity of a phase, as written. */
export interface ActivityDefinition {
  /** 0-based position in the phase's `activities` list. */
  readonly index: number;
  readonly name?: Located<string>;
  readonly type?: Located<string>;
  readonly role?: Located<string>;
  readonly required?: Located<boolean>;
  readonly description?: Located<string>;
  /** An explicit `order:` (must equal the 1-based list position). */
  readonly order?: Located<number>;
  /** The whole list item. */
  readonly span: Span;
}

/** One phase, as written. */
export interface PhaseDefinition {
  /** 0-based position in the `phases` list. */
  readonly index: number;
  readonly name?: Located<string>;
  readonly order?: Located<number>;
  readonly title?: Located<string>;
  readonly riskLevel?: Located<string>;
  readonly slaHours?: Located<number>;
  /** Present only when `depends_on` is written; each entry with its span. */
  readonly dependsOn?: Located<readonly Located<string>[]>;
  readonly skippable?: Located<boolean>;
  readonly metadata?: Located<Readonly<Record<string, unknown>>>;
  readonly activities: readonly ActivityDefinition[];
  /** The `activities` key, when written. */
  readonly activitiesKeySpan?: Span;
  /** The whole list item. */
  readonly span: Span;
}

/** One `applies_to` entry: a test cycle and the reports that follow this workflow in it. */
export interface InstanceClaim {
  readonly cycle?: Located<string | number>;
  readonly reports: readonly Located<string | number>[];
  readonly span: Span;
}

/** A whole definition file. */
export interface WorkflowDefinition {
  readonly version?: Located<number>;
  readonly workflow?: Located<string>;
  readonly phases: readonly PhaseDefinition[];
  /** The `phases` key, when written. */
  readonly phasesKeySpan?: Span;
  readonly appliesTo: readonly InstanceClaim[];
  /** The whole document's root mapping (or the file, when it has none). */
  readonly span: Span;
}
