/**
 * The live change feed: typed events for every phase and activity change, pushed by
 * the 0002 triggers on `workflow_phases_changes`. On PostgreSQL it holds a dedicated
 * LISTEN connection and reconnects with backoff when it drops, then says so (a
 * `reconnected` event: the consumer reloads, since changes in between were missed).
 * On the embedded database it listens in process where this process holds the folder,
 * and otherwise through the holder's socket like on PostgreSQL (reconnecting to the next
 * holder when this one goes away).
 */
import pg from 'pg';
import type { Database } from './database';
import { DatabaseError } from './database';
import { describeConnectionError } from './backends/connection-errors';
import { withPassword } from './backends/pg-database';
import { currentHolderConnection } from './backends/shared-database';
import { CHANGES_CHANNEL, parseChangeNotification } from './notifications';
import type { ChangeNotification } from './notifications';

/** The `application_name` of the feed's LISTEN connection, as `pg_stat_activity` shows it. */
export const FEED_APPLICATION_NAME = 'workflow-phases change feed';

/** What a feed reports. */
export type ChangeFeedEvent =
  | { readonly type: 'change'; readonly change: ChangeNotification }
  /** The listening connection dropped; changes are missed until `reconnected`. */
  | { readonly type: 'disconnected'; readonly error: string; readonly retryInMs: number }
  /** Listening again after a drop: reload whatever is shown, changes in between were missed. */
  | { readonly type: 'reconnected'; readonly attempts: number; readonly downMs: number };

/**
 * Where to listen: a PostgreSQL server (a dedicated connection is opened, with `password`
 * when given, else the URL's or `PGPASSWORD` / `~/.pgpass`), or an open embedded database.
 */
export type ChangeFeedSource =
  | { readonly kind: 'postgres'; readonly url: string; readonly password?: string }
  | { readonly kind: 'embedded'; readonly database: Database };

/** Which changes to deliver, and how to retry. */
export interface ChangeFeedOptions {
  /** Only changes of this test cycle. */
  readonly cycleId?: number;
  /** Only changes of this report. */
  readonly reportId?: number;
  /** Reconnect delays: the first, and the cap it doubles up to (defaults 100 ms and 5 s). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
}

/** An open feed. */
export interface ChangeFeed {
  /** Stops listening and closes the dedicated connection. */
  close(): Promise<void>;
}

function filtered(options: ChangeFeedOptions, onEvent: (e: ChangeFeedEvent) => void): (payload: string) => void {
  return (payload) => {
    const change = parseChangeNotification(payload);
    if (!change) return;
    if (options.cycleId !== undefined && change.cycle_id !== options.cycleId) return;
    if (options.reportId !== undefined && change.report_id !== options.reportId) return;
    onEvent({ type: 'change', change });
  };
}

class PostgresFeed implements ChangeFeed {
  private client: pg.Client | null = null;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private downSince = 0;
  private attempts = 0;

  constructor(
    private readonly config: () => pg.ClientConfig,
    private readonly deliver: (payload: string) => void,
    private readonly onEvent: (e: ChangeFeedEvent) => void,
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  async connect(): Promise<void> {
    const client = new pg.Client(this.config());
    client.on('notification', (n) => {
      if (n.channel === CHANGES_CHANNEL && client === this.client) this.deliver(n.payload ?? '');
    });
    // Both fire when the server goes away; `lost` ignores all but the first for this client.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the connection was closed')));
    this.client = client;
    try {
      await client.connect();
      // UTC like every other connection (see UtcClient), in the same round trip.
      await client.query(`SET TIME ZONE 'UTC'; LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      this.client = null;
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.closed || client !== this.client) return;
    this.client = null;
    void client.end().catch(() => undefined);
    this.downSince = Date.now();
    this.attempts = 0;
    this.retry(error);
  }

  private retry(error: Error): void {
    const delay = Math.min(this.maxMs, this.initialMs * 2 ** this.attempts) * (0.8 + Math.random() * 0.4);
    if (this.attempts === 0) this.onEvent({ type: 'disconnected', error: error.message, retryInMs: Math.round(delay) });
    this.timer = setTimeout(() => void this.reconnect(), delay);
  }

  private async reconnect(): Promise<void> {
    this.timer = null;
    if (this.closed) return;
    this.attempts++;
    try {
      await this.connect();
    } catch (error) {
      if (!this.closed) this.retry(error as Error);
      return;
    }
    if (this.closed) {
      await this.close();
      return;
    }
    this.onEvent({ type: 'reconnected', attempts: this.attempts, downMs: Date.now() - this.downSince });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}

/**
 * Opens a change feed. Resolves once it is listening; rejects (with a `DatabaseError`
 * naming host and port) only when the first connection cannot be made. Events go to
 * `onEvent`; later connection losses are `disconnected` / `reconnected` events, never errors.
 */
export async function openChangeFeed(source: ChangeFeedSource, onEvent: (e: ChangeFeedEvent) => void, options: ChangeFeedOptions = {}): Promise<ChangeFeed> {
  const deliver = filtered(options, onEvent);
  const initialMs = options.backoff?.initialMs ?? 100;
  const maxMs = options.backoff?.maxMs ?? 5_000;
  if (source.kind === 'embedded') {
    const sharing = source.database.sharing;
    if (sharing?.role !== 'client') {
      const stop = await source.database.listen(CHANGES_CHANNEL, (n) => deliver(n.payload));
      return { close: stop };
    }
    // Through the holder: a connection of its own that, when the holder goes away,
    // reconnects to whichever process holds and shares the folder next.
    const feed = new PostgresFeed(() => currentHolderConnection(sharing.folder), deliver, onEvent, initialMs, maxMs);
    try {
      await feed.connect();
    } catch (error) {
      if (error instanceof DatabaseError) throw error;
      throw new DatabaseError('unreachable', `cannot listen through process ${sharing.holderPid}, which holds the embedded database in ${sharing.folder}: ${(error as Error).message}`, error);
    }
    return feed;
  }
  const url = withPassword(source.url, source.password);
  const feed = new PostgresFeed(() => ({ connectionString: url, keepAlive: true, connectionTimeoutMillis: 10_000, application_name: FEED_APPLICATION_NAME }), deliver, onEvent, initialMs, maxMs);
  try {
    await feed.connect();
  } catch (error) {
    throw describeConnectionError(error, url);
  }
  return feed;
}
