/**
 * Serves an open PGlite database to other processes on a local (Unix domain) socket,
 * speaking the PostgreSQL wire protocol, so they connect with `pg` as to any server.
 *
 * PGlite is a single backend, so the bridge serialises: a client takes its turn (the
 * `Exclusive` the holder's own queries queue on too) with its first message and keeps it
 * until the backend reports it idle again (ReadyForQuery `I`): a transaction, or an
 * extended-protocol exchange up to its Sync, runs alone. A client that disconnects mid-way
 * is rolled back. Notifications found in a client's results go to the hub (the holder's
 * subscribers and every client that ran LISTEN), never to whoever happened to commit.
 * Statement names get a per-client prefix, so clients never collide on one backend.
 */
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { randomInt } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { ShareEvent } from '../database';
import type { Exclusive } from './exclusive';
import type { NotificationHub, RemoteListener } from './notification-hub';
import {
  closeStatement,
  errorResponse,
  listenChanges,
  notificationResponse,
  prefixNames,
  quoteIdent,
  readStartupPacket,
  simpleQuery,
  sortBackendOutput,
  splitMessages,
  sqlText,
  STARTUP,
  startupReply,
  sync,
} from './wire-messages';
import type { TxStatus } from './wire-messages';

/** What the bridge needs. */
export interface BridgeOptions {
  readonly pglite: PGlite;
  readonly exclusive: Exclusive;
  readonly hub: NotificationHub;
  /** The database folder, for messages. */
  readonly folder: string;
  /** A client holding its turn with nothing sent for this long is disconnected (and rolled back); default 60 s. */
  readonly idleInTransactionMs?: number;
  /** While closing, clients idle this long are disconnected; default 2 s. */
  readonly closeGraceMs?: number;
  readonly onEvent?: (event: ShareEvent) => void;
}

class Session implements RemoteListener {
  readonly channels = new Set<string>();
  private readonly statements = new Set<string>();
  private readonly prefix: string;
  /** What arrived and is not handled yet, in chunks: joined only once a whole message can be there. */
  private incoming: Buffer[] = [];
  private incomingBytes = 0;
  private needed = 1;
  private started = false;
  private chain: Promise<void> = Promise.resolve();
  private release: (() => void) | null = null;
  private status: TxStatus = 'I';
  private relisten = false;
  private ended = false;
  /** The client's application_name: who it is, in events. */
  client = 'unknown client';
  busy = false;
  lastActivity = Date.now();

  constructor(
    private readonly bridge: SocketBridge,
    private readonly socket: Socket,
    id: number,
  ) {
    this.prefix = `c${id}_`;
    socket.on('data', (chunk) => {
      this.lastActivity = Date.now();
      this.incoming.push(chunk);
      this.incomingBytes += chunk.length;
      // A large message (a sync's Bind) arrives in many chunks: wait for all of it.
      if (this.incomingBytes >= this.needed) this.chain = this.chain.then(() => this.drain());
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.chain = this.chain.then(() => this.cleanup());
    });
  }

  /** Holds the backend (mid-transaction or mid-exchange). */
  get holding(): boolean {
    return this.release !== null;
  }

  /** The pid in the client's application_name (ours say `(pid N)`), if any. */
  get pid(): number | null {
    const pid = /\(pid (\d+)\)/.exec(this.client)?.[1];
    return pid === undefined ? null : Number(pid);
  }

  deliver(channel: string, payload: string, pid: number): void {
    if (!this.ended && this.started) this.socket.write(notificationResponse(pid, channel, payload));
  }

  /** Ends the connection with a FATAL error (rolled back by the cleanup that follows). */
  terminate(code: string, text: string): void {
    if (this.ended) return;
    this.socket.end(errorResponse('FATAL', code, text));
    this.socket.destroySoon();
  }

  private async drain(): Promise<void> {
    if (this.ended) return;
    this.busy = true;
    try {
      let buffer = this.incoming.length === 1 ? (this.incoming[0] ?? Buffer.alloc(0)) : Buffer.concat(this.incoming);
      if (!this.started) {
        const left = this.startup(buffer);
        if (left === null) return;
        buffer = left;
      }
      const { messages, rest } = splitMessages(buffer);
      this.keep(rest, rest.length >= 5 ? 1 + rest.readInt32BE(1) : 5);
      if (messages.length > 0) await this.run(messages);
    } catch (error) {
      this.terminate('XX000', `the embedded database's socket bridge failed: ${(error as Error).message}`);
    } finally {
      this.busy = false;
      this.lastActivity = Date.now();
    }
  }

