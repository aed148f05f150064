/**
 * The language server's one live database: which one (from the settings), connecting
 * (asking the client for a PostgreSQL password), migrating, the change feed, the acting
 * user, and reconnecting with backoff when it is unreachable or goes away. On PostgreSQL
 * it holds at most two connections: the feed's LISTEN connection and one pooled query
 * connection, closed after a minute idle. Nothing here ever stops validation.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Actor } from '../../core/index';
import type { ActingUser, DatabaseState, DatabaseStatusParams, PasswordParams } from '../../../schemas/lsp-protocol';
import { openPostgres } from '../../db/backends/pg-database';
import { openChangeFeed } from '../../db/change-feed';
import type { ChangeFeed, ChangeFeedEvent } from '../../db/change-feed';
import { DatabaseError, openDatabase } from '../../db/database';
import type { Database } from '../../db/database';
import { prepareEmbeddedFolder } from '../../db/embedded-folder';
import { resolveActingUser } from '../../db/live/acting-user';
import { migrate } from '../../db/migrations/migrate';
import type { ChangeNotification } from '../../db/notifications';
import { sameTarget, type LiveTarget } from './settings';

/** `application_name` of the pooled query connection (the feed's is `workflow-phases change feed`). */
export const QUERY_APPLICATION_NAME = 'workflow-phases language server';

/** How long the query connection may sit idle before it is closed (ms); `WORKFLOW_PHASES_IDLE_MS` overrides it for tests. */
const IDLE_MS = Number(process.env.WORKFLOW_PHASES_IDLE_MS) > 0 ? Number(process.env.WORKFLOW_PHASES_IDLE_MS) : 60_000;
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** What the connection tells the rest of the server. */
export interface LiveEvents {
  /** The status changed (state, database or acting user). */
  status(params: DatabaseStatusParams): void;
  /** Connected; `reload`: anything shown before may be stale (a reconnect or another database). */
  connected(reload: boolean): void;
  /** The database went away or was switched off: drop what was derived from it. */
  disconnected(): void;
  /** A phase or activity row changed (the feed). */
  change(change: ChangeNotification): void;
  /** Asks the client for a password: the password, null for none, undefined when the client does not implement the request. */
  password(params: PasswordParams): Promise<string | null | undefined>;
  log(message: string): void;
}

/** Who acts, as the editor shows it and as the rules engine checks it. */
interface Acting {
  readonly user: ActingUser;
  readonly actor: Actor;
}

/** Errors that retrying cannot fix: they wait for the settings (or the password) to change. */
const FINAL = new Set(['authentication', 'bad-target', 'schema-conflict']);

function passwordParams(url: string, previousFailed: boolean): PasswordParams {
  const u = new URL(url);
  u.password = '';
  const user = decodeURIComponent(u.username) || process.env.PGUSER || userInfo().username;
  return {
    url: u.toString(),
    host: u.hostname || 'localhost',
    port: Number(u.port) || 5432,
    user,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || user,
    previousFailed,
  };
}

/** Manages the live database; see the file comment. */
export class LiveConnection {
  private target: LiveTarget = { kind: 'none', reason: 'not configured yet', configured: false };
  private state: DatabaseState = 'none';
  private reason: string | undefined;
  private retryInMs: number | undefined;
  private database: Database | null = null;
  private feed: ChangeFeed | null = null;
  private acting: Acting | null = null;
  /** Bumped on every switch: work of an older generation throws its results away. */
  private generation = 0;
  private timer: NodeJS.Timeout | null = null;
  private attempts = 0;
  private connectedBefore = false;
  private passwordSupported = true;
  private userSetting = '';
  private gitEmail: string | null = null;

  constructor(
    private readonly enabled: boolean,
    private readonly events: LiveEvents,
  ) {
    if (!enabled) this.target = { kind: 'none', reason: 'the live database is off (Restricted Mode: the workspace is not trusted)', configured: false };
  }

  /** The open database, or undefined when none is connected. */
  get db(): Database | undefined {
    return this.database ?? undefined;
  }

  /** The engine's actor for the acting user (nobody until connected). */
  get actor(): Actor | undefined {
    return this.acting?.actor;
  }

