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

/** The longest name a standalone `test_cycles`, `reports` or `users` column holds (VARCHAR(255)). */
export const HOST_NAME_MAX = 255;

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

/** A user to create in a standalone `users` table: an email, a name, or both. */
export interface NewUser {
  readonly email: string | null;
  readonly name: string | null;
  readonly role: string | null;
}

/** What `createUser` did: the new row, or the existing user with that email (nothing written). */
export type CreatedUser = { readonly created: true; readonly id: number } | { readonly created: false; readonly id: number };

/**
 * Creates a user in a standalone database; a user with the same email (ignoring case)
 * is kept as it is. Call `hostOwnership` first: this throws (a bug) when the tables are not ours.
 */
export async function createUser(q: Queryable, user: NewUser): Promise<CreatedUser> {
  const ownership = await hostOwnership(q);
  if (!ownership.standalone) throw new Error(`createUser on host tables: ${ownership.reason}`);
  if (user.email !== null) {
    const existing = await q.query<{ user_id: number }>('SELECT user_id FROM users WHERE lower(email) = lower($1) ORDER BY user_id LIMIT 1', [user.email]);
    if (existing.rows[0]) return { created: false, id: existing.rows[0].user_id };
  }
  const { rows } = await q.query<{ user_id: number }>('INSERT INTO users (email, name, role) VALUES ($1, $2, $3) RETURNING user_id', [user.email, user.name, user.role]);
  return { created: true, id: rows[0]!.user_id };
}

/** One row of `test_cycles` or `reports` as listed: its id, and its name (null when the table has no name column). */
export interface HostRow {
  readonly id: number;
  readonly name: string | null;
}

/** One row of `users` as listed (columns the table lacks are null). */
export interface HostUser {
  readonly id: number;
  readonly email: string | null;
  readonly name: string | null;
  readonly role: string | null;
}

async function columnsOf(q: Queryable, table: HostTable): Promise<ReadonlySet<string>> {
  const { rows } = await q.query<{ column_name: string }>(
    'SELECT column_name::text AS column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
    [table],
  );
  return new Set(rows.map((r) => r.column_name));
}

/** The test cycles or reports, by name (then id). Read-only: works on a host application's tables too. */
export async function listHostRows(q: Queryable, kind: 'cycle' | 'report'): Promise<HostRow[]> {
  const [table, id, name] = kind === 'cycle' ? (['test_cycles', 'cycle_id', 'cycle_name'] as const) : (['reports', 'id', 'report_name'] as const);
  const hasName = (await columnsOf(q, table)).has(name);
  const { rows } = await q.query<HostRow>(`SELECT ${id} AS id, ${hasName ? name : 'NULL::text'} AS name FROM ${table} ORDER BY 2, 1`);
  return rows;
}

/** The users, by id. Read-only: works on a host application's table too. */
export async function listUsers(q: Queryable): Promise<HostUser[]> {
  const has = await columnsOf(q, 'users');
  const column = (c: string) => (has.has(c) ? c : `NULL::text AS ${c}`);
  const { rows } = await q.query<HostUser>(`SELECT user_id AS id, ${column('email')}, ${column('name')}, ${column('role')} FROM users ORDER BY user_id`);
  return rows;
}
