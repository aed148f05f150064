/**
 * A throwaway PostgreSQL database per test: created on the server named by DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres) and dropped after. A migrated one is
 * a copy (`CREATE DATABASE … TEMPLATE`) of `wp_tpl_<hash of the migrations>`, migrated once
 * for every test process (see template-database.ts). When no server answers, tests skip with
 * a message, except where WORKFLOW_PHASES_REQUIRE_PG or CI is set: there it is a failure, so
 * CI never passes by skipping.
 */
import pg from 'pg';
import { migratedTemplate } from './template-database';

/** The admin URL tests connect to in order to create their databases. */
export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A created test database. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** How to create a test database. */
export interface TestDatabaseOptions {
  /** Already migrated to the current schema (a copy of the template): what `migrate` would leave. */
  readonly migrated?: boolean;
}

const requirePg = () => Boolean(process.env.WORKFLOW_PHASES_REQUIRE_PG || process.env.CI);

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}

/** A connected admin client, or null (after a warning) when PostgreSQL is unreachable and not required. */
async function connectAdmin(): Promise<pg.Client | null> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    return admin;
  } catch (error) {
    const message = `PostgreSQL is not reachable at ${ADMIN_URL}: ${(error as Error).message}`;
    if (requirePg()) throw new Error(message);
    console.warn(`SKIPPED (no PostgreSQL): ${message}`);
    return null;
  }
}

/**
 * Whether PostgreSQL answers (false: the caller skips), with the same failure as
 * `createTestDatabase` where it is required; creates nothing.
 */
export async function postgresReachable(): Promise<boolean> {
  const admin = await connectAdmin();
  if (admin === null) return false;
  await admin.end();
  return true;
}

// PostgreSQL cuts names at 63 bytes, silently: the part that makes a name unique must come first.
const MAX_NAME = 63;
let created = 0;

/**
 * The name of a new test database: unique within the process (a counter) and across
 * processes running at once (the pid and the time), readable (`label`, shortened), and never
 * longer than PostgreSQL keeps.
 */
export function testDatabaseName(label: string): string {
  const unique = `${process.pid}_${++created}_${Date.now().toString(36)}`;
  const readable = label.replace(/[^a-z0-9]+/gi, '_').toLowerCase().replace(/^_+|_+$/g, '');
  const room = MAX_NAME - 'wp_test_'.length - unique.length - 1;
  return `wp_test_${readable.slice(0, Math.max(0, room)).replace(/_+$/, '')}_${unique}`;
}

/**
 * Creates a fresh database named after `label` (empty, or migrated with
 * `{migrated: true}`). Resolves to null (the caller skips) only when PostgreSQL is
 * unreachable and not required.
 */
export async function createTestDatabase(label: string, options: TestDatabaseOptions = {}): Promise<TestDatabase | null> {
  const admin = await connectAdmin();
  if (admin === null) return null;
  const name = testDatabaseName(label);
  try {
    const template = options.migrated ? await migratedTemplate(admin, ADMIN_URL) : null;
    await admin.query(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`);
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
