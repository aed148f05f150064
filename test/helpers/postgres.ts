/**
 * A throwaway PostgreSQL database per test file: created on the server named by
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and dropped after.
 * When no server answers, tests skip with a message, except where
 * WORKFLOW_PHASES_REQUIRE_PG or CI is set: there it is a failure, so CI never passes by skipping.
 */
import pg from 'pg';

/** The admin URL tests connect to in order to create their databases. */
export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A created test database. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

const requirePg = () => Boolean(process.env.WORKFLOW_PHASES_REQUIRE_PG || process.env.CI);

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}

/**
 * Creates a fresh database named after `label`. Resolves to null (the caller skips)
 * only when PostgreSQL is unreachable and not required.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase | null> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    const message = `PostgreSQL is not reachable at ${ADMIN_URL}: ${(error as Error).message}`;
    if (requirePg()) throw new Error(message);
    console.warn(`SKIPPED (no PostgreSQL): ${message}`);
    return null;
  }
  const name = `wp_test_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_${process.pid}_${Date.now().toString(36)}`;
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(ADMIN_URL, name),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
