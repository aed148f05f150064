/**
 * The change notifications the 0002 triggers send on every insert or update of a phase
 * or an activity, and a reader for their payload. See
 * schemas/migrations/0002-change-notifications.sql for when one is sent per row and when
 * one per instance.
 */

/** The channel every change is announced on. */
export const CHANGES_CHANNEL = 'workflow_phases_changes';

/**
 * One change notification. For a statement that changed several rows of one (cycle,
 * report), `phase_id`, `activity_id` and `status` are null and `rows` gives the count:
 * the listener should reload that instance.
 */
export interface ChangeNotification {
  readonly table: 'workflow_phases' | 'workflow_activities';
  readonly op: 'INSERT' | 'UPDATE';
  readonly cycle_id: number;
  readonly report_id: number;
  readonly phase_id: number | null;
  readonly activity_id: number | null;
  readonly status: string | null;
  readonly rows: number;
}

/** Reads a payload; null when it is not one of ours (another sender on the channel). */
export function parseChangeNotification(payload: string): ChangeNotification | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const table = v.table;
  const op = v.op;
  if ((table !== 'workflow_phases' && table !== 'workflow_activities') || (op !== 'INSERT' && op !== 'UPDATE')) return null;
  if (typeof v.cycle_id !== 'number' || typeof v.report_id !== 'number') return null;
  const idOrNull = (x: unknown) => (typeof x === 'number' ? x : null);
  return {
    table,
    op,
    cycle_id: v.cycle_id,
    report_id: v.report_id,
    phase_id: idOrNull(v.phase_id),
    activity_id: idOrNull(v.activity_id),
    status: typeof v.status === 'string' ? v.status : null,
    rows: typeof v.rows === 'number' ? v.rows : 1,
  };
}
