/**
 * Writes a transition's effects in one statement: the changed activity rows, the changed
 * phase rows (with progress in `phase_metadata`), and one history row per status change.
 */
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
 * The `phase_metadata` key that holds a phase's progress, `{completed, skipped, total}`
 * (`progressOf`): written here on every transition that moves it, and by sync for the
 * phases it creates or whose activities it adds or deletes.
 */
export const PROGRESS_KEY = 'progress';

// Data-modifying CTEs all run, once, whether or not the final INSERT reads them: one
// round trip for the whole write. Arrays keep the statement the same for any number of rows.
const WRITE = `
WITH activities AS (
  UPDATE workflow_activities a
     SET status = v.status, started_at = v.started_at::timestamp, started_by = v.started_by,
         completed_at = v.completed_at::timestamp, completed_by = v.completed_by,
         blocked_reason = v.blocked_reason, revision_reason = v.revision_reason,
         updated_at = $1::timestamp, updated_by = $2
    FROM unnest($3::int[], $4::text[], $5::text[], $6::int[], $7::text[], $8::int[], $9::text[], $10::text[])
         AS v(id, status, started_at, started_by, completed_at, completed_by, blocked_reason, revision_reason)
   WHERE a.activity_id = v.id
  RETURNING a.activity_id
), phases AS (
  UPDATE workflow_phases p
     SET status = v.status, started_at = v.started_at::timestamp, started_by = v.started_by,
         completed_at = v.completed_at::timestamp, completed_by = v.completed_by,
         updated_at = $1::timestamp, updated_by = $2,
         -- Progress is merged into phase_metadata (a json column), so other keys are kept.
         phase_metadata = CASE WHEN v.progress IS NULL THEN p.phase_metadata
                               ELSE (COALESCE(p.phase_metadata::jsonb, '{}'::jsonb) || jsonb_build_object('${PROGRESS_KEY}', v.progress::jsonb))::json END
    FROM unnest($11::int[], $12::text[], $13::text[], $14::int[], $15::text[], $16::int[], $17::text[])
         AS v(id, status, started_at, started_by, completed_at, completed_by, progress)
   WHERE p.phase_id = v.id
  RETURNING p.phase_id
)
INSERT INTO workflow_transition_history
       (cycle_id, report_id, phase_id, phase_name, activity_id, activity_name, entity, from_status, to_status, actor_id, reason, source, at)
SELECT $18, $19, h.phase_id, h.phase_name, h.activity_id, h.activity_name, h.entity, h.from_status, h.to_status, $2, h.reason, $20, $1::timestamp
  FROM unnest($21::int[], $22::text[], $23::int[], $24::text[], $25::text[], $26::text[], $27::text[], $28::text[]) WITH ORDINALITY
       AS h(phase_id, phase_name, activity_id, activity_name, entity, from_status, to_status, reason, n)
 WHERE (SELECT count(*) FROM activities) = $29 AND (SELECT count(*) FROM phases) = $30
 ORDER BY h.n
RETURNING history_id`;

/**
 * A row to update was gone (a concurrent sync removed a NOT_STARTED activity after we
 * read it): the transaction is rolled back and retried like a serialization failure.
 */
export class RowVanishedError extends Error {
  readonly code = '40001';
  constructor() {
    super('a row changed by this transition was removed concurrently');
  }
}

/**
 * Writes what differs between `before` and `after` (rows of the same instance, same
 * order) and one history row per change; resolves to the history ids, in change order.
 */
export async function writeTransition(tx: Queryable, before: InstanceSnapshot, after: InstanceSnapshot, changes: readonly StatusChange[], who: Provenance): Promise<number[]> {
  const acts: (string | number | null)[][] = [[], [], [], [], [], [], [], []];
  const phases: (string | number | null)[][] = [[], [], [], [], [], [], []];
  after.phases.forEach((phase, i) => {
    const old = before.phases[i]!;
    if (phase === old) return;
    phase.activities.forEach((a, j) => {
      if (a === old.activities[j]) return;
      [a.id, a.status, a.startedAt, a.startedBy, a.completedAt, a.completedBy, a.blockedReason, a.revisionReason].forEach((v, c) => acts[c]!.push(v));
    });
    // The phase row is written only when its own state or its progress moved: starting or
    // blocking an activity leaves it (and its listeners) alone.
    const progress = progressOf(phase);
    const was = progressOf(old);
    const progressMoved = progress.completed !== was.completed || progress.skipped !== was.skipped || progress.total !== was.total;
    const stateMoved = phase.status !== old.status || phase.startedAt !== old.startedAt || phase.completedAt !== old.completedAt;
    if (!progressMoved && !stateMoved) return;
    [phase.id, phase.status, phase.startedAt, phase.startedBy, phase.completedAt, phase.completedBy, JSON.stringify(progress)].forEach((v, c) => phases[c]!.push(v));
  });
  const byName = new Map(after.phases.map((p) => [p.name, p]));
  const history: (string | number | null)[][] = [[], [], [], [], [], [], [], []];
  for (const c of changes) {
    const phase = byName.get(c.phase)!;
    const activity = c.activity === null ? null : phase.activities.find((a) => a.name === c.activity) ?? null;
    [phase.id, phase.name, activity?.id ?? null, c.activity, c.entity, c.from, c.to, c.reason].forEach((v, k) => history[k]!.push(v));
  }
  const { rows } = await tx.query<{ history_id: number }>(WRITE, [who.at, who.actorId, ...acts, ...phases, after.cycleId, after.reportId, who.source, ...history, acts[0]!.length, phases[0]!.length], { name: 'wp_transition_write' });
  if (rows.length !== changes.length) throw new RowVanishedError();
  return rows.map((r) => r.history_id);
}
