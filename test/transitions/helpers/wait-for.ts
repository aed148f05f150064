/** Waiting for a PostgreSQL backend to reach a state (blocked on a lock, running a statement). */
import type { Database } from '../../../server/db/database';

/** Waits until a backend of this database matches `condition` in pg_stat_activity; resolves to its pid. */
export async function waitFor(db: Database, condition: string, params: unknown[]): Promise<number> {
  for (let i = 0; i < 2000; i++) {
    const { rows } = await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND ${condition} LIMIT 1`, params);
    if (rows[0]) return rows[0].pid;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const { rows } = await db.query("SELECT pid, wait_event_type, state, left(query, 120) AS q FROM pg_stat_activity WHERE datname = current_database()");
  throw new Error(`no backend matched: ${condition}\n${JSON.stringify(rows, null, 1)}`);
}