  private keep(rest: Buffer, needed: number): void {
    this.incoming = rest.length > 0 ? [rest] : [];
    this.incomingBytes = rest.length;
    this.needed = needed;
  }

  /** Handles start-up packets; returns what follows them once the client may send queries (null: not yet). */
  private startup(input: Buffer): Buffer | null {
    let buffer = input;
    for (;;) {
      const packet = readStartupPacket(buffer);
      if (packet === null) {
        this.keep(buffer, buffer.length >= 4 ? buffer.readInt32BE(0) : 8);
        return null;
      }
      buffer = buffer.subarray(packet.size);
      if (packet.code === STARTUP.ssl || packet.code === STARTUP.gss) {
        this.socket.write('N');
        continue;
      }
      if (packet.code !== STARTUP.protocol3) {
        this.terminate(packet.code === STARTUP.cancel ? '57014' : '0A000', 'the embedded database supports protocol 3.0 without cancel requests');
        this.keep(Buffer.alloc(0), Infinity);
        return null;
      }
      this.client = packet.params.get('application_name') || 'unknown client';
      const refusal = this.bridge.admits(this);
      if (refusal !== null) {
        this.terminate('57P03', refusal);
        this.keep(Buffer.alloc(0), Infinity);
        return null;
      }
      this.started = true;
      this.socket.write(startupReply({ ...this.bridge.parameters, application_name: this.client }, process.pid, randomInt(2 ** 31)));
      this.bridge.event({ type: 'connected', client: this.client });
      return buffer;
    }
  }

  private async run(messages: ReturnType<typeof splitMessages>['messages']): Promise<void> {
    const parts: Buffer[] = [];
    let terminate = false;
    for (const m of messages) {
      if (m.type === 'X') {
        terminate = true;
        break;
      }
      const text = sqlText(m);
      if (text !== null) this.trackListen(text);
      const named = prefixNames(m, this.prefix);
      if (named.parsed !== undefined) this.statements.add(named.parsed);
      if (named.closed !== undefined) this.statements.delete(named.closed);
      parts.push(named.bytes);
    }
    if (parts.length > 0) {
      this.release ??= await this.bridge.exclusive.acquire();
      const out = sortBackendOutput(await this.bridge.exec(Buffer.concat(parts)));
      if (out.forward.length > 0 && !this.ended) this.socket.write(out.forward);
      this.bridge.publish(out.notifications);
      if (out.idle !== null) this.status = out.idle;
      for (const tag of out.tags) this.bridge.event({ type: 'statement', client: this.client, tag, inTransaction: this.status !== 'I' });
      if (out.idle === 'I') await this.endTurn();
    }
    if (terminate) this.socket.end();
  }

  private trackListen(text: string): void {
    const change = listenChanges(text);
    for (const channel of change.listen) this.channels.add(channel);
    for (const channel of change.unlisten) {
      if (channel === '*') this.channels.clear();
      else this.channels.delete(channel);
    }
    if (change.resets) this.relisten = true;
  }

  /** Idle again: the backend is free for the next in line. */
  private async endTurn(): Promise<void> {
    try {
      // A client's UNLISTEN (or DISCARD ALL) stops the one backend listening for everybody:
      // listen again to what the holder and the other clients still want.
      if (this.relisten) {
        this.relisten = false;
        const channels = this.bridge.hub.channels();
        if (channels.length > 0) this.bridge.publish(sortBackendOutput(await this.bridge.exec(simpleQuery(channels.map((c) => `LISTEN ${quoteIdent(c)}`).join('; ')))).notifications);
      }
    } finally {
      this.release?.();
      this.release = null;
    }
  }

  private async cleanup(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.bridge.forget(this);
    if (!this.started) return;
    let rolledBack = false;
    if (this.release !== null || this.status !== 'I' || this.statements.size > 0 || this.relisten) {
      this.release ??= await this.bridge.exclusive.acquire();
      try {
        // Sync first: a client gone in the middle of an extended-protocol exchange may
        // have left the backend skipping messages until one.
        const state = sortBackendOutput(await this.bridge.exec(sync()));
        if (state.idle !== 'I') {
          await this.bridge.exec(simpleQuery('ROLLBACK'));
          rolledBack = true;
        }
        if (this.statements.size > 0) await this.bridge.exec(Buffer.concat([...[...this.statements].map(closeStatement), sync()]));
        this.relisten = true;
      } catch {
        // The database is closing under us: nothing left to undo.
      } finally {
        await this.endTurn().catch(() => undefined);
      }
    }
    this.bridge.event({ type: 'disconnected', client: this.client, rolledBack });
  }
}

