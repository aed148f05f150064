/**
 * Notifications when a phase is completed or an activity is blocked, by anyone (settings
 * `workflowPhases.notifications.*`, off by default). They follow the change feed: the
 * instance as it was and as it is, or - for an instance not looked at before - the rows
 * the feed names that are now COMPLETED / BLOCKED.
 */
import * as vscode from 'vscode';
import { InstanceRequest, type InstanceChange, type InstanceDetail } from '../schemas/lsp-protocol';
import type { Ctx } from './ctx';
import type { LiveStore, StoreChange } from './live/store';
import { notificationSettings } from './settings';
import type { PhaseTree } from './tree/view';

/** One thing to tell. */
interface Event {
  readonly text: string;
  readonly ref: { cycleId: number; reportId: number; phase: string; activity?: string };
}

/** What became COMPLETED (phases) and BLOCKED (activities) between `before` and `after`. */
export function newEvents(before: InstanceDetail | undefined, after: InstanceDetail, change: InstanceChange | undefined, wanted: { phaseCompleted: boolean; activityBlocked: boolean }): Event[] {
  const events: Event[] = [];
  const where = `${after.cycle} · ${after.report}`;
  for (const phase of after.phases) {
    const was = before?.phases.find((p) => p.name === phase.name);
    const touched = was ? true : (change?.phaseIds.includes(phase.phaseId) ?? false);
    if (wanted.phaseCompleted && phase.status === 'COMPLETED' && touched && was?.status !== 'COMPLETED') {
      events.push({ text: `${where}: phase ${phase.name} completed${phase.completed?.by ? ` by ${phase.completed.by}` : ''}.`, ref: { cycleId: after.cycleId, reportId: after.reportId, phase: phase.name } });
    }
    for (const activity of phase.activities) {
      const prior = was?.activities.find((a) => a.name === activity.name);
      const hit = before ? prior?.status !== 'BLOCKED' : (change?.activityIds.includes(activity.activityId) ?? false);
      if (wanted.activityBlocked && activity.status === 'BLOCKED' && hit) {
        events.push({ text: `${where}: ${phase.name} › ${activity.name} blocked${activity.blockedReason ? `: ${activity.blockedReason}` : ''}.`, ref: { cycleId: after.cycleId, reportId: after.reportId, phase: phase.name, activity: activity.name } });
      }
    }
  }
  return events;
}

/** Subscribes to the store's changes and shows the notifications the settings ask for. */
export function registerNotifications(ctx: Ctx, store: LiveStore, tree: PhaseTree): void {
  const show = (event: Event) => {
    void vscode.window.showInformationMessage(`Workflow Phases: ${event.text}`, 'Reveal').then((choice) => {
      if (choice) void tree.reveal(event.ref);
    });
  };
  const onChange = async (change: StoreChange) => {
    const wanted = notificationSettings();
    if (!change.feed || (!wanted.phaseCompleted && !wanted.activityBlocked)) return;
    for (const fed of change.feed.instances) {
      if (fed.all) continue; // a sync: rows were created or retyped, not completed or blocked
      const update = change.instances.find((u) => u.cycleId === fed.cycleId && u.reportId === fed.reportId);
      const after = update ? update.after : await ctx.request(InstanceRequest, { cycleId: fed.cycleId, reportId: fed.reportId });
      if (!after) continue;
      for (const event of newEvents(update?.before, after, fed, wanted)) show(event);
    }
  };
  ctx.pushExtCleanup(store.onDidChange((change) => void onChange(change).catch((error: unknown) => ctx.output.warn(`Notifications: ${String(error)}`))));
}
