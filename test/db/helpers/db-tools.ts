/** Tools for database tests: counting round trips, snapshots of row versions, hooks into transactions. */
import type { Database, Queryable } from '../../../server/db/database';

/** A Database that counts the statements and transactions sent through it. */
export function counting(db: Database): { db: Database; count: () => number; reset: () => void } {
  let n = 0;
  const wrapped: Database = {
    kind: db.kind,
    description: db.description,
    query: (sql, params) => {
      n++;
      return db.query(sql, params);
    },
    exec: (script) => {
      n++;
      return db.exec(script);
    },
    transaction: (work) => {
      n++;
      return db.transaction((tx) => work({ query: (s, p) => (n++, tx.query(s, p)), exec: (s) => (n++, tx.exec(s)) }));
    },
    listen: (c, f) => db.listen(c, f),
    close: () => db.close(),
  };
  return { db: wrapped, count: () => n, reset: () => (n = 0) };
}

/** A Database whose transactions call `before(sql, tx)` ahead of every statement (to break things mid-apply). */
export function hooked(db: Database, before: (sql: string, tx: Queryable) => Promise<void>): Database {
  return {
    ...db,
    query: (sql, params) => db.query(sql, params),
    exec: (script) => db.exec(script),
    listen: (c, f) => db.listen(c, f),
    close: () => db.close(),
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: async (sql, params) => {
            await before(sql, tx);
            return tx.query(sql, params);
          },
          exec: (s) => tx.exec(s),
        }),
      ),
  };
}

const WRITABLE = ['workflow_instances', 'workflow_phases', 'workflow_activities', 'workflow_definitions', 'workflow_transition_history'];

/**
 * Every row's (table, ctid, xmin): any insert, update or delete changes it, so two equal
 * snapshots mean nothing was written in between.
 */
export async function rowVersions(db: Queryable): Promise<string[]> {
  const out: string[] = [];
  for (const table of WRITABLE) {
    const r = await db.query<{ v: string }>(`SELECT ctid::text || ' ' || xmin::text AS v FROM ${table} ORDER BY ctid`);
    out.push(...r.rows.map((row) => `${table} ${row.v}`));
  }
  return out;
}

/** Row counts of the workflow tables. */
export async function counts(db: Queryable): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of WRITABLE) {
    const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = r.rows[0]?.n ?? 0;
  }
  return out;
}
