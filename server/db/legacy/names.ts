/**
 * What the legacy databases look like: the per-phase table names, the column spellings
 * they used for the columns that have a home in `workflow_phases`, and the old status
 * spellings. Data only; discovery and the SQL read it from here.
 */
import type { PhaseName, PhaseStatus } from '../../core/index';

/** The known legacy phase tables and the unified phase each one becomes. */
export const KNOWN_PHASE_TABLES: Readonly<Record<string, PhaseName>> = {
  planning_phases: 'planning',
  scoping_phases: 'scoping',
  data_owner_phases: 'data_request',
  data_provider_phases: 'data_request',
  data_profiling_phases: 'data_profiling',
  sample_selection_phases: 'sample_selection',
  request_info_phases: 'request_info',
  cycle_report_request_info_phases: 'request_info',
  test_execution_phases: 'test_execution',
  testing_execution_phases: 'test_execution',
  observation_management_phases: 'observation_mgmt',
  test_report_phases: 'test_report',
};

/** The prefix of the per-(cycle, report) data tables that gain a `phase_id`. */
export const DATA_TABLE_PREFIX = 'cycle_report_';

/**
 * Words that follow `cycle_report_` in a data table's name, and the phase they mean.
 * The longest matching word wins (`data_profiling` before `data`).
 */
export const DATA_TABLE_WORDS: Readonly<Record<string, PhaseName>> = {
  planning: 'planning',
  attributes: 'planning',
  scoping: 'scoping',
  data_request: 'data_request',
  data_owner: 'data_request',
  data_provider: 'data_request',
  data_profiling: 'data_profiling',
  profiling: 'data_profiling',
  sample_selection: 'sample_selection',
  samples: 'sample_selection',
  request_info: 'request_info',
  rfi: 'request_info',
  test_execution: 'test_execution',
  testing_execution: 'test_execution',
  test_cases: 'test_execution',
  observation_management: 'observation_mgmt',
  observation_mgmt: 'observation_mgmt',
  observations: 'observation_mgmt',
  test_report: 'test_report',
};

/** The `workflow_phases` columns a legacy column can fill. */
export const UNIFIED_COLUMNS = [
  'cycle_id',
  'report_id',
  'status',
  'started_at',
  'started_by',
  'completed_at',
  'completed_by',
  'risk_level',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
] as const;

/** A `workflow_phases` column a legacy column can fill. */
export type UnifiedColumn = (typeof UNIFIED_COLUMNS)[number];

/** The kind of value a unified column holds; a legacy column of another kind is not mapped. */
export type ColumnKind = 'id' | 'time' | 'text';

/** What kind of value each unified column takes. */
export const COLUMN_KINDS: Readonly<Record<UnifiedColumn, ColumnKind>> = {
  cycle_id: 'id',
  report_id: 'id',
  status: 'text',
  started_at: 'time',
  started_by: 'id',
  completed_at: 'time',
  completed_by: 'id',
  risk_level: 'text',
  created_at: 'time',
  updated_at: 'time',
  created_by: 'id',
  updated_by: 'id',
};

/** Legacy spellings of each unified column, most likely first. */
export const COLUMN_SYNONYMS: Readonly<Record<UnifiedColumn, readonly string[]>> = {
  cycle_id: ['cycle_id', 'test_cycle_id'],
  report_id: ['report_id'],
  status: ['status', 'phase_status', 'state'],
  started_at: ['started_at', 'start_date', 'actual_start_date', 'start_time', 'started_on'],
  started_by: ['started_by', 'started_by_id', 'initiated_by'],
  completed_at: ['completed_at', 'completion_date', 'actual_end_date', 'end_date', 'completed_on'],
  completed_by: ['completed_by', 'completed_by_id'],
  risk_level: ['risk_level', 'risk_rating', 'risk'],
  created_at: ['created_at', 'created_on'],
  updated_at: ['updated_at', 'updated_on', 'modified_at'],
  created_by: ['created_by', 'created_by_id'],
  updated_by: ['updated_by', 'updated_by_id', 'modified_by'],
};

/** PostgreSQL `information_schema` data types accepted for each kind. */
export const KIND_TYPES: Readonly<Record<ColumnKind, readonly string[]>> = {
  id: ['integer', 'smallint', 'bigint'],
  time: ['timestamp without time zone', 'timestamp with time zone', 'date'],
  // USER-DEFINED: an enum of status values; it is read as text.
  text: ['character varying', 'text', 'character', 'USER-DEFINED'],
};

/**
 * Old status spellings, normalised (upper case, runs of other characters as `_`), and
 * the unified phase status each means. The config file can add more.
 */
export const STATUS_SPELLINGS: Readonly<Record<string, PhaseStatus>> = {
  '': 'NOT_STARTED',
  NOT_STARTED: 'NOT_STARTED',
  NOTSTARTED: 'NOT_STARTED',
  PENDING: 'NOT_STARTED',
  NEW: 'NOT_STARTED',
  TODO: 'NOT_STARTED',
  IN_PROGRESS: 'IN_PROGRESS',
  INPROGRESS: 'IN_PROGRESS',
  STARTED: 'IN_PROGRESS',
  ACTIVE: 'IN_PROGRESS',
  IN_REVIEW: 'IN_PROGRESS',
  UNDER_REVIEW: 'IN_PROGRESS',
  COMPLETE: 'COMPLETED',
  COMPLETED: 'COMPLETED',
  DONE: 'COMPLETED',
  FINISHED: 'COMPLETED',
  CLOSED: 'COMPLETED',
  SKIPPED: 'SKIPPED',
  SKIP: 'SKIPPED',
  NOT_APPLICABLE: 'SKIPPED',
  N_A: 'SKIPPED',
  NA: 'SKIPPED',
  WAIVED: 'SKIPPED',
};

/** Normalises a status spelling the way the SQL does, for config keys and messages. */
export function statusKey(spelling: string): string {
  return spelling
    .trim()
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** The phase a `cycle_report_*` table belongs to by its name, or undefined. */
export function phaseOfDataTableName(table: string): PhaseName | undefined {
  if (!table.startsWith(DATA_TABLE_PREFIX)) return undefined;
  const rest = table.slice(DATA_TABLE_PREFIX.length);
  let best: { word: string; phase: PhaseName } | undefined;
  for (const [word, phase] of Object.entries(DATA_TABLE_WORDS)) {
    const matches = rest === word || rest.startsWith(`${word}_`) || rest.endsWith(`_${word}`) || rest.includes(`_${word}_`);
    if (matches && (!best || word.length > best.word.length)) best = { word, phase };
  }
  return best?.phase;
}
