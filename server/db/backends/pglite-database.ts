/**
 * The embedded backend: PGlite (PostgreSQL compiled to WebAssembly) persisted in a
 * folder, guarded by a lock file because only one process may open a folder at a time.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Transaction } from '@electric-sql/pglite';
import type { Database, Notification, Queryable, QueryResult } from '../database';
import { DatabaseError } from '../database';
import { acquireFolderLock } from './folder-lock';
import type { FolderLock } from './folder-lock';
import { seedFromTemplate } from './embedded-template';

/**
 * PostgreSQL settings of the embedded database. The default 128 MB of shared buffers is
 * zeroed at start-up, which puts PGlite at ~300 MB resident before any query; one local
 * user needs far less.
 */
export const POSTGRESQL_CONF = 'shared_buffers = 32MB';

function wrap(target: PGlite | Transaction): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const result = await target.query<R>(sql, params ? [...params] : undefined);
      return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
    },
    async exec(script: string): Promise<void> {
      await target.exec(script);
    },
  };
}

class EmbeddedDatabase implements Database {
  readonly kind = 'embedded' as const;
  private readonly direct: Queryable;

  constructor(
    private readonly pglite: PGlite,
    private readonly lock: FolderLock | null,
    readonly description: string,
  ) {
    this.direct = wrap(pglite);
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.direct.query<R>(sql, params);
  }

  exec(script: string): Promise<void> {
    return this.direct.exec(script);
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) => work(wrap(tx)));
  }

  async listen(channel: string, onNotification: (n: Notification) => void): Promise<() => Promise<void>> {
    const unlisten = await this.pglite.listen(channel, (payload) => onNotification({ channel, payload }));
    return () => unlisten();
  }

  async close(): Promise<void> {
    try {
      if (!this.pglite.closed) await this.pglite.close();
    } finally {
      this.lock?.release();
    }
  }
}

/** Wraps an already open PGlite instance (build scripts, benchmarks). */
export function openEmbeddedOn(pglite: PGlite, description: string): Database {
  return new EmbeddedDatabase(pglite, null, description);
}

/**
 * Opens the embedded database in `folder` (created when missing, from the shipped
 * pre-initialised template when there is one), or in memory when `folder` is null.
 */
export async function openEmbedded(folder: string | null): Promise<Database> {
  if (folder === null) {
    return new EmbeddedDatabase(await PGlite.create({ postgresqlconf: POSTGRESQL_CONF }), null, 'embedded (in memory)');
  }
  const lock = await acquireFolderLock(folder);
  try {
    await seedFromTemplate(folder);
    const pglite = await PGlite.create({ dataDir: folder, postgresqlconf: POSTGRESQL_CONF });
    return new EmbeddedDatabase(pglite, lock, `embedded ${folder}`);
  } catch (error) {
    lock.release();
    if (error instanceof DatabaseError) throw error;
    throw new DatabaseError('failed', `cannot open the embedded database in ${folder}: ${(error as Error).message}`, error);
  }
}
