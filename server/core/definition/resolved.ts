/**
 * A definition with every default applied and no source positions: what the sync
 * engine and the transition rules work from.
 */
import type { ActivityType, PhaseName, RiskLevel, Role } from '../model';

/** One activity with defaults applied. `order` is its 1-based list position. */
export interface ResolvedActivity {
  readonly name: string;
  readonly type: ActivityType;
  readonly order: number;
  readonly role: Role | null;
  readonly required: boolean;
  readonly description: string | null;
}

/** One phase with defaults applied (`dependsOn` defaults to the previous phase). */
export interface ResolvedPhase {
  readonly name: PhaseName;
  readonly order: number;
  readonly title: string;
  readonly riskLevel: RiskLevel | null;
  readonly slaHours: number | null;
  readonly dependsOn: readonly PhaseName[];
  readonly skippable: boolean;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly activities: readonly ResolvedActivity[];
}

/** A whole workflow, ready to be synced: all nine phases in standard order. */
export interface ResolvedWorkflow {
  readonly name: string;
  readonly phases: readonly ResolvedPhase[];
  readonly appliesTo: readonly { readonly cycle: string | number; readonly reports: readonly (string | number)[] }[];
}
