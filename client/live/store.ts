/**
 * What the client knows of the live database, fetched lazily and kept current by the
 * change feed: the cycles, the pages of instances loaded per cycle, and the details (and
 * the acting user's allowed transitions) of the instances looked at. On
 * `workflowPhases/changed` only the affected instances are fetched again; `reconnected`
 * drops everything. No timer polling.
 */
import * as vscode from 'vscode';
import {
  AllowedRequest,
  InstanceRequest,
  InstancesRequest,
  type AllowedResult,
  type ChangedParams,
  type CycleSummary,
  type InstanceDetail,
  type InstanceFilter,
  type InstanceSummary,
} from '../../schemas/lsp-protocol';
import type { Ctx } from '../ctx';

/** An instance's key: `cycleId:reportId`. */
export type InstanceKey = string;

/** The key of instance (cycleId, reportId). */
export function instanceKey(cycleId: number, reportId: number): InstanceKey {
  return `${cycleId}:${reportId}`;
}

/** How many instances one page of a cycle loads. */
export const PAGE_SIZE = 100;

/** One instance fetched again after a change: what was known before, and now. */
export interface InstanceUpdate {
  readonly key: InstanceKey;
  readonly cycleId: number;
  readonly reportId: number;
  readonly before: InstanceDetail | undefined;
  readonly beforeAllowed: AllowedResult | undefined;
  /** Null when the instance has no rows any more. */
  readonly after: InstanceDetail | null;
}

/** What changed in the store. */
export interface StoreChange {
  /** Everything was dropped (reconnect, refresh, filter): reload what is shown. */
  readonly all: boolean;
  /** The list of cycles itself changed (one appeared or went): the root is drawn again. */
  readonly root?: boolean;
  /** Cycles whose totals or instance lists changed (to draw again). */
  readonly cycles: readonly number[];
  readonly instances: readonly InstanceUpdate[];
  /** The feed's own list of what changed (also for instances the store does not hold). */
  readonly feed: ChangedParams | undefined;
}

interface CyclePage {
  readonly keys: InstanceKey[];
  nextCursor: string | null;
}

/** The client's cache of the live database. */
export class LiveStore implements vscode.Disposable {
  private cycles: CycleSummary[] | undefined;
  private readonly pages = new Map<number, CyclePage>();
  private readonly summaries = new Map<InstanceKey, InstanceSummary>();
  private readonly details = new Map<InstanceKey, InstanceDetail>();
  private readonly allowed = new Map<InstanceKey, AllowedResult>();
  private readonly inFlight = new Map<InstanceKey, Promise<InstanceUpdate | undefined>>();
  private readonly dirty = new Set<InstanceKey>();
  private generation = 0;
  private currentFilter: InstanceFilter = 'all';
  private readonly emitter = new vscode.EventEmitter<StoreChange>();
  private readonly subscription: vscode.Disposable;

  /** Fires after the store changed. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly ctx: Ctx) {
    this.subscription = ctx.onDidChangeLive((params) => {
      void this.applyFeed(params).catch((error: unknown) => ctx.output.warn(`Applying a change: ${String(error)}`));
    });
  }

  /** Which instances are listed. */
  get filter(): InstanceFilter {
    return this.currentFilter;
  }

  /** Lists other instances: everything is dropped and reloaded. */
  setFilter(filter: InstanceFilter): void {
    this.currentFilter = filter;
    this.reset();
  }

  /** Drops everything (Refresh, reconnect). */
  reset(): void {
    this.generation++;
    this.cycles = undefined;
    this.pages.clear();
    this.summaries.clear();
    this.details.clear();
    this.allowed.clear();
    this.emitter.fire({ all: true, cycles: [], instances: [], feed: undefined });
  }

  /** The cycles (with totals under the filter), fetched when not known. */
  async loadCycles(): Promise<readonly CycleSummary[]> {
    if (this.cycles) return this.cycles;
    const result = await this.ctx.request(InstancesRequest, { filter: this.currentFilter, limit: 1 });
    this.cycles = [...result.cycles];
    return this.cycles;
  }

