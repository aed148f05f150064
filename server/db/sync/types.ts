/**
 * The data of a sync: the instances a workflow should have, the rows the database has
 * now, and the plan that turns one into the other. Plain data, so `plan()` stays pure.
 */
import type { ResolvedWorkflow } from '../../core/index';

/** One (test cycle, report) pair, with the names used in messages. */
export interface InstanceRef {
  readonly cycleId: number;
  readonly reportId: number;
  readonly cycle: string;
  readonly report: string;
}

/** A workflow to sync and the instances that follow it. */
export interface PlanDefinition {
  readonly workflow: ResolvedWorkflow;
  readonly instances: readonly InstanceRef[];
}

/** An activity row as stored. */
export interface CurrentActivity {
  readonly activityId: number;
  readonly name: string;
  readonly type: string;
  readonly order: number;
  readonly status: string;
  readonly required: boolean;
  readonly role: string | null;
  readonly description: string | null;
}

/** A phase row as stored, with its activities. `definition` is `phase_metadata.definition`. */
export interface CurrentPhase {
  readonly phaseId: number;
  readonly name: string;
  readonly order: number;
  readonly status: string;
  readonly riskLevel: string | null;
  readonly definition: unknown;
  readonly activities: readonly CurrentActivity[];
}

/** What the database holds for one instance. `workflow` is null when it has no `workflow_instances` row. */
export interface CurrentInstance {
  readonly cycleId: number;
  readonly reportId: number;
  readonly workflow: string | null;
  readonly phases: readonly CurrentPhase[];
}

/** A field that changes: its stored and its new value. */
export interface FieldChange {
  readonly from: unknown;
  readonly to: unknown;
}

/** The desired columns of a phase row (what sync writes). */
export interface PhaseRow {
  readonly name: string;
  readonly order: number;
  readonly riskLevel: string | null;
  /** Stored under `phase_metadata.definition`; other keys of phase_metadata are left alone. */
  readonly definition: Readonly<Record<string, unknown>>;
}

/** The desired columns of an activity row (what sync writes). */
export interface ActivityRow {
  readonly name: string;
  readonly type: string;
  readonly order: number;
  readonly required: boolean;
  readonly role: string | null;
  readonly description: string | null;
}

/** One change to one row. */
export type Change =
  | { readonly action: 'create'; readonly entity: 'instance' }
  | { readonly action: 'create'; readonly entity: 'phase'; readonly phase: string; readonly row: PhaseRow }
  | { readonly action: 'update'; readonly entity: 'phase'; readonly phase: string; readonly phaseId: number; readonly row: PhaseRow; readonly fields: Readonly<Record<string, FieldChange>> }
  | { readonly action: 'delete'; readonly entity: 'phase'; readonly phase: string; readonly phaseId: number }
  | { readonly action: 'create'; readonly entity: 'activity'; readonly phase: string; readonly activity: string; readonly row: ActivityRow }
  | {
      readonly action: 'update';
      readonly entity: 'activity';
      readonly phase: string;
      readonly activity: string;
      readonly activityId: number;
      readonly row: ActivityRow;
      readonly fields: Readonly<Record<string, FieldChange>>;
    }
  | { readonly action: 'delete'; readonly entity: 'activity'; readonly phase: string; readonly activity: string; readonly activityId: number };

/** Why a change is refused. */
export type RefusalReason = 'remove-started-activity' | 'retype-started-activity' | 'remove-started-phase' | 'follows-other-workflow';

/** A change that would lose progress (or take an instance from another workflow), naming the rows. */
export interface Refusal {
  readonly reason: RefusalReason;
  readonly entity: 'instance' | 'phase' | 'activity';
  readonly phase: string | null;
  readonly activity: string | null;
  readonly phaseId: number | null;
  readonly activityId: number | null;
  /** The stored status that makes the change unsafe (the other workflow's name for `follows-other-workflow`). */
  readonly status: string;
  readonly message: string;
}

/** The plan for one instance. */
export interface InstancePlan {
  readonly instance: InstanceRef;
  readonly workflow: string;
  readonly changes: readonly Change[];
  readonly refused: readonly Refusal[];
}

/** Counts of a plan: rows to create, update, delete, and refusals. */
export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly refused: number;
}

/** What a sync would do (or did). */
export interface SyncPlan {
  readonly instances: readonly InstancePlan[];
  readonly summary: PlanSummary;
}
