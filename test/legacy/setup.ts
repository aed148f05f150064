/**
 * Test plumbing for the legacy migration: a throwaway database with migration 0001
 * applied, opened as a `Database` over `pg`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Database, Queryable, QueryResult } from '../../server/db/database';
import { createTestDatabase } from '../helpers/postgres';
import type { TestDatabase } from '../helpers/postgres';

const SCHEMA_0001 = readFileSync(join(process.cwd(), 'schemas', 'migrations', '0001-unified-workflow.sql'), 'utf8');

/** A test database with the unified schema, a pool on it, and its teardown. */
export interface LegacyTestDb {
  readonly url: string;
  readonly db: Database;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const result = await client.query(sql, params as unknown[] | undefined);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
  };
}

/** Creates the database and applies 0001; null when PostgreSQL is unreachable and not required. */
export async function legacyTestDb(label: string): Promise<LegacyTestDb | null> {
  const created: TestDatabase | null = await createTestDatabase(label);
  if (!created) return null;
  const pool = new pg.Pool({ connectionString: created.url, max: 2 });
  await pool.query(SCHEMA_0001);
  const db: Database = {
    description: `postgres ${created.name}`,
    ...queryable(pool),
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    listen() {
      return Promise.reject(new Error('not needed by these tests'));
    },
    close: () => pool.end(),
  };
  return {
    url: created.url,
    db,
    pool,
    async close() {
      await pool.end();
      await created.drop();
    },
  };
}