  /** The cycle `cycleId` as last fetched. */
  cycle(cycleId: number): CycleSummary | undefined {
    return this.cycles?.find((c) => c.cycleId === cycleId);
  }

  /** The instances of `cycleId` loaded so far (the first page is fetched when none is). */
  async loadInstances(cycleId: number): Promise<{ keys: readonly InstanceKey[]; more: boolean }> {
    let page = this.pages.get(cycleId);
    if (!page) {
      page = { keys: [], nextCursor: null };
      await this.fetchPage(cycleId, page, undefined);
    }
    return { keys: page.keys, more: page.nextCursor !== null };
  }

  /** Fetches the next page of `cycleId`'s instances. */
  async loadMore(cycleId: number): Promise<void> {
    const page = this.pages.get(cycleId);
    if (!page?.nextCursor) return;
    await this.fetchPage(cycleId, page, page.nextCursor);
    this.emitter.fire({ all: false, cycles: [cycleId], instances: [], feed: undefined });
  }

  /** Loads pages of `cycleId` until `reportId` is among them (or adds it at the end). */
  async ensureListed(cycleId: number, reportId: number): Promise<void> {
    const key = instanceKey(cycleId, reportId);
    await this.loadInstances(cycleId);
    const page = this.pages.get(cycleId)!;
    while (!page.keys.includes(key) && page.nextCursor !== null) await this.fetchPage(cycleId, page, page.nextCursor);
    if (!page.keys.includes(key)) {
      const detail = await this.loadDetail(cycleId, reportId);
      if (detail) page.keys.push(key);
    }
  }

  /** An instance's totals as last fetched. */
  summary(key: InstanceKey): InstanceSummary | undefined {
    return this.details.get(key) ?? this.summaries.get(key);
  }

  /** An instance's phases and activities as last fetched. */
  detail(key: InstanceKey): InstanceDetail | undefined {
    return this.details.get(key);
  }

  /** The acting user's transitions on an instance, as last fetched (undefined when the server did not say). */
  allowedOn(key: InstanceKey): AllowedResult | undefined {
    return this.allowed.get(key);
  }

  /** An instance in full (with its allowed transitions), fetched when not known. */
  async loadDetail(cycleId: number, reportId: number): Promise<InstanceDetail | null> {
    const key = instanceKey(cycleId, reportId);
    const known = this.details.get(key);
    if (known) return known;
    await this.fetchDetail(cycleId, reportId);
    return this.details.get(key) ?? null;
  }

  /** Takes an instance the server just sent (a transition's answer) and tells the views. */
  async accept(detail: InstanceDetail): Promise<void> {
    const generation = this.generation;
    const allowed = await this.fetchAllowed(detail.cycleId, detail.reportId);
    if (generation !== this.generation) return;
    const update = this.keep(detail.cycleId, detail.reportId, detail, allowed);
    this.emitter.fire({ all: false, cycles: [], instances: [update], feed: undefined });
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }

