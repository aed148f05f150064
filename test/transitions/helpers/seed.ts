/**
 * Creates workflow instances the way the sync engine does (all 9 phases and every
 * activity NOT_STARTED, the resolved definition recorded), set-based so a benchmark
 * can make thousands. Also users with every role.
 */
import { createHash } from 'node:crypto';
import type { ResolvedWorkflow } from '../../../server/core/index';
import type { Database } from '../../../server/db/database';

/** The users created by `seedUsers`, by role, with their ids. */
export type SeededUsers = Readonly<Record<'tester' | 'executive' | 'owner' | 'reportExecutive' | 'dataOwner' | 'admin' | 'noRole', { id: number; email: string }>>;

const USERS: readonly [keyof SeededUsers, string, string | null][] = [
  ['tester', 'tess@example.com', 'tester'],
  ['executive', 'ed@example.com', 'test_executive'],
  ['owner', 'olga@example.com', 'report_owner'],
  ['reportExecutive', 'rex@example.com', 'report_executive'],
  ['dataOwner', 'dora@example.com', 'data_owner'],
  ['admin', 'ada@example.com', 'admin'],
  ['noRole', 'nora@example.com', null],
];

/** Inserts one user per role (and one without). */
export async function seedUsers(db: Database): Promise<SeededUsers> {
  const out: Record<string, { id: number; email: string }> = {};
  for (const [key, email, role] of USERS) {
    const { rows } = await db.query<{ user_id: number }>('INSERT INTO users (email, name, role) VALUES ($1, $2, $3) RETURNING user_id', [email, email.split('@')[0], role]);
    out[key] = { id: rows[0]!.user_id, email };
  }
  return out as SeededUsers;
}

/** Creates the cycle (when missing), the reports and one instance of `workflow` per report; resolves to the report ids. */
export async function seedInstances(db: Database, workflow: ResolvedWorkflow, cycleName: string, reportNames: readonly string[]): Promise<{ cycleId: number; reportIds: number[] }> {
  return db.transaction(async (tx) => {
    await tx.query('INSERT INTO test_cycles (cycle_name) VALUES ($1) ON CONFLICT (cycle_name) DO NOTHING', [cycleName]);
    const cycle = await tx.query<{ cycle_id: number }>('SELECT cycle_id FROM test_cycles WHERE cycle_name = $1', [cycleName]);
    const cycleId = cycle.rows[0]!.cycle_id;
    await tx.query(
      `INSERT INTO workflow_definitions (workflow_name, content_hash, definition, synced_by) VALUES ($1, $2, $3::jsonb, 'test')
       ON CONFLICT (workflow_name) DO UPDATE SET definition = EXCLUDED.definition, content_hash = EXCLUDED.content_hash`,
      [workflow.name, createHash('sha256').update(JSON.stringify(workflow)).digest('hex'), JSON.stringify(workflow)],
    );
    const reports = await tx.query<{ id: number }>('INSERT INTO reports (report_name) SELECT unnest($1::text[]) RETURNING id', [[...reportNames]]);
    const reportIds = reports.rows.map((r) => r.id);
    await tx.query('INSERT INTO workflow_instances (cycle_id, report_id, workflow_name) SELECT $1, unnest($2::int[]), $3', [cycleId, reportIds, workflow.name]);
    const phases = workflow.phases;
    await tx.query(
      `INSERT INTO workflow_phases (cycle_id, report_id, phase_name, phase_order, risk_level, phase_metadata)
       SELECT $1, r, p.name, p.ord, p.risk, json_build_object('progress', json_build_object('completed', 0, 'skipped', 0, 'total', p.total))
         FROM unnest($2::int[]) AS r CROSS JOIN unnest($3::text[], $4::int[], $5::text[], $6::int[]) AS p(name, ord, risk, total)
        ORDER BY r, p.ord`,
      [cycleId, reportIds, phases.map((p) => p.name), phases.map((p) => p.order), phases.map((p) => p.riskLevel), phases.map((p) => p.activities.length)],
    );
    const acts = phases.flatMap((p) => p.activities.map((a) => ({ phase: p.name, ...a })));
    await tx.query(
      `INSERT INTO workflow_activities (phase_id, activity_name, activity_type, activity_order, required, role)
       SELECT ph.phase_id, a.name, a.type, a.ord, a.req, a.role
         FROM workflow_phases ph
         JOIN unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::bool[], $8::text[]) AS a(phase, name, type, ord, req, role) ON a.phase = ph.phase_name
        WHERE ph.cycle_id = $1 AND ph.report_id = ANY($2::int[])
        ORDER BY ph.phase_id, a.ord`,
      [cycleId, reportIds, acts.map((a) => a.phase), acts.map((a) => a.name), acts.map((a) => a.type), acts.map((a) => a.order), acts.map((a) => a.required), acts.map((a) => a.role)],
    );
    return { cycleId, reportIds };
  });
}
