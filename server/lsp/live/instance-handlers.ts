/** `workflowPhases/instances`, `workflowPhases/instance` and `workflowPhases/history`. */
import {
  HistoryRequest,
  InstanceRequest,
  InstancesRequest,
  LiveErrorCodes,
  type HistoryEntryData,
  type InstanceDetail,
  type InstanceFilter,
  type InstancesResult,
} from '../../../schemas/lsp-protocol';
import type { Database } from '../../db/database';
import { readInstanceDetail } from '../../db/live/detail';
import { decodeCursor, encodeCursor, listInstances } from '../../db/live/instances';
import { readHistory } from '../../db/transitions/index';
import type { InstanceKey } from '../../db/transitions/index';
import { checked } from '../request-params';
import { actingUser, idParam, optionalText, requireDatabase, type LiveContext } from './context';
import { DefinitionLocator } from './definitions';
import { liveError, liveHandler } from './errors';

const FILTERS: readonly InstanceFilter[] = ['all', 'in-progress', 'blocked', 'mine'];
const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;

function limitParam(value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw liveError(LiveErrorCodes.badRequest, `limit must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The instance key of a request, checked. */
export function instanceKey(params: { cycleId?: unknown; reportId?: unknown } | null | undefined): InstanceKey {
  return { cycleId: idParam(params?.cycleId, 'cycleId'), reportId: idParam(params?.reportId, 'reportId') };
}

/** One instance with the definition locations of its workflow, phases and activities; null when it has no phases. */
export async function instanceDetail(ctx: LiveContext, db: Database, key: InstanceKey): Promise<InstanceDetail | null> {
  const data = await readInstanceDetail(db, key);
  if (!data) return null;
  const where = new DefinitionLocator(ctx.validator);
  const workflow = data.workflow;
  return {
    ...data,
    definition: where.workflow(workflow),
    phases: data.phases.map((p) => ({
      ...p,
      definition: where.phase(workflow, p.name),
      activities: p.activities.map((a) => ({ ...a, definition: where.activity(workflow, p.name, a.name) })),
    })),
  };
}

/** Registers the instance list, one instance, and its history. */
export function registerInstanceHandlers(ctx: LiveContext): void {
  const { connection, onError } = ctx;

  connection.onRequest(
    InstancesRequest.type,
    checked(InstancesRequest.method, liveHandler(connection, 'instances', onError, async (params): Promise<InstancesResult> => {
      const db = requireDatabase(ctx);
      const filter = params?.filter ?? 'all';
      if (!FILTERS.includes(filter)) throw liveError(LiveErrorCodes.badRequest, `filter must be one of ${FILTERS.join(', ')}, got ${JSON.stringify(filter)}`);
      const cursorText = optionalText(params?.cursor, 'cursor');
      const after = cursorText === undefined ? undefined : decodeCursor(cursorText);
      if (after === null) throw liveError(LiveErrorCodes.badRequest, 'cursor is not a nextCursor this server gave: start again without it');
      const user = filter === 'mine' ? (await actingUser(ctx)).actor : { id: null, role: null };
      const list = await listInstances(db, {
        ...(params?.cycleId !== undefined && params.cycleId !== null ? { cycleId: idParam(params.cycleId, 'cycleId') } : {}),
        filter,
        limit: limitParam(params?.limit, DEFAULT_LIMIT, MAX_LIMIT),
        ...(after ? { after } : {}),
        user: { id: user.id, role: user.role },
      });
      return { cycles: list.cycles, instances: list.instances, nextCursor: list.next ? encodeCursor(list.next) : null };
    })),
  );

  connection.onRequest(
    InstanceRequest.type,
    checked(InstanceRequest.method, liveHandler(connection, 'instance', onError, async (params) => {
      const db = requireDatabase(ctx);
      return instanceDetail(ctx, db, instanceKey(params));
    })),
  );

  connection.onRequest(
    HistoryRequest.type,
    checked(HistoryRequest.method, liveHandler(connection, 'history', onError, async (params) => {
      const db = requireDatabase(ctx);
      const key = instanceKey(params);
      const phase = optionalText(params.phase, 'phase');
      const activity = optionalText(params.activity, 'activity');
      const limit = limitParam(params.limit, DEFAULT_LIMIT, 100_000);
      // The history of one instance is short; a filter is applied before the limit.
      const all = await readHistory(db, key, phase === undefined && activity === undefined ? { limit } : {});
      const rows = all.filter((h) => (phase === undefined || h.phase === phase) && (activity === undefined || h.activity === activity)).slice(-limit);
      const entries: HistoryEntryData[] = rows.map((h) => ({
        id: h.id,
        at: new Date(`${h.at}Z`).toISOString(),
        entity: h.entity,
        phase: h.phase,
        activity: h.activity,
        from: h.from,
        to: h.to,
        actor: h.actor,
        reason: h.reason,
        source: h.source,
      }));
      return { entries };
    })),
  );
}
