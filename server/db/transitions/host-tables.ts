/**
 * The host application's `users`, `test_cycles` and `reports` tables: which optional
 * columns they have (a host database has its own shapes; ours are minimal). Read once
 * per database and remembered.
 */
import type { Database, Queryable } from '../database';

/** The optional columns the transitions use, by table. */
export interface HostColumns {
  readonly users: { readonly email: boolean; readonly name: boolean; readonly role: boolean };
  readonly cycleName: boolean;
  readonly reportName: boolean;
}

const cache = new WeakMap<Database, Promise<HostColumns>>();

async function read(q: Queryable): Promise<HostColumns> {
  const { rows } = await q.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name IN ('users', 'test_cycles', 'reports')`,
  );
  const has = (table: string, column: string) => rows.some((r) => r.table_name === table && r.column_name === column);
  return {
    users: { email: has('users', 'email'), name: has('users', 'name'), role: has('users', 'role') },
    cycleName: has('test_cycles', 'cycle_name'),
    reportName: has('reports', 'report_name'),
  };
}

/** The optional host columns of `db` (cached per database). */
export function hostColumns(db: Database): Promise<HostColumns> {
  let found = cache.get(db);
  if (!found) {
    found = read(db);
    cache.set(db, found);
    // A failed read (e.g. the connection dropped) must not be remembered.
    found.catch(() => cache.delete(db));
  }
  return found;
}