  private async fetchPage(cycleId: number, page: CyclePage, cursor: string | undefined): Promise<void> {
    const generation = this.generation;
    const result = await this.ctx.request(InstancesRequest, { cycleId, filter: this.currentFilter, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    if (generation !== this.generation) return;
    this.pages.set(cycleId, page);
    if (!cursor) page.keys.length = 0;
    for (const summary of result.instances) {
      const key = instanceKey(summary.cycleId, summary.reportId);
      this.summaries.set(key, summary);
      if (!page.keys.includes(key)) page.keys.push(key);
    }
    page.nextCursor = result.nextCursor;
  }

  private async fetchDetail(cycleId: number, reportId: number): Promise<InstanceUpdate | undefined> {
    const generation = this.generation;
    const [detail, allowed] = await Promise.all([this.ctx.request(InstanceRequest, { cycleId, reportId }), this.fetchAllowed(cycleId, reportId)]);
    if (generation !== this.generation) return undefined;
    return this.keep(cycleId, reportId, detail, allowed);
  }

  /**
   * Keeps what was fetched and says what it replaced, in one step: a transition's answer and
   * the feed's fetch may arrive in either order, and each compares with what the other kept.
   */
  private keep(cycleId: number, reportId: number, detail: InstanceDetail | null, allowed: AllowedResult | undefined): InstanceUpdate {
    const key = instanceKey(cycleId, reportId);
    const before = this.details.get(key);
    const beforeAllowed = this.allowed.get(key);
    if (allowed) this.allowed.set(key, allowed);
    else this.allowed.delete(key);
    if (detail) {
      this.details.set(key, detail);
      this.summaries.set(key, detail);
    } else {
      // Gone (its rows were deleted): off the list.
      this.details.delete(key);
      this.summaries.delete(key);
      const page = this.pages.get(cycleId);
      if (page?.keys.includes(key)) page.keys.splice(page.keys.indexOf(key), 1);
    }
    return { key, cycleId, reportId, before, beforeAllowed, after: detail };
  }

  /** The allowed transitions drive the menus; without them the menus fall back to the statuses. */
  private async fetchAllowed(cycleId: number, reportId: number): Promise<AllowedResult | undefined> {
    try {
      return await this.ctx.request(AllowedRequest, { node: { cycleId, reportId } });
    } catch (error) {
      this.ctx.output.warn(`Allowed transitions of ${instanceKey(cycleId, reportId)}: ${String(error)}`);
      return undefined;
    }
  }

  private async applyFeed(params: ChangedParams): Promise<void> {
    if (params.reconnected) {
      this.reset();
      return;
    }
    const generation = this.generation;
    const cycleIds = new Set<number>();
    // Cycles whose list of instances must be fetched again (drawn again even when their totals stay).
    const relist = new Set<number>();
    const refetch: { cycleId: number; reportId: number }[] = [];
    for (const change of params.instances) {
      cycleIds.add(change.cycleId);
      const key = instanceKey(change.cycleId, change.reportId);
      if (this.details.has(key) || this.summaries.has(key)) refetch.push(change);
      // A new instance in a cycle whose list is complete: the list is fetched again.
      else if (this.pages.get(change.cycleId)?.nextCursor === null) relist.add(change.cycleId);
    }
    // Under a filter an instance may enter or leave the list: its cycle's pages are reloaded.
    if (this.currentFilter !== 'all') for (const cycleId of cycleIds) if (this.pages.has(cycleId)) relist.add(cycleId);
    for (const cycleId of relist) this.pages.delete(cycleId);
    const updates = await Promise.all(refetch.map((c) => this.refetch(c.cycleId, c.reportId)));
    let root = false;
    const redraw = new Set(relist);
    if (this.cycles && cycleIds.size > 0) {
      const result = await this.ctx.request(InstancesRequest, { filter: this.currentFilter, limit: 1 });
      if (generation === this.generation && this.cycles) {
        const ids = (list: readonly CycleSummary[]) => list.map((c) => c.cycleId).join();
        root = ids(result.cycles) !== ids(this.cycles);
        // Only cycles whose totals moved are drawn again: redrawing a node makes VS Code forget its children until it asks again.
        for (const cycle of result.cycles) {
          if (JSON.stringify(cycle) !== JSON.stringify(this.cycle(cycle.cycleId))) redraw.add(cycle.cycleId);
        }
        this.cycles = [...result.cycles];
      }
    }
    if (generation !== this.generation) return;
    this.emitter.fire({ all: false, root, cycles: [...redraw], instances: updates.filter((u): u is InstanceUpdate => u !== undefined), feed: params });
  }

  /** Fetches one instance again; a burst of changes to it while a fetch runs causes one more fetch. */
  private async refetch(cycleId: number, reportId: number): Promise<InstanceUpdate | undefined> {
    const key = instanceKey(cycleId, reportId);
    const running = this.inFlight.get(key);
    if (running) {
      this.dirty.add(key);
      await running;
      if (!this.dirty.delete(key)) return undefined;
    }
    const fetching = this.fetchDetail(cycleId, reportId);
    this.inFlight.set(key, fetching);
    try {
      return await fetching;
    } finally {
      this.inFlight.delete(key);
    }
  }
}
