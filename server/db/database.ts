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

/**
 * How an embedded database opened from a folder is shared between processes: the process
 * holding the folder opens PGlite and serves it on a local socket; every other process
 * that opens the folder meanwhile is a client connected through that socket.
 */
export interface EmbeddedSharing {
  readonly folder: string;
  /** `holder`: this process opened the folder; `client`: connected through the holder. */
  readonly role: 'holder' | 'client';
  /** The process holding the folder (this one for a holder). */
  readonly holderPid: number;
  /** The socket the holder serves on (null: a holder that does not share). */
  readonly socket: string | null;
  /** Holder: client connections open now (0 for a client). */
  clientCount(): number;
}

/** What a holder sharing its embedded database reports about its clients (e.g. for a log). */
export type ShareEvent =
  | { readonly type: 'connected'; readonly client: string }
  | { readonly type: 'disconnected'; readonly client: string; readonly rolledBack: boolean }
  /** A statement a client ran (its command tag, e.g. `INSERT 0 9`). */
  | { readonly type: 'statement'; readonly client: string; readonly tag: string; readonly inTransaction: boolean }
  /** The holder could not make its socket (e.g. on Windows): it has the database, others wait for it. */
  | { readonly type: 'not-shared'; readonly reason: string };

/** A database: queries, transactions, notifications. */
export interface Database extends Queryable {
  /** `postgres` or `embedded`, and where: for messages (never contains a password). */
  readonly description: string;
  /** Which backend this is. */
  readonly kind: 'postgres' | 'embedded';
  /** An embedded database opened from a folder: whether this process holds it or goes through the holder. */
  readonly sharing?: EmbeddedSharing;
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

/** How to open an embedded folder (ignored for PostgreSQL). */
export interface OpenDatabaseOptions {
  /** When this process holds the folder, serve it to other processes over a local socket (default true). */
  readonly serve?: boolean;
  /** Called with a message when this process has to wait for the folder (after about a second), e.g. to print it. */
  readonly onWait?: (message: string) => void;
  /** How long to wait for a folder held by a process that does not share it (default 60 s). */
  readonly waitMs?: number;
  /** When this process holds the folder and serves it: what its clients do. */
  readonly onShareEvent?: (event: ShareEvent) => void;
}

/**
 * Opens a database and checks that it answers. Throws `DatabaseError` with a clear
 * message (host and port, user, folder) when it cannot; the caller decides the exit code.
 * Does not migrate: call `migrate(db)` for that. An embedded folder that another process
 * holds is opened through that process (see `Database.sharing`); a free one is held and,
 * unless `serve` is false, shared with the processes that open it next.
 */
export async function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (target.kind === 'postgres') {
    const { openPostgres } = await import('./backends/pg-database');
    return openPostgres(target.url);
  }
  if (target.folder === null) {
    const { openEmbeddedInMemory } = await import('./backends/pglite-database');
    return openEmbeddedInMemory();
  }
  const { openEmbeddedFolder } = await import('./backends/embedded-folder');
  return openEmbeddedFolder(target.folder, options);
}
