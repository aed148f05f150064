/**
 * progress-loss: a phase or activity the file no longer has (or an activity whose type it
 * changed) that instances in the database have started: sync would refuse the change.
 */
import type { PhaseDefinition, WorkflowDefinition } from '../definition/types';
import type { Span } from '../problem';
import type { LiveRefusal, LiveRule } from './live';

/** At most this many instances are named in a message; the rest are counted. */
const NAMED = 5;

function instances(list: readonly string[]): string {
  const sorted = [...list].sort();
  const shown = sorted.slice(0, NAMED).join(', ');
  return sorted.length > NAMED ? `${shown}, and ${sorted.length - NAMED} more` : shown;
}

/** "3 instances have `x` IN_PROGRESS: a, b, c; 1 has it COMPLETED: d". */
function whoHasIt(name: string, refusals: readonly LiveRefusal[]): string {
  const byStatus = new Map<string, string[]>();
  for (const r of refusals) byStatus.set(r.status, [...(byStatus.get(r.status) ?? []), r.instance]);
  return [...byStatus.entries()]
    .map(([status, list], i) => {
      const count = `${list.length} instance${list.length === 1 ? '' : 's'}`;
      const verb = list.length === 1 ? 'has' : 'have';
      return `${count} ${verb} ${i === 0 ? `\`${name}\`` : 'it'} ${status}: ${instances(list)}`;
    })
    .join('; ');
}

function phaseOf(definition: WorkflowDefinition, name: string): PhaseDefinition | undefined {
  return definition.phases.find((p) => p.name?.value === name);
}

/** The rule. */
export const progressLoss: LiveRule = {
  id: 'progress-loss',
  severity: 'warning',
  title: 'Sync must not remove or retype what instances have started',
  check(definition, facts, report) {
    const groups = new Map<string, LiveRefusal[]>();
    for (const r of facts.refusals) {
      const key = `${r.reason}\u0000${r.phase}\u0000${r.activity ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const whole = definition.phasesKeySpan ?? definition.span;
    for (const group of groups.values()) {
      const { reason, phase: phaseName, activity: activityName } = group[0]!;
      const phase = phaseOf(definition, phaseName);
      const activity = activityName === null ? undefined : phase?.activities.find((a) => a.name?.value === activityName);
      let span: Span;
      let message: string;
      if (reason === 'retype-started-activity') {
        // Facts from before the latest edit: the activity is gone again, or the type is back.
        if (!activity) continue;
        span = activity.type?.span ?? activity.name?.span ?? activity.span;
        message = `${whoHasIt(activityName!, group)}. Sync will refuse to change its type: that would lose their progress.`;
      } else if (reason === 'remove-started-activity') {
        if (activity) continue;
        span = phase?.name?.span ?? whole;
        message = `${whoHasIt(activityName!, group)}. Sync will refuse to remove it from phase '${phaseName}': that would lose their progress.`;
      } else {
        if (phase) continue;
        span = whole;
        message = `${whoHasIt(phaseName, group)}. Sync will refuse to remove the phase: that would lose their progress.`;
      }
      report({ message, span, data: { phase: phaseName, ...(activityName !== null ? { activity: activityName } : {}), instances: group.length } });
    }
  },
};
