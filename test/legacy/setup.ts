/**
 * Test plumbing for the legacy migration: a throwaway PostgreSQL database opened with
 * the real `pg` backend, with the Workflow Phases schema migrated in (unless asked not to).
 */
import { openDatabase } from '../../server/db/database';
import type { Database } from '../../server/db/database';
import { createTestDatabase } from '../helpers/postgres';

/** A test database, open, and its teardown. */
export interface LegacyTestDb {
  readonly url: string;
  readonly db: Database;
  close(): Promise<void>;
}

/** Creates the database (migrated unless `migrated` is false); null when PostgreSQL is unreachable and not required. */
export async function legacyTestDb(label: string, migrated = true): Promise<LegacyTestDb | null> {
  // Migrated: a copy of the migrated template (what `migrate` leaves, without running it again).
  const created = await createTestDatabase(label, { migrated });
  if (!created) return null;
  const db = await openDatabase({ kind: 'postgres', url: created.url });
  return {
    url: created.url,
    db,
    async close() {
      await db.close();
      await created.drop();
    },
  };
}