/** A running bridge. */
export class SocketBridge {
  private readonly sessions = new Set<Session>();
  private closing = false;
  private nextId = 1;
  private readonly timer: ReturnType<typeof setInterval>;
  /** ParameterStatus values sent to every client at start-up. */
  readonly parameters: Readonly<Record<string, string>>;

  private constructor(
    private readonly server: Server,
    private readonly options: BridgeOptions,
    serverVersion: string,
  ) {
    this.parameters = {
      server_version: serverVersion,
      server_encoding: 'UTF8',
      client_encoding: 'UTF8',
      DateStyle: 'ISO, MDY',
      TimeZone: 'UTC',
      integer_datetimes: 'on',
      standard_conforming_strings: 'on',
    };
    server.on('connection', (socket) => this.sessions.add(new Session(this, socket, this.nextId++)));
    this.timer = setInterval(() => this.tick(), 250);
  }

  /** Starts serving on `socketPath` (a stale socket file there is replaced: the caller holds the folder's lock). */
  static async start(socketPath: string, options: BridgeOptions): Promise<SocketBridge> {
    const version = await options.exclusive.run(() => options.pglite.query<{ server_version: string }>('SHOW server_version'));
    const server = createServer();
    try {
      unlinkSync(socketPath);
    } catch {
      // Nothing there.
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // Only the user who owns the folder may connect.
    chmodSync(socketPath, 0o600);
    return new SocketBridge(server, options, version.rows[0]?.server_version ?? '17');
  }

  /** The hub notifications go through. */
  get hub(): NotificationHub {
    return this.options.hub;
  }

  /** The lock every use of the backend takes its turn on. */
  get exclusive(): Exclusive {
    return this.options.exclusive;
  }

  /** Open client connections. */
  get clientCount(): number {
    return this.sessions.size;
  }

  /** Runs raw protocol messages on the backend and returns its raw answer. */
  async exec(bytes: Buffer): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const pglite = this.options.pglite;
    await pglite.runExclusive(() => pglite.execProtocolRawStream(new Uint8Array(bytes), { onRawData: (data) => chunks.push(Buffer.from(data)) }));
    return Buffer.concat(chunks);
  }

  /** Hands notifications to the hub. */
  publish(notifications: readonly { pid: number; channel: string; payload: string }[]): void {
    for (const n of notifications) this.options.hub.publish(n.channel, n.payload, n.pid);
  }

  /** Reports an event to the holder, if it asked. */
  event(event: ShareEvent): void {
    this.options.onEvent?.(event);
  }

  /** Null when the session may start; else why not (while closing, only processes already connected may open more connections). */
  admits(session: Session): string | null {
    if (!this.closing) {
      this.options.hub.addRemote(session);
      return null;
    }
    const pid = session.pid;
    if (pid !== null && [...this.sessions].some((s) => s !== session && s.pid === pid)) {
      this.options.hub.addRemote(session);
      return null;
    }
    return `process ${process.pid} is closing the embedded database in ${this.options.folder}: open it again`;
  }

  /** Drops a session that ended. */
  forget(session: Session): void {
    this.sessions.delete(session);
    this.options.hub.removeRemote(session);
  }

  private tick(): void {
    const now = Date.now();
    const idleInTransaction = this.options.idleInTransactionMs ?? 60_000;
    const grace = this.options.closeGraceMs ?? 2_000;
    for (const s of this.sessions) {
      if (s.busy) continue;
      if (s.holding && now - s.lastActivity > idleInTransaction) {
        s.terminate('25P03', `terminating connection: idle for ${Math.round(idleInTransaction / 1000)} s inside a transaction while others wait for the embedded database in ${this.options.folder}`);
      } else if (this.closing && !s.holding && now - s.lastActivity > grace) {
        s.terminate('57P01', `process ${process.pid} has closed the embedded database in ${this.options.folder}: open it again`);
      }
    }
  }

  /**
   * Stops sharing: no new processes are let in, connected ones finish what they are doing
   * (a transaction in progress runs to its end) and are disconnected once idle for the
   * grace period; then the socket is removed.
   */
  async close(): Promise<void> {
    this.closing = true;
    while (this.sessions.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    clearInterval(this.timer);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
