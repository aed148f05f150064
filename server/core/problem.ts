/** Source positions and problems: the one range type of the core. */

/** A half-open range of UTF-16 offsets into a document's text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** How serious a problem is. */
export type Severity = 'error' | 'warning' | 'info';

/** Another place that explains a problem (the first duplicate, the phase depended on). */
export interface RelatedLocation {
  /** The file it is in; absent when it is the problem's own file. */
  readonly file?: string;
  readonly span: Span;
  readonly message: string;
}

/** Extra facts a rule attaches for quick fixes (a suggestion, the expected value). */
export type ProblemData = Readonly<Record<string, string | number | boolean | readonly string[]>>;

/** One diagnostic found in a definition file. */
export interface Problem {
  /** The stable kebab-case rule id, e.g. `unknown-phase`. */
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related?: readonly RelatedLocation[];
  readonly data?: ProblemData;
}

/** What every parse or check returns: a value, always, and the problems found. */
export interface Parsed<T> {
  readonly value: T;
  readonly problems: Problem[];
}
