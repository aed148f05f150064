/**
 * Notifications when a phase is completed or an activity is blocked, by anyone (settings
 * `workflowPhases.notifications.*`, off by default). They follow the change feed: the
 * instance as it was and as it is, or - for an instance not looked at before - the rows
 * the feed names that are now COMPLETED / BLOCKED.
 */
import * as vscode from 'vscode';
import { InstanceRequest } from '../schemas/lsp-protocol';
import { newEvents, type LiveEvent } from './live/events';
import type { Ctx } from './ctx';
import type { LiveStore, StoreChange } from './live/store';
import { notificationSettings } from './settings';
import type { PhaseTree } from './tree/view';

/** Subscribes to the store's changes and shows the notifications the settings ask for. */
export function registerNotifications(ctx: Ctx, store: LiveStore, tree: PhaseTree): void {
  const show = (event: LiveEvent) => {
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
