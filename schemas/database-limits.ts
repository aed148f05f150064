/**
 * What the database can store, as part of the definition-file contract: a value the
 * columns of `schemas/migrations/` would refuse must be refused by `validate` first,
 * at the value, instead of failing inside `sync`. A test holds these numbers to the
 * migrations' `VARCHAR(n)` and `INTEGER` columns. Imports nothing.
 */

/** `workflow_phases.phase_name VARCHAR(100)`. */
export const MAX_PHASE_NAME_LENGTH = 100;

/** `workflow_activities.activity_name VARCHAR(255)`. */
export const MAX_ACTIVITY_NAME_LENGTH = 255;

/** `workflow_definitions.workflow_name` / `workflow_instances.workflow_name VARCHAR(255)`. */
export const MAX_WORKFLOW_NAME_LENGTH = 255;

/** `test_cycles.cycle_name` and `reports.report_name VARCHAR(255)`. */
export const MAX_REFERENCE_NAME_LENGTH = 255;

/** The largest `INTEGER` (the ids of `test_cycles` and `reports`, `activity_order`). */
export const MAX_INTEGER = 2_147_483_647;

/**
 * Text without a NUL character: PostgreSQL's text types cannot hold one, and `jsonb`
 * (where the resolved definition is kept) refuses `\u0000`.
 */
export const NO_NUL = /^[^\u0000]*$/;

/** Keys of `phase_metadata` that sync, transitions and the legacy migration write themselves. */
export const RESERVED_METADATA_KEYS = ['definition', 'progress', 'legacy'] as const;
