/** For the CodeLens above each phase: where that phase stands across a workflow's instances. */
import type { Queryable } from '../database';

/** One phase's counts across the instances that follow a workflow. */
export interface PhaseCounts {
  /** IN_PROGRESS with no activity BLOCKED. */
  readonly inProgress: number;
  /** IN_PROGRESS with at least one activity BLOCKED. */
  readonly blocked: number;
  readonly completed: number;
  readonly skipped: number;
  readonly notStarted: number;
}

interface Row {
  phase_name: string;
  in_progress: number;
  blocked: number;
  completed: number;
  skipped: number;
  not_started: number;
}

/** The counts of every phase of `workflow`'s instances, by phase name (empty when it has none). */
export async function phaseCounts(q: Queryable, workflow: string): Promise<Map<string, PhaseCounts>> {
  const { rows } = await q.query<Row>(
    `SELECT p.phase_name,
            count(*) FILTER (WHERE p.status = 'IN_PROGRESS' AND NOT b.blocked)::int AS in_progress,
            count(*) FILTER (WHERE p.status = 'IN_PROGRESS' AND b.blocked)::int AS blocked,
            count(*) FILTER (WHERE p.status = 'COMPLETED')::int AS completed,
            count(*) FILTER (WHERE p.status = 'SKIPPED')::int AS skipped,
            count(*) FILTER (WHERE p.status = 'NOT_STARTED')::int AS not_started
       FROM workflow_instances i
       JOIN workflow_phases p ON p.cycle_id = i.cycle_id AND p.report_id = i.report_id
       CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM workflow_activities a WHERE a.phase_id = p.phase_id AND a.status = 'BLOCKED') AS blocked) b
      WHERE i.workflow_name = $1
      GROUP BY p.phase_name`,
    [workflow],
  );
  return new Map(rows.map((r) => [r.phase_name, { inProgress: r.in_progress, blocked: r.blocked, completed: r.completed, skipped: r.skipped, notStarted: r.not_started }]));
}
