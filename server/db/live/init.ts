/**
 * `init` for the editor: sync the definitions so their `applies_to` instances exist, and
 * on request first create the cycles and reports that are missing — only in a standalone
 * database (host tables are never written) and in the same transaction as the sync, so a
 * refused sync leaves no new cycle or report behind.
 */
import type { Database, Queryable } from '../database';
import { createMissingHostRows, hostOwnership } from '../host-rows';
import type { CreatedRows } from '../host-rows';
import { syncWorkflows } from '../sync/sync';
import type { SyncResult, SyncSource } from '../sync/sync';

/** What `initWorkspace` did, or why it would not create rows. */
export type InitWorkspaceOutcome =
  | { readonly kind: 'done'; readonly result: SyncResult; readonly created: readonly CreatedRows[] }
  | { readonly kind: 'host-tables'; readonly reason: string };

/** `db` seen through an open transaction: its queries run in `tx`, and a nested transaction is `tx` itself. */
function within(db: Database, tx: Queryable): Database {
  return {
    kind: db.kind,
    description: db.description,
    query: (sql, params, options) => tx.query(sql, params, options),
    exec: (script) => tx.exec(script),
    transaction: (work) => work(tx),
    listen: (channel, on) => db.listen(channel, on),
    close: () => Promise.resolve(),
  };
}

/** Thrown inside the transaction to roll back the created rows when the sync did not apply. */
class NotApplied extends Error {
  constructor(readonly result: SyncResult) {
    super('the sync did not apply');
  }
}

/** The names `applies_to` gives (ids cannot be created, only names). */
function namesOf(sources: readonly SyncSource[]): { cycles: string[]; reports: string[] } {
  const claims = sources.flatMap((s) => s.workflow.appliesTo);
  return {
    cycles: claims.map((c) => c.cycle).filter((c): c is string => typeof c === 'string'),
    reports: claims.flatMap((c) => c.reports).filter((r): r is string => typeof r === 'string'),
  };
}

/** Syncs `sources` (creating their instances), with `createMissing` creating missing cycles and reports first. */
export async function initWorkspace(db: Database, sources: readonly SyncSource[], options: { createMissing: boolean; syncedBy: string | null }): Promise<InitWorkspaceOutcome> {
  if (!options.createMissing) return { kind: 'done', result: await syncWorkflows(db, sources, { syncedBy: options.syncedBy }), created: [] };
  const ownership = await hostOwnership(db);
  if (!ownership.standalone) return { kind: 'host-tables', reason: ownership.reason };
  try {
    return await db.transaction(async (tx) => {
      const created = await createMissingHostRows(tx, namesOf(sources));
      const result = await syncWorkflows(within(db, tx), sources, { syncedBy: options.syncedBy });
      if (!result.applied) throw new NotApplied(result);
      return { kind: 'done' as const, result, created };
    });
  } catch (error) {
    if (error instanceof NotApplied) return { kind: 'done', result: error.result, created: [] };
    throw error;
  }
}
