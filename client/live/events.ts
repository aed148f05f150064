/**
 * What a change of an instance means for the notifications: phases that became COMPLETED
 * and activities that became BLOCKED (no editor API: unit-tested).
 */
import type { InstanceChange, InstanceDetail } from '../../schemas/lsp-protocol';

/** One thing to tell. */
export interface LiveEvent {
  readonly text: string;
  readonly ref: { cycleId: number; reportId: number; phase: string; activity?: string };
}

/** What became COMPLETED (phases) and BLOCKED (activities) between `before` and `after`. */
export function newEvents(before: InstanceDetail | undefined, after: InstanceDetail, change: InstanceChange | undefined, wanted: { phaseCompleted: boolean; activityBlocked: boolean }): LiveEvent[] {
  const events: LiveEvent[] = [];
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
