/**
 * The live rules' facts: a dry-run sync of every definition file the server knows
 * (the sync planner's own refusals and unknown references, not a second implementation),
 * refreshed after edits and after database changes (debounced, one run at a time), and
 * dropped when the database goes away.
 */
import type { LiveFacts, LiveRefusal } from '../../core/index';
import { syncWorkflows } from '../../db/sync/sync';
import type { LiveContext } from './context';
import { syncSources } from './definitions';

/** After an edit: long enough for a burst of keystrokes to settle. */
export const AFTER_EDIT_MS = 300;
/** After a database change: a burst of transitions makes one re-check. */
export const AFTER_CHANGE_MS = 200;

/** Keeps the Validator's live facts up to date. */
export class LiveRules {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  /** Bumped when the database goes away: a run that started before writes nothing. */
  private epoch = 0;

  constructor(private readonly ctx: LiveContext) {}

  /** Re-checks after `delayMs` (a later call within the delay moves it, an earlier one wins). */
  schedule(delayMs: number): void {
    if (!this.ctx.live.db) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, delayMs);
  }

  /** No database: the live problems disappear. */
  clear(): void {
    this.epoch++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ctx.validator.setLiveFacts(null);
  }

  private async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    const epoch = this.epoch;
    try {
      const facts = await this.gather();
      if (facts && epoch === this.epoch) this.ctx.validator.setLiveFacts(facts);
    } catch (error) {
      // The database failing is reported by the connection's status; anything else is a bug.
      const e = error as { code?: unknown };
      if (typeof e.code !== 'string') this.ctx.onError('live rules', error);
      else this.ctx.connection.console.warn(`live rules: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    }
  }

  /** The facts by workflow name, or null when no database is connected. */
  private async gather(): Promise<Map<string, LiveFacts> | null> {
    const db = this.ctx.live.db;
    if (!db) return null;
    const { sources } = syncSources(this.ctx.validator, undefined, this.ctx.workspaceFolder());
    const facts = new Map<string, { refusals: LiveRefusal[]; unknown: LiveFacts['unknown'][number][] }>();
    for (const s of sources) facts.set(s.workflow.name, { refusals: [], unknown: [] });
    if (sources.length === 0) return facts;
    const result = await syncWorkflows(db, sources, { dryRun: true, force: true });
    for (const p of result.plan.instances) {
      const entry = facts.get(p.workflow);
      for (const r of p.refused) {
        if (!entry || r.reason === 'follows-other-workflow' || r.phase === null) continue;
        entry.refusals.push({ reason: r.reason, phase: r.phase, activity: r.activity, status: r.status, instance: `${p.instance.cycle}/${p.instance.report}` });
      }
    }
    for (const u of result.unknown) facts.get(u.workflow)?.unknown.push({ kind: u.kind, value: u.value });
    return facts;
  }
}
