/**
 * Where the embedded database's notifications go: the holder's own `listen` subscribers
 * and the socket clients that ran LISTEN. PGlite is one backend, so a NOTIFY committed by
 * anyone (the holder or a socket client) surfaces once, in whichever output follows the
 * COMMIT; the holder publishes it here and the hub hands it to every subscriber of its channel.
 */

/** A socket client, as the hub sees it. */
export interface RemoteListener {
  /** The channels it listens to. */
  readonly channels: ReadonlySet<string>;
  deliver(channel: string, payload: string, pid: number): void;
}

/** The subscribers of one embedded database. */
export class NotificationHub {
  private readonly local = new Map<string, Set<(payload: string) => void>>();
  private readonly remote = new Set<RemoteListener>();

  /** Adds an in-process subscriber; returns whether it is the channel's first one in this process. */
  addLocal(channel: string, callback: (payload: string) => void): boolean {
    let set = this.local.get(channel);
    const first = set === undefined;
    if (!set) this.local.set(channel, (set = new Set()));
    set.add(callback);
    return first;
  }

  /** Removes an in-process subscriber; returns whether nobody (in process or over the socket) listens to the channel any more. */
  removeLocal(channel: string, callback: (payload: string) => void): boolean {
    const set = this.local.get(channel);
    set?.delete(callback);
    if (set?.size === 0) this.local.delete(channel);
    return !this.local.has(channel) && ![...this.remote].some((r) => r.channels.has(channel));
  }

  /** Adds or removes a socket client. */
  addRemote(listener: RemoteListener): void {
    this.remote.add(listener);
  }

  /** See `addRemote`. */
  removeRemote(listener: RemoteListener): void {
    this.remote.delete(listener);
  }

  /** Every channel someone listens to (what the backend must keep listening to). */
  channels(): string[] {
    const all = new Set(this.local.keys());
    for (const r of this.remote) for (const c of r.channels) all.add(c);
    return [...all];
  }

  /** Hands a notification to every subscriber of its channel. */
  publish(channel: string, payload: string, pid: number): void {
    for (const callback of this.local.get(channel) ?? []) queueMicrotask(() => callback(payload));
    for (const r of this.remote) if (r.channels.has(channel)) r.deliver(channel, payload, pid);
  }
}
