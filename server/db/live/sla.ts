/**
 * SQL fragments for a phase's SLA: `sla_hours` as sync stores it in
 * `phase_metadata.definition`, the due time (`started_at + sla_hours`), and whether an
 * IN_PROGRESS phase is past it. Times compare with `LOCALTIMESTAMP`, the same clock
 * basis transitions write `started_at` with (`clock_timestamp()::timestamp`).
 */

/** `sla_hours` of the phase row aliased `p` as float8; NULL when absent or not a number. */
export const SLA_HOURS = `CASE WHEN json_typeof(p.phase_metadata -> 'definition' -> 'sla_hours') = 'number'
  THEN (p.phase_metadata -> 'definition' ->> 'sla_hours')::float8 END`;

/** When the phase aliased `p` is due: `started_at + sla_hours`; NULL when not started or without an SLA. */
export const SLA_DUE = `(p.started_at + (${SLA_HOURS}) * interval '1 hour')`;

/** True when the phase aliased `p` is IN_PROGRESS and past its due time. */
export const OVERDUE = `(p.status = 'IN_PROGRESS' AND COALESCE(${SLA_DUE} < LOCALTIMESTAMP, false))`;
