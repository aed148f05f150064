/**
 * Demo data for `phasectl demo`: the host application's users, cycles and reports, and
 * some progress on the synced instances (with history rows), written as a transition
 * would write it.
 */
import type { Database, Queryable } from './database';

/** The demo's test cycles and reports. */
export const DEMO_CYCLES = ['2026-Q4', '2027-Q1'] as const;
/** The demo's reports. */
export const DEMO_REPORTS = ['FR-Y-14Q', 'FR-2052a', 'CCAR'] as const;

const USERS = [
  ['ana.tester@example.com', 'Ana Tester', 'tester'],
  ['ted.exec@example.com', 'Ted Executive', 'test_executive'],
  ['rita.owner@example.com', 'Rita Owner', 'report_owner'],
  ['dan.data@example.com', 'Dan Data', 'data_owner'],
] as const;

/** Creates the users, cycles and reports (kept when they exist already). */
export async function seedHostData(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO users (email, name, role) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.email = ANY($1::text[]))`,
    [USERS.map((u) => u[0]), USERS.map((u) => u[1]), USERS.map((u) => u[2])],
  );
  await db.query('INSERT INTO test_cycles (cycle_name) SELECT unnest($1::text[]) ON CONFLICT (cycle_name) DO NOTHING', [[...DEMO_CYCLES]]);
  await db.query('INSERT INTO reports (report_name) SELECT unnest($1::text[]) ON CONFLICT (report_name) DO NOTHING', [[...DEMO_REPORTS]]);
}

/** Progress to record on one phase of one instance. */
interface Progress {
  readonly cycle: string;
  readonly report: string;
  readonly phase: string;
  readonly phaseStatus: 'IN_PROGRESS' | 'COMPLETED';
  /** Activity name -> new status; the others stay NOT_STARTED. */
  readonly activities: Readonly<Record<string, string>>;
  readonly actor: string;
  readonly reason?: string;
}

const MOVE_ACTIVITIES = `
WITH target AS (
    SELECT a.activity_id, u.status, u.ord
    FROM unnest($1::text[], $2::text[], $3::int[]) AS u(name, status, ord)
    JOIN workflow_activities a ON a.activity_name = u.name
    JOIN workflow_phases p ON p.phase_id = a.phase_id
    JOIN test_cycles c ON c.cycle_id = p.cycle_id AND c.cycle_name = $4::text
    JOIN reports r ON r.id = p.report_id AND r.report_name = $5::text
    WHERE p.phase_name = $6::text
), moved AS (
    UPDATE workflow_activities a SET
        status = t.status,
        started_at = now() - make_interval(hours => 30 - t.ord),
        started_by = $7::int,
        completed_at = CASE WHEN t.status IN ('COMPLETED', 'SKIPPED') THEN now() - make_interval(hours => 29 - t.ord) END,
        completed_by = CASE WHEN t.status IN ('COMPLETED', 'SKIPPED') THEN $7::int END,
        blocked_reason = CASE WHEN t.status = 'BLOCKED' THEN $8::text END,
        updated_at = now(), updated_by = $7::int
    FROM target t WHERE a.activity_id = t.activity_id
    RETURNING a.activity_id, a.activity_name, a.phase_id, a.status, t.ord
)
INSERT INTO workflow_transition_history (cycle_id, report_id, phase_id, phase_name, activity_id, activity_name, entity, from_status, to_status, actor_id, reason, source)
SELECT p.cycle_id, p.report_id, p.phase_id, p.phase_name, m.activity_id, m.activity_name, 'activity', 'NOT_STARTED', m.status, $7::int,
       CASE WHEN m.status = 'BLOCKED' THEN $8::text END, 'demo'
FROM moved m JOIN workflow_phases p ON p.phase_id = m.phase_id
ORDER BY m.ord`;

const MOVE_PHASE = `
WITH moved AS (
    UPDATE workflow_phases p SET
        status = $3::text,
        started_at = now() - interval '30 hours', started_by = $5::int,
        completed_at = CASE WHEN $3::text = 'COMPLETED' THEN now() - interval '2 hours' END,
        completed_by = CASE WHEN $3::text = 'COMPLETED' THEN $5::int END,
        updated_at = now(), updated_by = $5::int
    FROM test_cycles c, reports r
    WHERE c.cycle_id = p.cycle_id AND c.cycle_name = $1::text AND r.id = p.report_id AND r.report_name = $2::text AND p.phase_name = $4::text
    RETURNING p.cycle_id, p.report_id, p.phase_id, p.phase_name, p.status
)
INSERT INTO workflow_transition_history (cycle_id, report_id, phase_id, phase_name, entity, from_status, to_status, actor_id, source)
SELECT cycle_id, report_id, phase_id, phase_name, 'phase', 'NOT_STARTED', status, $5::int, 'demo' FROM moved`;

async function record(tx: Queryable, p: Progress): Promise<void> {
  const actor = await tx.query<{ user_id: number }>('SELECT user_id FROM users WHERE email = $1', [p.actor]);
  const actorId = actor.rows[0]?.user_id ?? null;
  await tx.query(MOVE_PHASE, [p.cycle, p.report, p.phaseStatus, p.phase, actorId]);
  const names = Object.keys(p.activities);
  await tx.query(MOVE_ACTIVITIES, [names, names.map((n) => p.activities[n]), names.map((_, i) => i + 1), p.cycle, p.report, p.phase, actorId, p.reason ?? null]);
}

/** Moves the demo instances along: one finished planning and is scoping, one is blocked in planning. */
export async function advanceDemo(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await record(tx, {
      cycle: '2026-Q4', report: 'FR-Y-14Q', phase: 'planning', phaseStatus: 'COMPLETED', actor: 'ana.tester@example.com',
      activities: { start_planning: 'COMPLETED', load_attributes: 'COMPLETED', add_data_source: 'SKIPPED', review_attributes: 'COMPLETED', approve_attributes: 'COMPLETED', complete_planning: 'COMPLETED' },
    });
    await record(tx, {
      cycle: '2026-Q4', report: 'FR-Y-14Q', phase: 'scoping', phaseStatus: 'IN_PROGRESS', actor: 'ana.tester@example.com',
      activities: { start_scoping: 'COMPLETED', select_attributes: 'COMPLETED', assess_risk: 'IN_PROGRESS' },
    });
    await record(tx, {
      cycle: '2026-Q4', report: 'FR-2052a', phase: 'planning', phaseStatus: 'IN_PROGRESS', actor: 'ana.tester@example.com',
      activities: { start_planning: 'COMPLETED', load_attributes: 'BLOCKED' }, reason: 'waiting for the attribute list from the report owner',
    });
  });
}