  /** The acting user as the editor shows it. */
  get user(): ActingUser | null {
    return this.acting?.user ?? null;
  }

  /** False in Restricted Mode. */
  get isEnabled(): boolean {
    return this.enabled;
  }

  /** What is configured now. */
  get configured(): LiveTarget {
    return this.target;
  }

  /** Why there is no usable database, for error messages. */
  unavailableReason(): string {
    if (this.state === 'connecting') return 'the database is still connecting: try again in a moment';
    return this.reason ?? 'no database is connected';
  }

  /**
   * Applies the settings: connects to (or switches to) `target`; with the same target,
   * re-resolves the acting user, and retries at once when it is disconnected (e.g. after
   * the password was changed).
   */
  async configure(target: LiveTarget, userSetting: string, gitEmail: string | null): Promise<void> {
    if (!this.enabled) {
      this.publish();
      return;
    }
    const userChanged = userSetting !== this.userSetting || gitEmail !== this.gitEmail;
    this.userSetting = userSetting;
    this.gitEmail = gitEmail;
    if (sameTarget(target, this.target) && this.state !== 'none') {
      if (this.state === 'disconnected' && this.database === null) this.retryNow();
      else if (userChanged && this.database) await this.refreshUser();
      return;
    }
    await this.switchTo(target);
  }

  /** Re-reads the acting user from the database; pushes the status when it changed. */
  async refreshUser(): Promise<Acting | null> {
    const db = this.database;
    if (!db) return null;
    const acting = await resolveActingUser(db, this.userSetting, this.gitEmail);
    if (db !== this.database) return this.acting;
    const changed = JSON.stringify(acting.user) !== JSON.stringify(this.acting?.user ?? null);
    this.acting = acting;
    if (changed) this.publish();
    return acting;
  }

  /**
   * Creates (when missing) and connects to the embedded database in `folder`, waiting
   * for the connection; throws `DatabaseError` when it cannot be opened.
   */
  async useEmbedded(folder: string): Promise<void> {
    const target: LiveTarget = { kind: 'embedded', folder, create: true };
    if (!(sameTarget(target, this.target) && this.database)) await this.switchTo(target);
    if (!this.database) throw new DatabaseError('failed', this.reason ?? `cannot open the embedded database in ${folder}`);
  }

  /** Closes everything (shutdown): the feed, the pool, the embedded folder's lock. */
  async close(): Promise<void> {
    this.generation++;
    this.clearTimer();
    await this.release();
  }

  private async switchTo(target: LiveTarget): Promise<void> {
    const gen = ++this.generation;
    this.clearTimer();
    const hadDatabase = this.database !== null;
    await this.release();
    if (hadDatabase) this.events.disconnected();
    if (gen !== this.generation) return;
    this.target = target;
    this.attempts = 0;
    if (target.kind === 'none') {
      this.setState(target.configured ? 'disconnected' : 'none', target.reason);
      return;
    }
    await this.connect(gen);
  }

  private async connect(gen: number): Promise<void> {
    const target = this.target;
    if (target.kind === 'none') return;
    this.setState('connecting');
    let db: Database | null = null;
    let feed: ChangeFeed | null = null;
    try {
      if (target.kind === 'postgres') {
        const opened = await this.openPostgres(target.url, gen);
        if (!opened) return;
        db = opened.db;
        if (gen !== this.generation) return;
        await migrate(db);
        feed = await openChangeFeed({ kind: 'postgres', url: target.url, ...(opened.password !== undefined ? { password: opened.password } : {}) }, (e) => this.onFeed(gen, e));
      } else {
        if (!target.create && !existsSync(target.folder)) {
          this.setState('none', `the embedded database folder ${target.folder} does not exist`);
          return;
        }
        prepareEmbeddedFolder(target.folder);
        db = await openDatabase({ kind: 'embedded', folder: target.folder });
        if (gen !== this.generation) return;
        await migrate(db);
        const opened: Database = db;
        feed = await openChangeFeed({ kind: 'embedded', database: opened }, (e) => this.onFeed(gen, e));
      }
      const acting = await resolveActingUser(db, this.userSetting, this.gitEmail);
      if (gen !== this.generation) return;
      this.database = db;
      this.feed = feed;
      this.acting = acting;
      db = null;
      feed = null;
      this.attempts = 0;
      this.setState('connected');
      this.events.connected(this.connectedBefore);
      this.connectedBefore = true;
    } catch (error) {
      if (gen === this.generation) this.failed(gen, error);
    } finally {
      await feed?.close().catch(() => undefined);
      await db?.close().catch(() => undefined);
    }
  }

