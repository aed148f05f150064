/**
 * The custom LSP messages of Workflow Phases, declared once and shared by the language
 * server and the VS Code client. Method names live in the `workflowPhases/` namespace.
 * Every message is documented with an example in docs/language-server.md.
 *
 * Conventions of the live-database messages:
 * - times are ISO 8601 strings in UTC with a zone (`2026-12-01T09:30:00.000Z`);
 * - an instance is one (test cycle, report), named by the database ids `cycleId` /
 *   `reportId`; phases and activities by name (the ids are given for matching change
 *   events);
 * - a request that needs the database while none is connected fails with the
 *   `LiveErrorCodes.noDatabase` error; a refused transition is an answer, not an error.
 */
import { NotificationType, RequestType, type Location } from 'vscode-languageserver-protocol';

// ---------------------------------------------------------------------------------------
// Server health

/** How the language server is doing. */
export type ServerHealth = 'ok' | 'warning' | 'error';

/** The body of `workflowPhases/serverStatus`. */
export interface ServerStatusParams {
  /** `error` after a handler or validation failed unexpectedly; `ok` otherwise. */
  readonly health: ServerHealth;
  /** True when no validation is pending or running. */
  readonly quiescent: boolean;
  /** Definition files known to the server (open or on disk). */
  readonly files: number;
  /** Problems across all known files. */
  readonly problems: number;
  /** A human-readable line for a status bar, e.g. `3 files, 2 problems`. */
  readonly message: string;
}

/** Server -> client: pushed whenever the server's health, workload or totals change. */
export const ServerStatusNotification = {
  method: 'workflowPhases/serverStatus',
  type: new NotificationType<ServerStatusParams>('workflowPhases/serverStatus'),
} as const;

/** Initialization options the client may pass (all optional). */
export interface InitializationOptions {
  /** Skip the workspace scan at start-up (only open documents are validated). */
  readonly scanWorkspace?: boolean;
  /**
   * `false`: never connect to a database (Restricted Mode): validation only; the live
   * messages answer `LiveErrorCodes.noDatabase`. Default true.
   */
  readonly liveDatabase?: boolean;
}

// ---------------------------------------------------------------------------------------
// Settings: read with `workspace/configuration` (section `workflowPhases`), re-read on
// `workspace/didChangeConfiguration`.

/** The settings section the server asks for. */
export const SETTINGS_SECTION = 'workflowPhases';

/** The settings the server reads (section `workflowPhases`). */
export interface LiveSettings {
  readonly database?: {
    /**
     * `postgres://user@host:port/database` (never with a password), or
     * `embedded:<folder>` (relative to the first workspace folder). Empty: the embedded
     * database in `.workflow-phases/` of the first workspace folder, when it exists.
     */
    readonly url?: string;
  };
  /** The acting user: id, email or name in `users`. Empty: `git config user.email` when it names a user. */
  readonly user?: string;
}

// ---------------------------------------------------------------------------------------
// Connection

/** Where the server's live database stands. */
export type DatabaseState = 'connected' | 'connecting' | 'disconnected' | 'none';

/** The acting user as the server resolved it. */
export interface ActingUser {
  /** `users.user_id`; null when no user could be resolved. */
  readonly id: number | null;
  /** Email or name, for display. */
  readonly name: string;
  readonly role: string | null;
  /** Where the user came from: the `user` setting, `git config user.email`, or nowhere. */
  readonly source: 'setting' | 'git' | 'none';
  /** Why the setting or git email named no user, when it did not. */
  readonly problem?: string;
}

/** The body of `workflowPhases/databaseStatus`. */
export interface DatabaseStatusParams {
  readonly state: DatabaseState;
  /** Null when `state` is `none`. */
  readonly kind: 'postgres' | 'embedded' | null;
  /** Short, for a status bar: `embedded`, `db.example.com:5432`. Never a password. */
  readonly label: string;
  /** Long, for a tooltip: `postgres postgres://alice@db.example.com:5432/testing`, `embedded /work/repo/.workflow-phases`. */
  readonly description: string;
  /** Why it is disconnected (or why there is no database), in words a user can act on. */
  readonly reason?: string;
  /** When `disconnected`: the next attempt, in milliseconds. */
  readonly retryInMs?: number;
  /** The acting user; null until connected. */
  readonly user: ActingUser | null;
}

/**
 * Server -> client: pushed whenever the database state or the acting user changes.
 * `connected / connecting / disconnected: <reason> / none` (no database configured).
 */
