/** Writes a transition's effects: changed phase and activity rows, progress, one history row per status change. */
import { progressOf } from '../../core/index';
import type { InstanceSnapshot, StatusChange } from '../../core/index';
import type { Queryable } from '../database';

/** Who and where a transition came from, for the history. */
export interface Provenance {
  readonly actorId: number | null;
  /** `cli`, `vscode`, `api`, … */
  readonly source: string;
  /** The transaction's clock reading (`TS_FORMAT` text). */
  readonly at: string;
}

/**
 * Writes what differs between `before` and `after` (rows of the same instance, same
 * order) and one history row per change; resolves to the history ids, in change order.
 */
export async function writeTransition(tx: Queryable, before: InstanceSnapshot, after: InstanceSnapshot, changes: readonly StatusChange[], who: Provenance): Promise<number[]> {
  for (let i = 0; i < after.phases.length; i++) {
    const old = before.phases[i]!;
    const phase = after.phases[i]!;
    const activityChanged = phase.activities.some((a, j) => a !== old.activities[j]);
    for (let j = 0; j < phase.activities.length; j++) {
      const a = phase.activities[j]!;
      if (a === old.activities[j]) continue;
      await tx.query(
        `UPDATE workflow_activities
            SET status = $2, started_at = $3::timestamp, started_by = $4, completed_at = $5::timestamp, completed_by = $6,
                blocked_reason = $7, revision_reason = $8, updated_at = $9::timestamp, updated_by = $10
          WHERE activity_id = $1`,
        [a.id, a.status, a.startedAt, a.startedBy, a.completedAt, a.completedBy, a.blockedReason, a.revisionReason, who.at, who.actorId],
      );
    }
    if (phase === old) continue;
    // Progress lives in phase_metadata (a json column): merged, so other keys are kept.
    const progress = activityChanged ? JSON.stringify(progressOf(phase)) : null;
    await tx.query(
      `UPDATE workflow_phases
          SET status = $2, started_at = $3::timestamp, started_by = $4, completed_at = $5::timestamp, completed_by = $6,
              updated_at = $7::timestamp, updated_by = $8,
              phase_metadata = CASE WHEN $9::jsonb IS NULL THEN phase_metadata
                                    ELSE (COALESCE(phase_metadata::jsonb, '{}'::jsonb) || jsonb_build_object('progress', $9::jsonb))::json END
        WHERE phase_id = $1`,
      [phase.id, phase.status, phase.startedAt, phase.startedBy, phase.completedAt, phase.completedBy, who.at, who.actorId, progress],
    );
  }
  if (changes.length === 0) return [];
  const ids = new Map(after.phases.map((p) => [p.name, p]));
  const params: unknown[] = [after.cycleId, after.reportId, who.actorId, who.source, who.at];
  const rows = changes.map((c) => {
    const phase = ids.get(c.phase)!;
    const activity = c.activity === null ? null : phase.activities.find((a) => a.name === c.activity)!;
    const n = params.push(phase.id, phase.name, activity?.id ?? null, c.activity, c.entity, c.from, c.to, c.reason);
    return `($1, $2, $${n - 7}, $${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $3, $${n}, $4, $5::timestamp)`;
  });
  const { rows: inserted } = await tx.query<{ history_id: number }>(
    `INSERT INTO workflow_transition_history
       (cycle_id, report_id, phase_id, phase_name, activity_id, activity_name, entity, from_status, to_status, actor_id, reason, source, at)
     VALUES ${rows.join(', ')} RETURNING history_id`,
    params,
  );
  return inserted.map((r) => r.history_id);
}
