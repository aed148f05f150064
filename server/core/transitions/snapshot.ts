/**
 * A snapshot of one workflow instance (a cycle and a report): its nine phases and
 * their activities, with the definition facts the transition rules need. The rules
 * engine reads snapshots and returns new ones; it never touches a database.
 */
import type { ActivityStatus, ActivityType, PhaseStatus } from '../model';
import { PHASE_NAMES } from '../model';
import type { ResolvedWorkflow } from '../definition/resolved';

/** A moment, as a string that sorts in time order (ISO 8601 or PostgreSQL `timestamp::text`). */
export type Timestamp = string;

/** One activity of a phase: its live state and its definition facts. */
export interface ActivityState {
  /** The `workflow_activities.activity_id`; null in snapshots built without a database. */
  readonly id: number | null;
  readonly name: string;
  readonly type: ActivityType;
  readonly order: number;
  readonly status: ActivityStatus;
  readonly required: boolean;
  /** The role that does this activity; null when anyone may. */
  readonly role: string | null;
  readonly startedAt: Timestamp | null;
  readonly startedBy: number | null;
  readonly completedAt: Timestamp | null;
  readonly completedBy: number | null;
  readonly blockedReason: string | null;
  readonly revisionReason: string | null;
}

/** One phase: its live state, the definition facts (`dependsOn`, `skippable`) and its activities. */
export interface PhaseState {
  /** The `workflow_phases.phase_id`; null in snapshots built without a database. */
  readonly id: number | null;
  readonly name: string;
  readonly order: number;
  readonly status: PhaseStatus;
  readonly startedAt: Timestamp | null;
  readonly startedBy: number | null;
  readonly completedAt: Timestamp | null;
  readonly completedBy: number | null;
  readonly riskLevel: string | null;
  /** Phases that must be COMPLETED or SKIPPED before this one starts. */
  readonly dependsOn: readonly string[];
  readonly skippable: boolean;
  /** In `order`. */
  readonly activities: readonly ActivityState[];
}

/** One instance: a (cycle, report) pair following a workflow. */
export interface InstanceSnapshot {
  readonly cycleId: number | null;
  readonly reportId: number | null;
  /** The workflow it follows; null when none is recorded (default rules apply). */
  readonly workflow: string | null;
  /** In `order`. */
  readonly phases: readonly PhaseState[];
  /** Display names of the users named in `startedBy`/`completedBy`, for messages. */
  readonly userNames?: Readonly<Record<number, string>>;
}

/** Activities completed, skipped, and in all, kept in `phase_metadata.progress`. */
export interface Progress {
  readonly completed: number;
  readonly skipped: number;
  readonly total: number;
}

/** The progress of one phase: how many of its activities are COMPLETED or SKIPPED. */
export function progressOf(phase: PhaseState): Progress {
  let completed = 0;
  let skipped = 0;
  for (const a of phase.activities) {
    if (a.status === 'COMPLETED') completed++;
    else if (a.status === 'SKIPPED') skipped++;
  }
  return { completed, skipped, total: phase.activities.length };
}

/**
 * A fresh instance of `workflow`: every phase and activity NOT_STARTED, as the sync
 * engine creates it. Used by tests and what-if tools; ids are null.
 */
export function freshSnapshot(workflow: ResolvedWorkflow, cycleId: number | null = null, reportId: number | null = null): InstanceSnapshot {
  return {
    cycleId,
    reportId,
    workflow: workflow.name,
    phases: workflow.phases.map((p) => ({
      id: null,
      name: p.name,
      order: p.order,
      status: 'NOT_STARTED',
      startedAt: null,
      startedBy: null,
      completedAt: null,
      completedBy: null,
      riskLevel: p.riskLevel,
      dependsOn: p.dependsOn,
      skippable: p.skippable,
      activities: p.activities.map((a) => ({
        id: null,
        name: a.name,
        type: a.type,
        order: a.order,
        status: 'NOT_STARTED',
        required: a.required,
        role: a.role,
        startedAt: null,
        startedBy: null,
        completedAt: null,
        completedBy: null,
        blockedReason: null,
        revisionReason: null,
      })),
    })),
  };
}

/**
 * The rules a phase follows when no definition is recorded for its instance: it
 * depends on the previous standard phase and cannot be skipped.
 */
export function defaultPhaseRules(name: string): { dependsOn: readonly string[]; skippable: boolean } {
  const i = (PHASE_NAMES as readonly string[]).indexOf(name);
  return { dependsOn: i > 0 ? [PHASE_NAMES[i - 1]!] : [], skippable: false };
}

/** The phase called `name`, or undefined. */
export function findPhase(snapshot: InstanceSnapshot, name: string): PhaseState | undefined {
  return snapshot.phases.find((p) => p.name === name);
}

/** How to name a user in a message: their display name when known, else `user <id>`. */
export function userLabel(snapshot: InstanceSnapshot, id: number | null): string {
  if (id === null) return 'an unknown user';
  return snapshot.userNames?.[id] ?? `user ${id}`;
}
