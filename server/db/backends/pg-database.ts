/** The real-PostgreSQL backend: a small `pg` Pool behind the `Database` interface. */
import pg from 'pg';
import type { Database, Notification, Queryable, QueryOptions, QueryResult } from '../database';
import { DatabaseError } from '../database';
import { describeConnectionError, redactUrl } from './connection-errors';

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;
const TIMESTAMP_OID = 1114;

/**
 * Makes `pg` return what PGlite returns, so code above the interface sees one set of types:
 * int8 as a number (ids and counts stay far below 2^53), timestamp-without-time-zone as UTC.
 */
export const PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    if (oid === INT8_OID) return (value: string) => Number(value);
    if (oid === INT8_ARRAY_OID) {
      const parseArray = (pg.types.getTypeParser as (oid: number, format: 'text') => (value: string) => (string | null)[])(INT8_ARRAY_OID, 'text');
      return (value: string) => parseArray(value).map((x) => (x === null ? null : Number(x)));
    }
    if (oid === TIMESTAMP_OID) return (value: string) => new Date(`${value.replace(' ', 'T')}Z`);
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
};

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
      const values = params ? [...params] : undefined;
      const result = options?.name ? await client.query({ name: options.name, text: sql, values }) : await client.query(sql, values);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
    async exec(script: string): Promise<void> {
      // Without parameters pg uses the simple protocol, which runs several statements.
      await client.query(script);
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A `pg` client whose session time zone is UTC, whatever the server's or the database's
 * setting, before it runs anything else: `timestamp` columns are then written (`now()`)
 * and read (`PG_TYPES`) as UTC. For pools: `new pg.Pool({ ..., Client: UtcClient })`.
 */
export class UtcClient extends pg.Client {
  override connect(): Promise<pg.Client>;
  override connect(callback: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): void;
  override connect(callback?: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): Promise<pg.Client> | void {
    const ready = super.connect().then(async () => {
      await this.query("SET TIME ZONE 'UTC'");
      return this;
    });
    if (!callback) return ready;
    const done = callback as (err: Error | null, c?: pg.Client) => void;
    ready.then(
      (c) => done(null, c),
      (error: Error) => done(error),
    );
  }
}

/** A `pg` pool behind the `Database` interface. */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  private readonly direct: Queryable;

  constructor(
    private readonly pool: pg.Pool,
    readonly description: string,
  ) {
    this.direct = wrap(pool);
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
    return this.direct.query<R>(sql, params, options);
  }

  exec(script: string): Promise<void> {
    return this.direct.exec(script);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client whose connection dies emits 'error'; unhandled, it would crash
    // the process. The failing query rejects anyway, which is what the caller sees.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(wrap(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection itself is gone (e.g. terminated): do not return it to the pool.
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async listen(channel: string, onNotification: (n: Notification) => void): Promise<() => Promise<void>> {
    const client = await this.pool.connect();
    const handler = (message: pg.Notification) => {
      if (message.channel === channel) onNotification({ channel: message.channel, payload: message.payload ?? '' });
    };
    let lost: Error | undefined;
    const onError = (error: Error) => {
      lost = error;
    };
    client.on('error', onError);
    client.on('notification', handler);
    try {
      await client.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (error) {
      client.off('notification', handler);
      client.off('error', onError);
      client.release(error as Error);
      throw error;
    }
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      client.off('notification', handler);
      try {
        if (lost) throw lost;
        await client.query(`UNLISTEN ${quoteIdent(channel)}`);
        client.off('error', onError);
        client.release();
      } catch (error) {
        client.off('error', onError);
        client.release(error as Error);
      }
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * `url` carrying `password`, for pg only (never shown): pg lets a connection string's
 * fields override the separate `password` option, even an empty one.
 */
export function withPassword(url: string, password: string | undefined): string {
  if (password === undefined || password === '') return url;
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** How to size and authenticate the pool (all optional). */
export interface PostgresOptions {
  /** Connections at most (default 4). */
  readonly max?: number;
  /** Close a connection idle this long, in milliseconds (default: pg's 10 s). */
  readonly idleTimeoutMillis?: number;
  /** The password; absent: the URL's, else `PGPASSWORD` / `~/.pgpass` (pg reads them). */
  readonly password?: string;
  /** `application_name`, as `pg_stat_activity` shows it. */
  readonly applicationName?: string;
}

/** Opens a pool on `url` and checks the server answers; throws `DatabaseError` when it does not. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  let config: pg.PoolConfig;
  try {
    // Validate the URL ourselves: pg's own parser accepts nonsense and fails later.
    const parsed = new URL(url);
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new Error('not a postgres:// URL');
    config = {
      connectionString: withPassword(url, options.password),
      max: options.max ?? 4,
      connectionTimeoutMillis: 10_000,
      types: PG_TYPES,
      Client: UtcClient,
      ...(options.idleTimeoutMillis !== undefined ? { idleTimeoutMillis: options.idleTimeoutMillis } : {}),
      ...(options.applicationName !== undefined ? { application_name: options.applicationName } : {}),
    };
  } catch {
    throw new DatabaseError('bad-target', `'${redactUrl(url)}' is not a PostgreSQL URL (expected postgres://user@host:port/database)`);
  }
  const pool = new pg.Pool(config);
  // An idle client whose server connection dies (restart, pg_terminate_backend) emits
  // 'error' on the pool; without a listener that would crash the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw describeConnectionError(error, withPassword(url, options.password));
  }
  return new PostgresDatabase(pool, `postgres ${redactUrl(url)}`);
}
