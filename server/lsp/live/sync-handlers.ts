/**
 * `workflowPhases/plan`, `sync`, `init` and `createEmbedded`: the sync engine on the
 * definition files the server knows (open or in the workspace; a file with errors is
 * skipped and listed). `sync` and `init` write, so with nothing configured they create the
 * workspace's embedded database first; `plan` never does.
 */
import { existsSync } from 'node:fs';
import {
  CreateEmbeddedRequest,
  InitRequest,
  LiveErrorCodes,
  PlanRequest,
  SyncRequest,
  type InitResult,
  type PlanParams,
  type PlanResult,
} from '../../../schemas/lsp-protocol';
import type { Database } from '../../db/database';
import { initWorkspace } from '../../db/live/init';
import { planToJson } from '../../db/sync/plan-json';
import { syncWorkflows } from '../../db/sync/sync';
import type { SyncResult } from '../../db/sync/sync';
import { checked } from '../request-params';
import { requireDatabase, type LiveContext } from './context';
import { syncSources, type SyncSources } from './definitions';
import { liveError, liveHandler } from './errors';
import { defaultEmbeddedFolder } from './settings';

/** The sync engine's result as the protocol's plan. */
function planResult(result: SyncResult, sources: SyncSources): PlanResult {
  return {
    instances: planToJson(result.plan).instances.map((i) => ({
      cycleId: i.cycle_id,
      cycle: i.cycle,
      reportId: i.report_id,
      report: i.report,
      workflow: i.workflow,
      changes: i.changes.map((c) => ({ action: c.action, entity: c.entity, phase: c.phase, activity: c.activity, ...(c.fields ? { fields: c.fields } : {}) })),
      refused: i.refused.map((r) => ({ reason: r.reason, entity: r.entity, phase: r.phase, activity: r.activity, status: r.status, message: r.message })),
    })),
    summary: result.plan.summary,
    unchanged: result.unchanged,
    unknown: result.unknown.map((u) => ({ kind: u.kind, value: String(u.value), workflow: u.workflow, uri: sources.uriOf.get(u.workflow) ?? null })),
    skipped: sources.skipped,
    files: sources.files,
  };
}

/** The files a request names: `uri` (a definition file the server knows) or the whole workspace. */
function sourcesOf(ctx: LiveContext, params: PlanParams | null | undefined): SyncSources {
  const uri = params?.uri;
  if (uri !== undefined && uri !== null) {
    if (typeof uri !== 'string') throw liveError(LiveErrorCodes.badRequest, `uri must be a string, got ${JSON.stringify(uri)}`);
    if (!ctx.validator.uris().includes(uri)) throw liveError(LiveErrorCodes.notFound, `${uri} is not a definition file this server knows (*.phases.yaml in the workspace, or open)`);
  }
  return syncSources(ctx.validator, uri ?? undefined, ctx.workspaceFolder());
}

/** The database to write to: the connected one, or, when nothing is configured, the workspace's new embedded one. */
async function writableDatabase(ctx: LiveContext): Promise<Database> {
  const configured = ctx.live.configured;
  const folder = ctx.workspaceFolder();
  if (!ctx.live.db && ctx.live.isEnabled && configured.kind === 'none' && !configured.configured && folder !== null) {
    await ctx.live.useEmbedded(defaultEmbeddedFolder(folder));
  }
  return requireDatabase(ctx);
}

/** The name `workflow_definitions.synced_by` records. */
function syncedBy(ctx: LiveContext): string | null {
  const user = ctx.live.user;
  return user && user.id !== null ? user.name : null;
}

/** Registers plan, sync, init and createEmbedded. */
export function registerSyncHandlers(ctx: LiveContext): void {
  const { connection, onError } = ctx;

  connection.onRequest(
    PlanRequest.type,
    checked(PlanRequest.method, liveHandler(connection, 'plan', onError, async (params) => {
      const db = requireDatabase(ctx);
      const sources = sourcesOf(ctx, params);
      const result = await syncWorkflows(db, sources.sources, { dryRun: true, force: params?.force === true });
      return planResult(result, sources);
    })),
  );

  connection.onRequest(
    SyncRequest.type,
    checked(SyncRequest.method, liveHandler(connection, 'sync', onError, async (params) => {
      const sources = sourcesOf(ctx, params);
      const db = await writableDatabase(ctx);
      const result = await syncWorkflows(db, sources.sources, { force: params?.force === true, allowPartial: params?.allowPartial === true, syncedBy: syncedBy(ctx) });
      return { ...planResult(result, sources), applied: result.applied };
    })),
  );

  connection.onRequest(
    InitRequest.type,
    checked(InitRequest.method, liveHandler(connection, 'init', onError, async (params): Promise<InitResult> => {
      const sources = sourcesOf(ctx, params);
      const db = await writableDatabase(ctx);
      const outcome = await initWorkspace(db, sources.sources, { createMissing: params?.createMissing === true, syncedBy: syncedBy(ctx) });
      if (outcome.kind === 'host-tables') throw liveError(LiveErrorCodes.badRequest, `createMissing: ${outcome.reason}`);
      return { ...planResult(outcome.result, sources), applied: outcome.result.applied, created: outcome.created.map((c) => ({ kind: c.kind, name: c.name })) };
    })),
  );

  connection.onRequest(
    CreateEmbeddedRequest.type,
    checked(CreateEmbeddedRequest.method, liveHandler(connection, 'createEmbedded', onError, async () => {
      if (!ctx.live.isEnabled) throw liveError(LiveErrorCodes.noDatabase, 'No database can be used in Restricted Mode: trust the workspace first.');
      const configured = ctx.live.configured;
      if (configured.kind === 'postgres') {
        throw liveError(LiveErrorCodes.badRequest, 'workflowPhases.database.url names a PostgreSQL server: clear it (or set it to embedded:<folder>) to use the embedded database');
      }
      if (configured.kind === 'none' && configured.configured) throw liveError(LiveErrorCodes.badRequest, configured.reason);
      const workspace = ctx.workspaceFolder();
      const folder = configured.kind === 'embedded' ? configured.folder : workspace === null ? null : defaultEmbeddedFolder(workspace);
      if (folder === null) throw liveError(LiveErrorCodes.badRequest, 'there is no workspace folder to put the embedded database in: open a folder first');
      const existed = existsSync(folder);
      await ctx.live.useEmbedded(folder);
      return { folder, created: !existed };
    })),
  );
}