export const DatabaseStatusNotification = {
  method: 'workflowPhases/databaseStatus',
  type: new NotificationType<DatabaseStatusParams>('workflowPhases/databaseStatus'),
} as const;

/** The body of `workflowPhases/password`: which login the server needs a password for. */
export interface PasswordParams {
  /** The URL without a password, e.g. `postgres://alice@db.example.com:5432/testing`: the key to store it under. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** True when the server already tried a password from this request and it was refused. */
  readonly previousFailed: boolean;
}

/** The answer: the password, or null (the server then tries `PGPASSWORD` / `~/.pgpass`). */
export interface PasswordResult {
  readonly password: string | null;
}

/**
 * Server -> client request, sent before connecting to PostgreSQL. The VS Code client
 * answers from SecretStorage; a client that does not implement it answers with an error
 * (method not found), which the server treats as `null`.
 */
export const PasswordRequest = {
  method: 'workflowPhases/password',
  type: new RequestType<PasswordParams, PasswordResult, void>('workflowPhases/password'),
} as const;

/** The answer of `workflowPhases/createEmbedded`. */
export interface CreateEmbeddedResult {
  /** The folder of the embedded database now in use. */
  readonly folder: string;
  /** False when it existed already. */
  readonly created: boolean;
}

/**
 * Client -> server: create (when missing) and connect to the embedded database the
 * settings name (`embedded:<folder>`, or the default `.workflow-phases/` of the first
 * workspace folder). Fails with `LiveErrorCodes.badRequest` when `database.url` names a
 * PostgreSQL server, and with `noDatabase` in Restricted Mode.
 */
export const CreateEmbeddedRequest = {
  method: 'workflowPhases/createEmbedded',
  type: new RequestType<Record<string, never>, CreateEmbeddedResult, void>('workflowPhases/createEmbedded'),
} as const;

// ---------------------------------------------------------------------------------------
// Live state

/** A phase status. */
export type PhaseStatusName = 'NOT_STARTED' | 'IN_PROGRESS' | 'COMPLETED' | 'SKIPPED';
/** An activity status. */
export type ActivityStatusName = 'NOT_STARTED' | 'IN_PROGRESS' | 'COMPLETED' | 'BLOCKED' | 'SKIPPED' | 'REVISION_REQUESTED';

/**
 * Which instances a list shows. `mine`: instances with an activity the acting user started
 * that is not done yet, or an activity waiting for the user's role in a phase in progress.
 */
export type InstanceFilter = 'all' | 'in-progress' | 'blocked' | 'mine';

/** One instance's totals. */
export interface InstanceSummary {
  readonly cycleId: number;
  readonly cycle: string;
  readonly reportId: number;
  readonly report: string;
  /** The workflow it follows; null for rows no sync created. */
  readonly workflow: string | null;
  /** Phases COMPLETED or SKIPPED. */
  readonly done: number;
  /** Phases in all (9). */
  readonly total: number;
  /** Phases IN_PROGRESS. */
  readonly inProgress: number;
  /** Activities BLOCKED. */
  readonly blocked: number;
  /** Phases IN_PROGRESS past their SLA (`started_at + sla_hours`). */
  readonly overdue: number;
  /** The first phase IN_PROGRESS, else the first NOT_STARTED; null when all are done. */
  readonly current: string | null;
}

/** One test cycle with the totals of its instances (those matching the filter). */
export interface CycleSummary {
  readonly cycleId: number;
  readonly cycle: string;
  readonly instances: number;
  readonly inProgress: number;
  readonly blocked: number;
  readonly overdue: number;
}

