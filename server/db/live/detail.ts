/**
 * One instance in full for the editor: its phases and activities as the transitions
 * engine reads them (`viewInstance`), with who/when, progress, risk and SLA. Where the
 * definition of each node is written is added by the language server, which knows the files.
 */
import { standardPhase } from '../../core/index';
import type { ActivityState, InstanceSnapshot, PhaseState } from '../../core/index';
import type { ActivityNode, InstanceSummary, PhaseNode, Stamp } from '../../../schemas/lsp-protocol';
import type { Database } from '../database';
import type { InstanceKey } from '../transitions/index';
import { viewInstance } from '../transitions/index';
import { OVERDUE, SLA_DUE, SLA_HOURS } from './sla';

/** An activity without its definition location. */
export type ActivityData = Omit<ActivityNode, 'definition'>;
/** A phase without definition locations. */
export type PhaseData = Omit<PhaseNode, 'definition' | 'activities'> & { readonly activities: readonly ActivityData[] };
/** An instance without definition locations. */
export type InstanceData = InstanceSummary & { readonly phases: readonly PhaseData[] };

interface PhaseFacts {
  phase_id: number;
  cycle_name: string;
  report_name: string;
  sla_hours: number | null;
  sla_due: Date | null;
  overdue: boolean;
}

/** A timestamp the engine reads (`YYYY-MM-DDTHH:MI:SS.US`, UTC) as ISO 8601 with a zone. */
function iso(at: string): string {
  return new Date(`${at}Z`).toISOString();
}

function stamp(snapshot: InstanceSnapshot, at: string | null, by: number | null): Stamp | null {
  if (at === null) return null;
  return { at: iso(at), by: by === null ? null : (snapshot.userNames?.[by] ?? `user ${by}`) };
}

function activityData(snapshot: InstanceSnapshot, a: ActivityState): ActivityData {
  return {
    activityId: a.id ?? 0,
    name: a.name,
    type: a.type,
    order: a.order,
    status: a.status,
    required: a.required,
    role: a.role,
    started: stamp(snapshot, a.startedAt, a.startedBy),
    completed: stamp(snapshot, a.completedAt, a.completedBy),
    blockedReason: a.blockedReason,
    revisionReason: a.revisionReason,
  };
}

/** Required work done of required work: START and COMPLETE are markers, not work. */
function progress(phase: PhaseState): { done: number; total: number } {
  const work = phase.activities.filter((a) => a.required && a.type !== 'START' && a.type !== 'COMPLETE');
  return { done: work.filter((a) => a.status === 'COMPLETED' || a.status === 'SKIPPED').length, total: work.length };
}

/** The instance `key` with its phases and activities; null when it has no phase rows. */
export async function readInstanceDetail(db: Database, key: InstanceKey): Promise<InstanceData | null> {
  const view = await viewInstance(db, key);
  if (!view) return null;
  const { snapshot } = view;
  const { rows } = await db.query<PhaseFacts>(
    `SELECT p.phase_id, c.cycle_name, r.report_name, ${SLA_HOURS} AS sla_hours, ${SLA_DUE} AS sla_due, ${OVERDUE} AS overdue
       FROM workflow_phases p
       JOIN test_cycles c ON c.cycle_id = p.cycle_id
       JOIN reports r ON r.id = p.report_id
      WHERE p.cycle_id = $1 AND p.report_id = $2`,
    [key.cycleId, key.reportId],
  );
  const facts = new Map(rows.map((r) => [r.phase_id, r]));
  const phases: PhaseData[] = snapshot.phases.map((p) => {
    const f = p.id === null ? undefined : facts.get(p.id);
    return {
      phaseId: p.id ?? 0,
      name: p.name,
      order: p.order,
      title: standardPhase(p.name)?.title ?? p.name,
      status: p.status,
      riskLevel: p.riskLevel,
      started: stamp(snapshot, p.startedAt, p.startedBy),
      completed: stamp(snapshot, p.completedAt, p.completedBy),
      progress: progress(p),
      slaHours: f?.sla_hours ?? null,
      slaDue: f?.sla_due ? f.sla_due.toISOString() : null,
      overdue: f?.overdue ?? false,
      activities: p.activities.map((a) => activityData(snapshot, a)),
    };
  });
  const first = rows[0];
  const inProgress = phases.filter((p) => p.status === 'IN_PROGRESS');
  return {
    cycleId: key.cycleId,
    cycle: first?.cycle_name ?? String(key.cycleId),
    reportId: key.reportId,
    report: first?.report_name ?? String(key.reportId),
    workflow: snapshot.workflow,
    done: phases.filter((p) => p.status === 'COMPLETED' || p.status === 'SKIPPED').length,
    total: phases.length,
    inProgress: inProgress.length,
    blocked: phases.reduce((n, p) => n + p.activities.filter((a) => a.status === 'BLOCKED').length, 0),
    overdue: phases.filter((p) => p.overdue).length,
    current: (inProgress[0] ?? phases.find((p) => p.status === 'NOT_STARTED'))?.name ?? null,
    phases,
  };
}
