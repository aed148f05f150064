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

/** Something that runs one parameterised statement: a connection or an open transaction. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** A notification received on a LISTEN channel. */
export interface Notification {
  readonly channel: string;
  readonly payload: string;
}

/** A database: queries, transactions, notifications. */
export interface Database extends Queryable {
  /** `postgres` or `embedded`, and where: for messages. */
  readonly description: string;
  /** Runs `work` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Subscribes to a channel; resolves to a function that unsubscribes. */
  listen(channel: string, onNotification: (n: Notification) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