/** The body of `workflowPhases/instances`. */
export interface InstancesParams {
  /** Only this cycle's instances (the tree expanding a cycle). */
  readonly cycleId?: number;
  /** Default `all`. */
  readonly filter?: InstanceFilter;
  /** Page size: default 200, at most 1000. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** The answer of `workflowPhases/instances`. */
export interface InstancesResult {
  /** Every cycle with at least one instance matching the filter, by name (all of them, not paged). */
  readonly cycles: readonly CycleSummary[];
  /** One page of instances, by cycle name then report name. */
  readonly instances: readonly InstanceSummary[];
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

/** Client -> server: the cycles and a page of instances with their totals. */
export const InstancesRequest = {
  method: 'workflowPhases/instances',
  type: new RequestType<InstancesParams, InstancesResult, void>('workflowPhases/instances'),
} as const;

/** One instance: which (cycle, report). */
export interface InstanceKeyParams {
  readonly cycleId: number;
  readonly reportId: number;
}

/** Who did something, and when. */
export interface Stamp {
  readonly at: string;
  /** Email or name; null when no user was recorded. */
  readonly by: string | null;
}

/** One activity as it stands. */
export interface ActivityNode {
  readonly activityId: number;
  readonly name: string;
  readonly type: string;
  readonly order: number;
  readonly status: ActivityStatusName;
  readonly required: boolean;
  readonly role: string | null;
  readonly started: Stamp | null;
  readonly completed: Stamp | null;
  readonly blockedReason: string | null;
  readonly revisionReason: string | null;
  /** Where it is defined (the `- name:` item in the definition file); null when no open or workspace file defines it. */
  readonly definition: Location | null;
}

/** One phase as it stands. */
export interface PhaseNode {
  readonly phaseId: number;
  readonly name: string;
  readonly order: number;
  /** The standard title. */
  readonly title: string;
  readonly status: PhaseStatusName;
  readonly riskLevel: string | null;
  readonly started: Stamp | null;
  readonly completed: Stamp | null;
  /** Required activities done (COMPLETED, or SKIPPED) of required activities, START and COMPLETE markers not counted. */
  readonly progress: { readonly done: number; readonly total: number };
  readonly slaHours: number | null;
  /** `started_at + sla_hours`; null when not started or no SLA. */
  readonly slaDue: string | null;
  /** IN_PROGRESS and past `slaDue`. */
  readonly overdue: boolean;
  readonly definition: Location | null;
  readonly activities: readonly ActivityNode[];
}

/** The answer of `workflowPhases/instance`: one instance, its 9 phases and their activities. */
export interface InstanceDetail extends InstanceSummary {
  /** The definition file of its workflow (the `workflow:` line); null when none in the workspace. */
  readonly definition: Location | null;
  readonly phases: readonly PhaseNode[];
}

/** Client -> server: one instance in full; null when it has no phase rows. */
export const InstanceRequest = {
  method: 'workflowPhases/instance',
  type: new RequestType<InstanceKeyParams, InstanceDetail | null, void>('workflowPhases/instance'),
} as const;

// ---------------------------------------------------------------------------------------
// Transitions

/** A node of the tree: an instance, a phase of it, or an activity of a phase. */
export interface NodeRef {
  readonly cycleId: number;
  readonly reportId: number;
  /** Absent: the whole instance (every phase and activity). */
  readonly phase?: string;
  /** Absent: the phase itself. */
  readonly activity?: string;
}

/** A phase action. */
export type PhaseActionName = 'start' | 'complete' | 'reopen' | 'skip';
/** An activity action. */
export type ActivityActionName = 'start' | 'complete' | 'block' | 'unblock' | 'skip' | 'request-revision';

/** One condition of a transition, as the rules engine words it. */
export interface GuardResultData {
  readonly id: string;
  readonly result: 'pass' | 'fail' | 'unchecked';
  readonly message: string;
}

/** One status change a transition makes (one history row each). */
export interface StatusChangeData {
  readonly entity: 'phase' | 'activity';
  readonly phase: string;
  readonly activity: string | null;
  readonly from: string;
  readonly to: string;
  readonly reason: string | null;
}

/** One transition of one node, explained for the acting user. */
export interface TransitionChoice {
  readonly kind: 'phase' | 'activity';
  readonly action: PhaseActionName | ActivityActionName;
  readonly phase: string;
  /** Null for a phase transition. */
  readonly activity: string | null;
  /** "start phase `scoping`". */
  readonly title: string;
  readonly verdict: 'allowed' | 'refused' | 'unchanged';
  /** The current status, and the one it would move to (null when the target does not exist). */
  readonly from: string | null;
  readonly to: string | null;
  /** True when the rules need a reason (reopen, skip a phase, block, request revision). */
  readonly needsReason: boolean;
  /** Every condition, passing ones included, in the engine's order. */
  readonly guards: readonly GuardResultData[];
  /** The sentences of the failing conditions (empty when allowed). */
  readonly unmet: readonly string[];
  /** What it would change when allowed. */
  readonly changes: readonly StatusChangeData[];
  readonly notes: readonly string[];
}

/** The body of `workflowPhases/allowed`. */
export interface AllowedParams {
  readonly node: NodeRef;
}

/** The answer of `workflowPhases/allowed`. */
export interface AllowedResult {
  /** Who the verdicts are for. */
  readonly user: ActingUser;
  /** Every transition of the node (and, for an instance or phase node, of what is below it): the allowed ones first, then the refused ones with their unmet conditions; `unchanged` ones are left out. */
  readonly transitions: readonly TransitionChoice[];
}

/** Client -> server: what the acting user may do on a node, and why not the rest. Writes nothing. */
export const AllowedRequest = {
  method: 'workflowPhases/allowed',
  type: new RequestType<AllowedParams, AllowedResult, void>('workflowPhases/allowed'),
} as const;

/** The body of `workflowPhases/explain`. */
export interface ExplainParams {
  readonly node: NodeRef;
  /** One action; absent: every action of the node (not of what is below it). */
  readonly action?: PhaseActionName | ActivityActionName;
}

/** The answer of `workflowPhases/explain`. */
export interface ExplainResult {
  readonly user: ActingUser;
  /** One per action, every condition with pass / fail / unchecked. */
  readonly explanations: readonly TransitionChoice[];
}

/** Client -> server: every condition of one or every action of a node. Writes nothing. */
export const ExplainRequest = {
  method: 'workflowPhases/explain',
  type: new RequestType<ExplainParams, ExplainResult, void>('workflowPhases/explain'),
} as const;

/** The body of `workflowPhases/transition`. */
export interface TransitionParams {
  /** A phase or an activity (`phase` required). */
  readonly node: NodeRef;
  readonly action: PhaseActionName | ActivityActionName;
  /**
   * The status the user saw. When the node has moved on since, the request is refused
   * naming the new status (a lost race) instead of acting on a state the user never saw.
   */
  readonly expected?: string | null;
  /** Required by reopen, skip (phase), block and request-revision. */
  readonly reason?: string | null;
}

/** The answer of `workflowPhases/transition`. */
export interface TransitionResult {
  /** `allowed`: written; `refused`: nothing written, see `unmet`; `unchanged`: already so. */
  readonly verdict: 'allowed' | 'refused' | 'unchanged';
  readonly choice: TransitionChoice;
  /** The changes written (empty unless allowed). */
  readonly changes: readonly StatusChangeData[];
  /** When it was written; null when nothing was. */
  readonly at: string | null;
  /** The instance after the transition (written or not). */
  readonly instance: InstanceDetail | null;
}

/** Client -> server: run one transition as the acting user (source `vscode` or the client's name). */
export const TransitionRequest = {
  method: 'workflowPhases/transition',
  type: new RequestType<TransitionParams, TransitionResult, void>('workflowPhases/transition'),
} as const;

/** The body of `workflowPhases/history`. */
export interface HistoryParams extends InstanceKeyParams {
  /** Only this phase's rows (and its activities'). */
  readonly phase?: string;
  /** Only this activity's rows. */
  readonly activity?: string;
  /** The latest rows only (default 200). */
  readonly limit?: number;
}

/** One history row. */
export interface HistoryEntryData {
  readonly id: number;
  readonly at: string;
  readonly entity: 'phase' | 'activity';
  readonly phase: string;
  readonly activity: string | null;
  readonly from: string | null;
  readonly to: string;
  readonly actor: string | null;
  readonly reason: string | null;
  /** `cli`, `vscode`, `demo`, `legacy`… */
  readonly source: string;
}

/** Client -> server: an instance's audit history, oldest first. */
export const HistoryRequest = {
  method: 'workflowPhases/history',
  type: new RequestType<HistoryParams, { readonly entries: readonly HistoryEntryData[] }, void>('workflowPhases/history'),
} as const;

// ---------------------------------------------------------------------------------------
// Sync

/** The body of `workflowPhases/plan` and `workflowPhases/sync`. */
export interface PlanParams {
  /** One definition file; absent: every definition file of the workspace. */
  readonly uri?: string;
  /** Compare rows even when the stored content hash matches. */
  readonly force?: boolean;
}

/** One planned change (as `phasectl plan --format json` prints it). */
export interface PlanChangeData {
  readonly action: 'create' | 'update' | 'delete';
  readonly entity: 'instance' | 'phase' | 'activity';
  readonly phase: string | null;
  readonly activity: string | null;
  readonly fields?: Readonly<Record<string, { readonly from: unknown; readonly to: unknown }>>;
}

/** One refused change: it would lose progress. */
export interface PlanRefusalData {
  readonly reason: string;
  readonly entity: 'phase' | 'activity' | 'instance';
  readonly phase: string | null;
  readonly activity: string | null;
  readonly status: string;
  readonly message: string;
}

/** The plan of one instance. */
export interface InstancePlanData {
  readonly cycleId: number;
  readonly cycle: string;
  readonly reportId: number;
  readonly report: string;
  readonly workflow: string;
  readonly changes: readonly PlanChangeData[];
  readonly refused: readonly PlanRefusalData[];
}

/** What a plan (or a sync) covers and finds. */
export interface PlanResult {
  readonly instances: readonly InstancePlanData[];
  readonly summary: { readonly create: number; readonly update: number; readonly delete: number; readonly refused: number };
  /** Workflows whose stored content hash matched: nothing to do. */
  readonly unchanged: readonly string[];
  /** `applies_to` cycles or reports that name no row: nothing can be synced until they exist. */
  readonly unknown: readonly { readonly kind: 'cycle' | 'report'; readonly value: string; readonly workflow: string; readonly uri: string | null }[];
  /** Definition files left out because they have errors (fix them first). */
  readonly skipped: readonly { readonly uri: string; readonly errors: number }[];
  /** The definition files planned. */
  readonly files: readonly string[];
}

/** Client -> server: what a sync would do; writes nothing. */
export const PlanRequest = {
  method: 'workflowPhases/plan',
  type: new RequestType<PlanParams, PlanResult, void>('workflowPhases/plan'),
} as const;

/** The body of `workflowPhases/sync`. */
export interface SyncParams extends PlanParams {
  /** Apply the changes that are not refused even when some are. */
  readonly allowPartial?: boolean;
}

/** The answer of `workflowPhases/sync`. */
export interface SyncResultData extends PlanResult {
  /** True when the changes were written (one transaction). */
  readonly applied: boolean;
}

/** Client -> server: plan and apply in one transaction (nothing written when anything is refused, unless `allowPartial`). */
export const SyncRequest = {
  method: 'workflowPhases/sync',
  type: new RequestType<SyncParams, SyncResultData, void>('workflowPhases/sync'),
} as const;

/** The body of `workflowPhases/init`. */
export interface InitParams {
  /** One definition file; absent: every definition file of the workspace. */
  readonly uri?: string;
  /**
   * Create the test cycles and reports `applies_to` names that do not exist yet — only
   * where Workflow Phases created those tables itself (a standalone database); a host
   * application's tables are never written.
   */
  readonly createMissing?: boolean;
}

/** The answer of `workflowPhases/init`. */
export interface InitResult extends SyncResultData {
  /** Cycles and reports created. */
  readonly created: readonly { readonly kind: 'cycle' | 'report'; readonly name: string }[];
}

/** Client -> server: create the instances the definitions' `applies_to` names (all 9 phases each), creating missing cycles and reports on request. */
export const InitRequest = {
  method: 'workflowPhases/init',
  type: new RequestType<InitParams, InitResult, void>('workflowPhases/init'),
} as const;

// ---------------------------------------------------------------------------------------
// The change feed

/** One instance that changed. */
export interface InstanceChange {
  readonly cycleId: number;
  readonly reportId: number;
  /** Phase rows that changed (`phase_id`); empty with `all`. */
  readonly phaseIds: readonly number[];
  /** Activity rows that changed (`activity_id`); empty with `all`. */
  readonly activityIds: readonly number[];
  /** True when many rows changed at once (a sync): reload the whole instance. */
  readonly all: boolean;
}

/** The body of `workflowPhases/changed`. */
export interface ChangedParams {
  /**
   * True after the feed was down and is back (changes in between were missed), or the
   * database was switched: reload everything shown. `instances` is then empty.
   */
  readonly reconnected: boolean;
  /** The instances changed by one burst (one transaction is one notification). */
  readonly instances: readonly InstanceChange[];
}

/** Server -> client: the live change feed, batched. */
export const ChangedNotification = {
  method: 'workflowPhases/changed',
  type: new NotificationType<ChangedParams>('workflowPhases/changed'),
} as const;

// ---------------------------------------------------------------------------------------
// Errors and CodeLens

/** JSON-RPC error codes of the live messages (the message says what to do). */
export const LiveErrorCodes = {
  /** No database configured or connected (or Restricted Mode). */
  noDatabase: -32050,
  /** The database failed (connection lost, an error the user can act on). */
  databaseError: -32051,
  /** The cycle, report, phase or activity does not exist. */
  notFound: -32052,
  /** A reason is required and was not given, or the params are wrong. */
  badRequest: -32602,
} as const;

/**
 * The command a phase CodeLens carries. The VS Code client implements it (reveal the
 * phase in the tree); other clients show the title only. Arguments: `[RevealPhaseArgs]`.
 */
export const REVEAL_PHASE_COMMAND = 'workflowPhases.revealPhase';

/** The argument of {@link REVEAL_PHASE_COMMAND}. */
export interface RevealPhaseArgs {
  readonly workflow: string;
  readonly phase: string;
  /** The definition file the lens is in. */
  readonly uri: string;
}