  /** Opens the pool, asking the client for the password; one more ask after a refused one. Null: a newer switch took over. */
  private async openPostgres(url: string, gen: number): Promise<{ db: Database; password: string | undefined } | null> {
    const open = (password: string | undefined) =>
      openPostgres(url, { max: 1, idleTimeoutMillis: IDLE_MS, applicationName: QUERY_APPLICATION_NAME, ...(password !== undefined ? { password } : {}) });
    let password = await this.askPassword(url, false);
    if (gen !== this.generation) return null;
    try {
      return { db: await open(password), password };
    } catch (error) {
      if (!(error instanceof DatabaseError) || error.kind !== 'authentication' || !this.passwordSupported) throw error;
    }
    password = await this.askPassword(url, true);
    if (gen !== this.generation) return null;
    return { db: await open(password), password };
  }

  private async askPassword(url: string, previousFailed: boolean): Promise<string | undefined> {
    if (!this.passwordSupported) return undefined;
    const answer = await this.events.password(passwordParams(url, previousFailed));
    if (answer === undefined) this.passwordSupported = false;
    return answer ?? undefined;
  }

  private failed(gen: number, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const kind = error instanceof DatabaseError ? error.kind : 'failed';
    if (!(error instanceof DatabaseError)) this.events.log(`connecting failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
    if (FINAL.has(kind)) {
      this.setState('disconnected', message);
      return;
    }
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.attempts++);
    this.setState('disconnected', message, delay);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (gen === this.generation) void this.connect(gen);
    }, delay);
  }

  private retryNow(): void {
    this.clearTimer();
    this.attempts = 0;
    void this.connect(this.generation);
  }

  private onFeed(gen: number, event: ChangeFeedEvent): void {
    if (gen !== this.generation) return;
    switch (event.type) {
      case 'change':
        this.events.change(event.change);
        return;
      case 'disconnected':
        this.setState('disconnected', `the database connection was lost (${event.error}); reconnecting`, event.retryInMs);
        this.events.disconnected();
        return;
      case 'reconnected':
        this.setState('connected');
        this.events.connected(true);
        void this.refreshUser().catch(() => undefined);
        return;
    }
  }

  private async release(): Promise<void> {
    const feed = this.feed;
    const db = this.database;
    this.feed = null;
    this.database = null;
    this.acting = null;
    await feed?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private setState(state: DatabaseState, reason?: string, retryInMs?: number): void {
    this.state = state;
    this.reason = reason;
    this.retryInMs = retryInMs;
    this.publish();
  }

  /** Sends the current status. */
  publish(): void {
    this.events.status(this.statusParams());
  }

  /** The status as the client sees it. */
  statusParams(): DatabaseStatusParams {
    const t = this.target;
    const where = t.kind === 'postgres' ? describePostgres(t.url) : t.kind === 'embedded' ? { label: 'embedded', description: `embedded ${t.folder}` } : { label: 'no database', description: 'no database' };
    const state = this.enabled ? this.state : 'none';
    const reason = this.enabled ? this.reason : (t.kind === 'none' ? t.reason : undefined);
    return {
      state,
      kind: t.kind === 'none' ? null : t.kind,
      label: where.label,
      description: where.description,
      ...(reason !== undefined && state !== 'connected' ? { reason } : {}),
      ...(this.retryInMs !== undefined && state === 'disconnected' ? { retryInMs: this.retryInMs } : {}),
      user: state === 'connected' ? (this.acting?.user ?? null) : null,
    };
  }
}

function describePostgres(url: string): { label: string; description: string } {
  try {
    const u = new URL(url);
    u.password = '';
    return { label: `${u.hostname || 'localhost'}:${u.port || '5432'}`, description: `postgres ${u.toString()}` };
  } catch {
    return { label: 'postgres', description: 'postgres (invalid URL)' };
  }
}
