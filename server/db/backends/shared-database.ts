/**
 * An embedded database reached through the process that holds its folder: a small `pg`
 * pool on the holder's socket, behind the same `Database` interface. When the holder goes
 * away, queries fail with a `DatabaseError` that says so; opening the folder again takes it.
 */
import pg from 'pg';
import type { Database, EmbeddedSharing, Notification, QueryOptions, QueryResult, Queryable } from '../database';
import { DatabaseError } from '../database';
import { PG_TYPES, PostgresDatabase, UtcClient } from './pg-database';
import { inspectFolderLock } from './folder-lock';
import { socketEndpoint } from './socket-path';

/** The application_name clients send: the holder lets a closing database finish with the processes it knows by pid. */
export function clientApplicationName(): string {
  return `workflow-phases (pid ${process.pid})`;
}

/** `pg` settings that reach the holder serving on `socket` (null: not a socket path we make). */
export function holderConnection(socket: string): pg.ClientConfig | null {
  const endpoint = socketEndpoint(socket);
  if (endpoint === null) return null;
  return { ...endpoint, user: 'postgres', database: 'postgres', application_name: clientApplicationName(), connectionTimeoutMillis: 10_000 };
}

/** `pg` settings that reach whichever process holds and shares `folder` now; throws when none does. */
export function currentHolderConnection(folder: string): pg.ClientConfig {
  const state = inspectFolderLock(folder);
  const connection = state.state === 'held' && state.address !== null ? holderConnection(state.address) : null;
  if (connection === null) throw new DatabaseError('unreachable', `no process shares the embedded database in ${folder} now`);
  return connection;
}

/** Whether an error means the holder is gone or closing (the caller may open the folder again). */
export function isHolderGone(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  if (e.code && ['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', '57P01', '57P03'].includes(e.code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message ?? '');
}

class SharedDatabase implements Database {
  readonly kind = 'embedded' as const;
  readonly description: string;
  readonly sharing: EmbeddedSharing;

  constructor(
    private readonly inner: PostgresDatabase,
    folder: string,
    holderPid: number,
    socket: string,
  ) {
    this.description = `embedded ${folder} (shared by process ${holderPid})`;
    this.sharing = { folder, role: 'client', holderPid, socket, clientCount: () => 0 };
  }

  private explain(error: unknown): unknown {
    if (error instanceof DatabaseError || !isHolderGone(error)) return error;
    const { folder, holderPid } = this.sharing;
    return new DatabaseError('unreachable', `process ${holderPid}, which held the embedded database in ${folder}, has closed it or exited (${(error as Error).message}): open it again`, error);
  }

  async query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
    try {
      return await this.inner.query<R>(sql, params, options);
    } catch (error) {
      throw this.explain(error);
    }
  }

  async exec(script: string): Promise<void> {
    try {
      await this.inner.exec(script);
    } catch (error) {
      throw this.explain(error);
    }
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await this.inner.transaction(work);
    } catch (error) {
      throw this.explain(error);
    }
  }

  async listen(channel: string, onNotification: (n: Notification) => void): Promise<() => Promise<void>> {
    try {
      return await this.inner.listen(channel, onNotification);
    } catch (error) {
      throw this.explain(error);
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Connects to the holder of `folder` serving on `socket`. Rejects with the driver's error
 * when it cannot (check `isHolderGone`: the holder may be closing).
 */
export async function connectToHolder(folder: string, holderPid: number, socket: string): Promise<Database> {
  const connection = holderConnection(socket);
  if (connection === null) throw new DatabaseError('bad-target', `the lock of ${folder} records an address that is not a socket path: '${socket}'`);
  const pool = new pg.Pool({ ...connection, max: 2, types: PG_TYPES, Client: UtcClient });
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return new SharedDatabase(new PostgresDatabase(pool, `embedded ${folder}`), folder, holderPid, socket);
}
