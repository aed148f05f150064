/**
 * The one small interface both database backends implement: `pg` against a real
 * PostgreSQL and `@electric-sql/pglite` embedded. Everything above it runs the same
 * parameterised SQL on either.
 */

/** Rows returned by a query. */
export interface QueryResult<R> {
  readonly rows: R[];
  /** Rows inserted, updated or deleted by the statement (0 for a SELECT on PGlite). */
  readonly rowCount: number;
}

/**
 * Something that runs one parameterised statement: a connection or an open transaction.
 * Both backends return the same JS types: `int8` as a number, `timestamp` as a Date read
 * as UTC, `json`/`jsonb` parsed, `numeric` as a string.
 */
/** How to run a query. */
export interface QueryOptions {
  /**
   * Prepares the statement once per connection under this name and reuses its plan
   * (PostgreSQL; PGlite ignores it). One name always goes with one SQL text. For the
   * hot, fixed statements of transitions only: a schema change under a prepared
   * statement that reads changed columns makes it fail.
   */
  readonly name?: string;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations only). */
  exec(script: string): Promise<void>;
}

/** A notification received on a LISTEN channel. */
export interface Notification {
  readonly channel: string;
  readonly payload: string;
}

/** A database: queries, transactions, notifications. */
export interface Database extends Queryable {
  /** `postgres` or `embedded`, and where: for messages (never contains a password). */
  readonly description: string;
  /** Which backend this is. */
  readonly kind: 'postgres' | 'embedded';
  /** Runs `work` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Subscribes to a channel; resolves to a function that unsubscribes. */
  listen(channel: string, onNotification: (n: Notification) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Where a database lives: a PostgreSQL URL, or a folder for the embedded one (`null`: in memory). */
export type DatabaseTarget =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'embedded'; readonly folder: string | null };

/** Why a database could not be opened or used, in words a user can act on. */
export type DatabaseErrorKind =
  | 'unreachable'
  | 'authentication'
  | 'no-database'
  | 'bad-target'
  | 'in-use'
  | 'schema-conflict'
  | 'failed';

/** A failure the user can act on (wrong password, unreachable server, conflicting tables). */
export class DatabaseError extends Error {
  constructor(
    readonly kind: DatabaseErrorKind,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'DatabaseError';
  }
}

/**
 * Opens a database and checks that it answers. Throws `DatabaseError` with a clear
 * message (host and port, user, folder) when it cannot; the caller decides the exit code.
 * Does not migrate: call `migrate(db)` for that.
 */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const { openPostgres } = await import('./backends/pg-database');
    return openPostgres(target.url);
  }
  const { openEmbedded } = await import('./backends/pglite-database');
  return openEmbedded(target.folder);
}
