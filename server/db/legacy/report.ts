/**
 * The migration report: what was found, moved, linked, verified and dropped. Its JSON
 * form (`--format json`) is a stable contract, documented in docs/legacy-migration.md;
 * add fields, never rename or remove them without bumping `formatVersion`.
 */
import type { PhaseName } from '../../core/index';

/** A legacy row named in the report: its table, primary key and (cycle, report). */
export interface RowRef {
  readonly table: string;
  /** Primary-key column -> value; null when the table has no primary key. */
  readonly key: Readonly<Record<string, unknown>> | null;
  readonly cycleId: number | null;
  readonly reportId: number | null;
}

/** Something that stops the migration: named table, and row or column when there is one. */
export interface MigrationProblem {
  readonly table: string;
  readonly row?: RowRef;
  readonly column?: string;
  readonly message: string;
}

/** A legacy row not moved because its (cycle, report, phase) already has another unified row. */
export interface Conflict {
  readonly row: RowRef;
  readonly phase: PhaseName;
  readonly existingPhaseId: number;
  /** The legacy table the existing row came from, or null when it was not migrated (e.g. synced). */
  readonly existingFrom: string | null;
}

/** A legacy phase row not moved because its cycle or report is missing. */
export interface Orphan {
  readonly row: RowRef;
  readonly reason: string;
}

/** What happened to one legacy phase table. */
export interface PhaseTableReport {
  readonly table: string;
  readonly phase: PhaseName;
  readonly source: 'known' | 'config';
  /** Legacy column -> unified column it filled. */
  readonly columnMap: Readonly<Record<string, string>>;
  readonly rows: number;
  readonly alreadyMigrated: number;
  readonly migrated: number;
  readonly conflicts: number;
  readonly orphans: number;
  /** User ids not found in `users`: the unified column is left empty, the id kept in phase_metadata. */
  readonly unknownUsers: number;
  readonly notes: readonly string[];
}

/** What happened to one data table. */
export interface DataTableReport {
  readonly table: string;
  readonly phase: PhaseName;
  readonly phaseFrom: 'config' | 'reference' | 'name';
  readonly rows: number;
  readonly addedPhaseId: boolean;
  readonly backfilled: number;
  readonly addedForeignKey: boolean;
  readonly addedIndex: boolean;
  /** Rows without a (cycle, report) or legacy reference: nothing to link them to. */
  readonly unassigned: number;
  /** Rows with a (cycle, report) but no unified phase to link to. */
  readonly unlinked: number;
}

/** One re-pointed foreign key. */
export interface RepointReport {
  readonly table: string;
  readonly column: string;
  readonly constraint: string;
  readonly from: string;
  readonly rows: number;
}

/** A table that looked legacy but was left alone. */
export interface UnrecognisedTable {
  readonly table: string;
  readonly reason: string;
}

/** One verification check. */
export interface VerificationCheck {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

/** Legacy rows against unified rows, per phase. */
export interface PhaseCount {
  readonly phase: PhaseName;
  readonly legacyRows: number;
  readonly unifiedRows: number;
}

/** The verification step's outcome. */
export interface Verification {
  readonly passed: boolean;
  readonly checks: readonly VerificationCheck[];
  readonly perPhase: readonly PhaseCount[];
}

/** A database error that stopped the migration, with where it happened. */
export interface Failure {
  readonly step: string;
  readonly table: string | null;
  readonly message: string;
  readonly detail: string | null;
  /** The legacy rows behind the failing statement, when they can be told (empty otherwise). */
  readonly rows: readonly RowRef[];
}

/** The whole report. */
export interface LegacyReport {
  readonly formatVersion: 1;
  readonly database: string;
  readonly schema: string;
  readonly dryRun: boolean;
  readonly dropRequested: boolean;
  /** Schema migrations (e.g. `0001-unified-workflow`) applied first; in a dry run, inside the rolled-back transaction. */
  readonly schemaMigrations: readonly string[];
  /** `committed`, `rolled-back` (dry run, problems, failure or refused drop). */
  outcome: 'committed' | 'rolled-back';
  /** True when the run changed nothing (everything already migrated). */
  nothingToDo: boolean;
  phaseTables: PhaseTableReport[];
  dataTables: DataTableReport[];
  repointed: RepointReport[];
  unrecognised: UnrecognisedTable[];
  conflicts: Conflict[];
  orphans: Orphan[];
  /** Data rows with a (cycle, report) that has no unified phase row, so no phase_id (verification fails on them). */
  unlinkedRows: RowRef[];
  /** Lists above are cut at this many entries per table; counts are always complete. */
  readonly listLimit: number;
  warnings: string[];
  problems: MigrationProblem[];
  failure: Failure | null;
  verification: Verification | null;
  dropped: string[];
  /** Why --drop-legacy did not drop, when it did not. */
  dropRefused: string | null;
  /** Milliseconds, for the record. */
  elapsedMs: number;
}

/** An empty report to fill in. */
export function emptyReport(init: {
  database: string;
  schema: string;
  dryRun: boolean;
  dropRequested: boolean;
  schemaMigrations: readonly string[];
  listLimit: number;
}): LegacyReport {
  return {
    formatVersion: 1,
    ...init,
    outcome: 'rolled-back',
    nothingToDo: false,
    phaseTables: [],
    dataTables: [],
    repointed: [],
    unrecognised: [],
    conflicts: [],
    orphans: [],
    unlinkedRows: [],
    warnings: [],
    problems: [],
    failure: null,
    verification: null,
    dropped: [],
    dropRefused: null,
    elapsedMs: 0,
  };
}
