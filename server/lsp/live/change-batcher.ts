/**
 * The change feed as `workflowPhases/changed` notifications: the notifications of one
 * transaction arrive together at its commit (in one read of the LISTEN connection) and
 * become one notification, sent once that read is handled (`setImmediate`: no added
 * wait), grouped by instance with the changed phase and activity ids; a statement that
 * changed many rows of an instance marks it `all`.
 */
import type { ChangedParams, InstanceChange } from '../../../schemas/lsp-protocol';
import type { ChangeNotification } from '../../db/notifications';

interface Pending {
  cycleId: number;
  reportId: number;
  phaseIds: Set<number>;
  activityIds: Set<number>;
  all: boolean;
}

/** Collects changes and sends them as batched notifications. */
export class ChangeBatcher {
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Immediate | null = null;

  constructor(private readonly send: (params: ChangedParams) => void) {}

  /** Adds one change to the current burst. */
  add(change: ChangeNotification): void {
    const key = `${change.cycle_id}/${change.report_id}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { cycleId: change.cycle_id, reportId: change.report_id, phaseIds: new Set(), activityIds: new Set(), all: false };
      this.pending.set(key, entry);
    }
    if (change.rows > 1 || (change.phase_id === null && change.activity_id === null)) entry.all = true;
    else if (change.table === 'workflow_activities' && change.activity_id !== null) entry.activityIds.add(change.activity_id);
    else if (change.table === 'workflow_phases' && change.phase_id !== null) entry.phaseIds.add(change.phase_id);
    this.timer ??= setImmediate(() => this.flush());
  }

  /** Everything shown may be stale: drops the pending burst and says "reload". */
  reconnected(): void {
    this.clear();
    this.send({ reconnected: true, instances: [] });
  }

  /** Drops what is pending (shutdown, or the database went away). */
  clear(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  private flush(): void {
    this.timer = null;
    if (this.pending.size === 0) return;
    const instances: InstanceChange[] = [...this.pending.values()].map((p) => ({
      cycleId: p.cycleId,
      reportId: p.reportId,
      phaseIds: p.all ? [] : [...p.phaseIds].sort((a, b) => a - b),
      activityIds: p.all ? [] : [...p.activityIds].sort((a, b) => a - b),
      all: p.all,
    }));
    this.pending.clear();
    this.send({ reconnected: false, instances });
  }
}
