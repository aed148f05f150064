/**
 * The fixed 9-phase model of regulatory-report testing, as data: part of the contract.
 * Everything that knows a phase name, an order, an enum value or a role reads it from
 * here (the core through `server/core/model.ts`, which re-exports it). Imports nothing.
 */

/** The nine standard phase names, in standard order. */
export const PHASE_NAMES = [
  'planning',
  'scoping',
  'data_request',
  'data_profiling',
  'sample_selection',
  'request_info',
  'test_execution',
  'observation_mgmt',
  'test_report',
] as const;

/** A standard phase name. */
export type PhaseName = (typeof PHASE_NAMES)[number];

/** One standard phase: its name, 1-based order and title. */
export interface StandardPhase {
  readonly name: PhaseName;
  readonly order: number;
  readonly title: string;
  readonly summary: string;
}

/** The standard phases, in order, with their titles. */
export const STANDARD_PHASES: readonly StandardPhase[] = [
  { name: 'planning', order: 1, title: 'Report Planning & Attribute Definition', summary: 'Load the report attributes and agree what will be tested.' },
  { name: 'scoping', order: 2, title: 'Scoping & Risk Assessment', summary: 'Decide which attributes are in scope and rate their risk.' },
  { name: 'data_request', order: 3, title: 'Data Request to CDOs', summary: 'Ask the chief data owners for the data behind the scoped attributes.' },
  { name: 'data_profiling', order: 4, title: 'Data Profiling & Quality Assessment', summary: 'Profile the data received and assess its quality.' },
  { name: 'sample_selection', order: 5, title: 'Sample Selection', summary: 'Choose the samples that will be tested.' },
  { name: 'request_info', order: 6, title: 'Request for Information', summary: 'Collect source evidence for each sample.' },
  { name: 'test_execution', order: 7, title: 'Test Execution', summary: 'Test each sample against its evidence.' },
  { name: 'observation_mgmt', order: 8, title: 'Observation Management', summary: 'Raise, review and resolve the observations found.' },
  { name: 'test_report', order: 9, title: 'Test Report Generation', summary: 'Write, review and sign off the test report.' },
];

const PHASE_BY_NAME = new Map<string, StandardPhase>(STANDARD_PHASES.map((p) => [p.name, p]));

/** The standard phase called `name`, or undefined when the name is not one of the nine. */
export function standardPhase(name: string): StandardPhase | undefined {
  return PHASE_BY_NAME.get(name);
}

/** Activity types, with what each means. */
export const ACTIVITY_TYPES = {
  START: 'Opens the phase: starting it starts the phase. Exactly one, first.',
  TASK: 'A unit of work done by the named role.',
  REVIEW: 'A check of earlier work in the phase.',
  APPROVAL: 'A sign-off by an approver role; rejecting it sends the work back for revision.',
  COMPLETE: 'Closes the phase: completing it completes the phase. Exactly one, last.',
  CUSTOM: 'Any other step the team tracks.',
} as const;

/** An activity type. */
export type ActivityType = keyof typeof ACTIVITY_TYPES;

/** Activity statuses, with what each means. */
export const ACTIVITY_STATUSES = {
  NOT_STARTED: 'Not started yet.',
  IN_PROGRESS: 'Being worked on.',
  COMPLETED: 'Done.',
  BLOCKED: 'Cannot go on until something outside it is resolved.',
  SKIPPED: 'Not needed (optional activities only).',
  REVISION_REQUESTED: 'Sent back by an approver for rework.',
} as const;

/** An activity status. */
export type ActivityStatus = keyof typeof ACTIVITY_STATUSES;

/** Phase statuses, with what each means. */
export const PHASE_STATUSES = {
  NOT_STARTED: 'Not started yet.',
  IN_PROGRESS: 'Started; activities under way.',
  COMPLETED: 'Every required activity is done.',
  SKIPPED: 'Skipped, with a reason (skippable phases only).',
} as const;

/** A phase status. */
export type PhaseStatus = keyof typeof PHASE_STATUSES;

/** Risk levels, with what each means. */
export const RISK_LEVELS = {
  low: 'Low risk: lighter testing is acceptable.',
  medium: 'Medium risk: standard testing.',
  high: 'High risk: extended testing and senior review.',
} as const;

/** A risk level. */
export type RiskLevel = keyof typeof RISK_LEVELS;

/** Roles, with who they are. */
export const ROLES = {
  tester: 'Performs the testing work.',
  test_executive: 'Leads the testers; can reopen completed phases.',
  report_owner: 'Owns the regulatory report; approves its attributes and results.',
  report_executive: 'The executive accountable for the report.',
  data_owner: 'Owns source data and provides it on request.',
  data_executive: 'The chief data owner (CDO).',
  admin: 'Administers the workflow; can do anything.',
} as const;

/** A role. */
export type Role = keyof typeof ROLES;

/** True when `value` is a key of `table` (an enum value of the model). */
export function isMember<T extends object>(table: T, value: unknown): value is keyof T {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(table, value);
}
