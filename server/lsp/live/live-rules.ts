/**
 * The live rules' facts: a dry-run sync of every definition file the server knows
 * (the sync planner's own refusals and unknown references, not a second implementation),
 * refreshed after edits and after database changes that can matter (debounced, one run at
 * a time), and dropped when the database goes away. The dry run skips workflows whose
 * stored content hash matches the file (nothing to sync: nothing to refuse), so only
 * files that differ from the database cost a plan.
 */
import type { LiveFacts, LiveRefusal } from '../../core/index';
import type { ChangeNotification } from '../../db/notifications';
import { syncWorkflows } from '../../db/sync/sync';
import type { SyncResult } from '../../db/sync/sync';
import type { LiveContext } from './context';
import { syncSources } from './definitions';

/** After an edit: long enough for a burst of keystrokes to settle. */
export const AFTER_EDIT_MS = 300;
/** After a database change: a burst of transitions makes one re-check. */
const AFTER_CHANGE_MS = 200;
/** While a file names a cycle or report that does not exist: creating one is not on the feed, so look again now and then. */
const UNKNOWN_RECHECK_MS = 30_000;

/**
 * The rows whose status decides the facts: those the plan would delete, retype or
 * refuses to touch. A change elsewhere cannot move a refusal.
 */
function watchedRows(result: SyncResult): Set<string> {
  const rows = new Set<string>();
  for (const p of result.plan.instances) {
    for (const r of p.refused) {
      if (r.activityId !== null) rows.add(`a${r.activityId}`);
      else if (r.phaseId !== null) rows.add(`p${r.phaseId}`);
    }
    for (const c of p.changes) {
      if (c.entity === 'activity' && (c.action === 'delete' || (c.action === 'update' && 'activity_type' in c.fields))) rows.add(`a${c.activityId}`);
      if (c.entity === 'phase' && c.action === 'delete') rows.add(`p${c.phaseId}`);
    }
  }
  return rows;
}

/** Keeps the Validator's live facts up to date. */
export class LiveRules {
  private timer: NodeJS.Timeout | null = null;
  private recheck: NodeJS.Timeout | null = null;
  private watched = new Set<string>();
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

  /** A row changed: re-check when it can move a fact (many rows at once, a new row, or a watched one). */
  changed(change: ChangeNotification): void {
    const row = change.table === 'workflow_activities' ? `a${change.activity_id}` : `p${change.phase_id}`;
    if (change.rows > 1 || change.op === 'INSERT' || this.watched.has(row)) this.schedule(AFTER_CHANGE_MS);
  }

  /** No database: the live problems disappear. */
  clear(): void {
    this.epoch++;
    if (this.timer) clearTimeout(this.timer);
    if (this.recheck) clearTimeout(this.recheck);
    this.timer = null;
    this.recheck = null;
    this.watched = new Set();
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
    const result = await syncWorkflows(db, sources, { dryRun: true });
    this.watched = watchedRows(result);
    if (this.recheck) clearTimeout(this.recheck);
    this.recheck = result.unknown.length > 0 ? setTimeout(() => this.schedule(0), UNKNOWN_RECHECK_MS) : null;
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
