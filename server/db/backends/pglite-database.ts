/**
 * The embedded backend: PGlite (PostgreSQL compiled to WebAssembly) persisted in a
 * folder. Only one process may open a folder (see folder-lock.ts); that process, the
 * holder, serves the database to the others over a local socket (socket-bridge.ts).
 */
import { PGlite } from '@electric-sql/pglite';
import type { Transaction } from '@electric-sql/pglite';
import type { Database, EmbeddedSharing, Notification, OpenDatabaseOptions, Queryable, QueryResult } from '../database';
import { DatabaseError } from '../database';
import type { FolderLock } from './folder-lock';
import { seedFromTemplate } from './embedded-template';
import { Exclusive } from './exclusive';
import { NotificationHub } from './notification-hub';
import { SocketBridge } from './socket-bridge';
import { claimSocketPath } from './socket-path';
import { waitingCount } from './wait-queue';
import { quoteIdent } from './wire-messages';
import type { SocketPath } from './socket-path';

/**
 * PostgreSQL settings of the embedded database. The default 128 MB of shared buffers is
 * zeroed at start-up, which puts PGlite at ~300 MB resident before any query; one local
 * user needs far less. `timestamp` columns are read as UTC, so the session writes UTC.
 */
export const POSTGRESQL_CONF = "shared_buffers = 32MB\ntimezone = 'UTC'";

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
  // One backend: the holder's queries and transactions take their turn with the socket clients'.
  private readonly exclusive = new Exclusive();
  private readonly hub = new NotificationHub();
  private bridge: SocketBridge | null = null;
  private socket: SocketPath | null = null;
  private closed = false;

  constructor(
    private readonly pglite: PGlite,
    private readonly lock: FolderLock | null,
    readonly description: string,
    private readonly folder: string | null,
  ) {
    this.direct = wrap(pglite);
    // Notifications PGlite reads from the holder's own results; the bridge publishes those it finds in clients'.
    pglite.onNotification((channel, payload) => this.hub.publish(channel, payload, process.pid));
  }

  get sharing(): EmbeddedSharing | undefined {
    if (this.folder === null) return undefined;
    return { folder: this.folder, role: 'holder', holderPid: process.pid, socket: this.socket?.path ?? null, clientCount: () => this.bridge?.clientCount ?? 0 };
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.exclusive.run(() => this.direct.query<R>(sql, params));
  }

  exec(script: string): Promise<void> {
    return this.exclusive.run(() => this.direct.exec(script));
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.exclusive.run(() => this.pglite.transaction((tx) => work(wrap(tx))));
  }

  async listen(channel: string, onNotification: (n: Notification) => void): Promise<() => Promise<void>> {
    const callback = (payload: string) => onNotification({ channel, payload });
    this.hub.addLocal(channel, callback);
    try {
      await this.exec(`LISTEN ${quoteIdent(channel)}`);
    } catch (error) {
      this.hub.removeLocal(channel, callback);
      throw error;
    }
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      if (this.hub.removeLocal(channel, callback) && !this.closed) await this.exec(`UNLISTEN ${quoteIdent(channel)}`);
    };
  }

  /** Serves the database on a local socket and records the address beside the lock. */
  async serve(folder: string, onEvent: OpenDatabaseOptions['onShareEvent']): Promise<void> {
    if (this.lock === null) return;
    const socket = claimSocketPath(folder);
    try {
      this.bridge = await SocketBridge.start(socket.path, { pglite: this.pglite, exclusive: this.exclusive, hub: this.hub, folder, onEvent });
    } catch (error) {
      socket.remove();
      throw error;
    }
    this.socket = socket;
    this.lock.setAddress(socket.path);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      // Processes queued for the folder connect as soon as they look again: serve them
      // rather than make each open the folder in turn. Then newcomers wait for the folder,
      // and the clients already connected finish first.
      if (this.bridge && this.folder !== null) await lingerForWaiters(this.folder);
      this.lock?.setAddress(null);
      await this.bridge?.close();
      this.socket?.remove();
      await this.exclusive.run(async () => {
        if (!this.pglite.closed) await this.pglite.close();
      });
    } finally {
      this.lock?.release();
    }
  }
}

/** How long a closing holder keeps serving for processes queued for its folder. */
const LINGER_MS = 10_000;

async function lingerForWaiters(folder: string): Promise<void> {
  const until = Date.now() + LINGER_MS;
  while (waitingCount(folder) > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
}

/** Wraps an already open PGlite instance (build scripts, benchmarks). */
export function openEmbeddedOn(pglite: PGlite, description: string): Database {
  return new EmbeddedDatabase(pglite, null, description, null);
}

/** Opens an embedded database in memory: nobody else can reach it. */
export async function openEmbeddedInMemory(): Promise<Database> {
  return new EmbeddedDatabase(await PGlite.create({ postgresqlconf: POSTGRESQL_CONF }), null, 'embedded (in memory)', null);
}

/**
 * Opens the embedded database in `folder` (created when missing, from the shipped
 * pre-initialised template when there is one) under `lock`, which it releases on close
 * or failure, and serves it unless `serve` is false.
 */
export async function openEmbeddedHolder(folder: string, lock: FolderLock, options: OpenDatabaseOptions): Promise<Database> {
  let db: EmbeddedDatabase | null = null;
  try {
    await seedFromTemplate(folder);
    const pglite = await PGlite.create({ dataDir: folder, postgresqlconf: POSTGRESQL_CONF });
    db = new EmbeddedDatabase(pglite, lock, `embedded ${folder}`, folder);
    // A database-level setting would win over the configuration file: the session says UTC.
    await db.exec("SET TIME ZONE 'UTC'");
    if (options.serve !== false) {
      // Sharing is a convenience: where no socket can be made (Windows has no Unix domain
      // sockets for `pg`; a read-only folder), this process still has the database, and
      // other processes wait for it as they did before sharing existed.
      await db.serve(folder, options.onShareEvent).catch((error: unknown) => options.onShareEvent?.({ type: 'not-shared', reason: (error as Error).message }));
    }
    return db;
  } catch (error) {
    if (db) await db.close().catch(() => undefined);
    lock.release();
    if (error instanceof DatabaseError) throw error;
    throw new DatabaseError('failed', `cannot open the embedded database in ${folder}: ${(error as Error).message}`, error);
  }
}
