/**
 * The host application's `test_cycles`, `reports` and `users` rows. Workflow Phases only
 * writes them in a standalone database, where it created those tables itself (migration
 * 0001 creates the minimal shape when they do not exist); a host application's tables
 * are read, never written.
 */
import type { Queryable } from './database';

/** The columns migration 0001 gives each host table when it creates it. */
const OWN_SHAPE: Readonly<Record<HostTable, readonly string[]>> = {
  test_cycles: ['created_at', 'cycle_id', 'cycle_name'],
  reports: ['created_at', 'id', 'report_name'],
  users: ['created_at', 'email', 'name', 'role', 'user_id'],
};

/** One of the host application's tables. */
export type HostTable = 'test_cycles' | 'reports' | 'users';

/** Whether the host tables are ours to write, and if not, why. */
export type HostOwnership = { readonly standalone: true } | { readonly standalone: false; readonly reason: string };

/**
 * Standalone when each host table has exactly the columns migration 0001 creates: a host
 * application's tables have shapes of their own, and then nothing here writes to them.
 */
export async function hostOwnership(q: Queryable): Promise<HostOwnership> {
  const { rows } = await q.query<{ table_name: HostTable; columns: string[] }>(
    `SELECT table_name, array_agg(column_name::text ORDER BY column_name::text) AS columns
       FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name IN ('test_cycles', 'reports', 'users')
      GROUP BY table_name`,
  );
  for (const table of Object.keys(OWN_SHAPE) as HostTable[]) {
    const columns = rows.find((r) => r.table_name === table)?.columns ?? [];
    const own = OWN_SHAPE[table];
    if (columns.length !== own.length || columns.some((c, i) => c !== own[i])) {
      return {
        standalone: false,
        reason: `${table} belongs to a host application (its columns are ${columns.join(', ') || 'missing'}, not the ones Workflow Phases creates): Workflow Phases never writes to it; add the row with the host application`,
      };
    }
  }
  return { standalone: true };
}

/** Rows a call created, by name. */
export interface CreatedRows {
  readonly kind: 'cycle' | 'report';
  readonly name: string;
  readonly id: number;
}

/**
 * Creates the test cycles and reports of `names` that do not exist yet (by name), in a
 * standalone database only; returns what it created (nothing for names that exist).
 * Call `hostOwnership` first: this throws (a bug) when the tables are not ours.
 */
export async function createMissingHostRows(q: Queryable, names: { readonly cycles: readonly string[]; readonly reports: readonly string[] }): Promise<CreatedRows[]> {
  const ownership = await hostOwnership(q);
  if (!ownership.standalone) throw new Error(`createMissingHostRows on host tables: ${ownership.reason}`);
  const cycles = await q.query<{ id: number; name: string }>(
    `INSERT INTO test_cycles (cycle_name) SELECT DISTINCT n FROM unnest($1::text[]) AS n
     ON CONFLICT (cycle_name) DO NOTHING RETURNING cycle_id AS id, cycle_name AS name`,
    [[...names.cycles]],
  );
  const reports = await q.query<{ id: number; name: string }>(
    `INSERT INTO reports (report_name) SELECT DISTINCT n FROM unnest($1::text[]) AS n
     ON CONFLICT (report_name) DO NOTHING RETURNING id, report_name AS name`,
    [[...names.reports]],
  );
  return [
    ...cycles.rows.map((r): CreatedRows => ({ kind: 'cycle', name: r.name, id: r.id })),
    ...reports.rows.map((r): CreatedRows => ({ kind: 'report', name: r.name, id: r.id })),
  ].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}
