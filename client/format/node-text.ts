/**
 * The words of the Phase Status tree: descriptions, accessibility labels, context values
 * and Markdown tooltips of cycles, instances, phases and activities. Pure (no editor API),
 * so it is unit-tested; the tree wraps the results in TreeItems.
 */
import type { ActivityNode, AllowedResult, CycleSummary, GuardResultData, InstanceSummary, PhaseNode, TransitionChoice } from '../../schemas/lsp-protocol';
import { isMarker } from '../../server/core/transitions/types';
import { longTime, relativeTime, shortDuration } from './time';

const WORDS: Record<string, string> = {
  NOT_STARTED: 'not started',
  IN_PROGRESS: 'in progress',
  COMPLETED: 'completed',
  SKIPPED: 'skipped',
  BLOCKED: 'blocked',
  REVISION_REQUESTED: 'revision requested',
};

/** A status in words: `in progress`, `revision requested`. */
export function statusWords(status: string): string {
  return WORDS[status] ?? status.toLowerCase().replace(/_/g, ' ');
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A cycle's description: `3 reports · 2 in progress · 1 blocked · 1 overdue`. */
export function cycleDescription(c: CycleSummary): string {
  return [plural(c.instances, 'report'), c.inProgress ? `${c.inProgress} in progress` : '', c.blocked ? `${c.blocked} blocked` : '', c.overdue ? `${c.overdue} overdue` : ''].filter(Boolean).join(' · ');
}

/** An instance's state in words, first what matters most. */
export function instanceState(s: InstanceSummary): string {
  if (s.total > 0 && s.done === s.total) return 'completed';
  if (s.blocked > 0) return 'blocked';
  if (s.inProgress > 0) return 'in progress';
  return s.done > 0 ? 'in progress' : 'not started';
}

/** What an instance's or cycle's icon shows, from its totals: the same order as {@link instanceState}, with overdue before in progress. */
export function totalsStatus(t: { blocked: number; overdue: number; inProgress: number; done?: number; total?: number }): 'BLOCKED' | 'OVERDUE' | 'COMPLETED' | 'IN_PROGRESS' | 'NOT_STARTED' {
  if (t.blocked > 0) return 'BLOCKED';
  if (t.overdue > 0) return 'OVERDUE';
  if (t.done !== undefined && t.total !== undefined && t.total > 0 && t.done === t.total) return 'COMPLETED';
  // An instance between phases (planning completed, scoping not yet started) is in progress, as its words say.
  if (t.inProgress > 0 || (t.done ?? 0) > 0) return 'IN_PROGRESS';
  return 'NOT_STARTED';
}

/** An instance's description: `in progress · 4/9 phases · scoping · 1 blocked · 1 overdue`. */
export function instanceDescription(s: InstanceSummary): string {
  return [
    instanceState(s),
    `${s.done}/${s.total} phases`,
    s.current && s.done < s.total ? s.current : '',
    s.blocked ? `${s.blocked} blocked` : '',
    s.overdue ? `${s.overdue} overdue` : '',
    s.workflow === null ? 'no workflow' : '',
  ].filter(Boolean).join(' · ');
}

/** How late a phase is, in words, or '' when it is not overdue. */
export function overdueWords(p: PhaseNode, now = Date.now()): string {
  if (!p.overdue) return '';
  return p.slaDue ? `overdue ${shortDuration(now - Date.parse(p.slaDue))}` : 'overdue';
}

/** A phase's description: `in progress · 3/5 · high risk · overdue 4 h`. */
export function phaseDescription(p: PhaseNode, now = Date.now()): string {
  return [statusWords(p.status), p.progress.total > 0 ? `${p.progress.done}/${p.progress.total}` : '', p.riskLevel ? `${p.riskLevel} risk` : '', overdueWords(p, now)].filter(Boolean).join(' · ');
}

/** A phase for a screen reader: `Phase 2 scoping: in progress, 3 of 5 required activities done, high risk, overdue 4 h`. */
export function phaseAccessibility(p: PhaseNode, now = Date.now()): string {
  return `Phase ${p.order} ${p.name}: ${[statusWords(p.status), p.progress.total > 0 ? `${p.progress.done} of ${p.progress.total} required activities done` : '', p.riskLevel ? `${p.riskLevel} risk` : '', overdueWords(p, now)].filter(Boolean).join(', ')}`;
}

/** An activity's description: who and when, or why it waits. */
export function activityDescription(a: ActivityNode, now = Date.now()): string {
  const parts: string[] = [];
  if (a.status === 'BLOCKED') parts.push(a.blockedReason ? `blocked: ${a.blockedReason}` : 'blocked');
  else if (a.status === 'REVISION_REQUESTED') parts.push(a.revisionReason ? `revision requested: ${a.revisionReason}` : 'revision requested');
  else parts.push(statusWords(a.status));
  const stamp = a.status === 'COMPLETED' ? a.completed : a.status === 'NOT_STARTED' || a.status === 'SKIPPED' ? null : a.started;
  if (stamp) {
    if (stamp.by) parts.push(stamp.by);
    parts.push(a.status === 'COMPLETED' ? relativeTime(stamp.at, now) : `since ${relativeTime(stamp.at, now).replace(/ ago$/, '')}`);
  } else if (a.role && a.status === 'NOT_STARTED') {
    parts.push(a.role);
  }
  if (!a.required) parts.push('optional');
  return parts.join(' · ');
}

/** An activity for a screen reader. */
export function activityAccessibility(a: ActivityNode, now = Date.now()): string {
  return `Activity ${a.name} (${a.type}): ${activityDescription(a, now).replace(/ · /g, ', ')}`;
}

/** The actions the acting user may take on a phase or an activity now, from `allowed`. */
export function allowedActions(allowed: AllowedResult | undefined, phase: string, activity: string | null): string[] {
  if (!allowed) return [];
  return allowed.transitions.filter((t) => t.verdict === 'allowed' && t.phase === phase && t.activity === activity).map((t) => t.action);
}

/**
 * The activities of `phase` an activity command lists for `action`: the work, and a START
 * or COMPLETE marker only where the server lists that action of it (a marker moves with
 * its phase, so the phase's command is the way; listing it as "not possible" would only
 * say that it is not started).
 */
export function activityTargets(allowed: AllowedResult, phase: PhaseNode, action: string): ActivityNode[] {
  return phase.activities.filter((a) => !isMarker(a.type) || allowed.transitions.some((t) => t.phase === phase.name && t.activity === a.name && t.action === action));
}

/**
 * A node's `contextValue`: `phase:IN_PROGRESS:can-complete`, `activity:BLOCKED:can-unblock`.
 * package.json's `when` clauses match `/^phase:.*:can-complete\b/`, so the menus offer
 * exactly what the server allows the acting user now.
 */
export function contextValue(kind: 'phase' | 'activity', status: string, actions: readonly string[]): string {
  return [kind, status, ...actions.map((a) => `can-${a}`)].join(':');
}

/** The transition a node would take next: what its tooltip explains. */
export function nextAction(kind: 'phase' | 'activity', status: string): string | undefined {
  const next: Record<string, string> = kind === 'phase'
    ? { NOT_STARTED: 'start', IN_PROGRESS: 'complete', COMPLETED: 'reopen' }
    : { NOT_STARTED: 'start', REVISION_REQUESTED: 'start', IN_PROGRESS: 'complete', BLOCKED: 'unblock' };
  return next[status];
}

/**
 * Escapes the characters that would change the meaning of text in Markdown: emphasis,
 * links, HTML and table cells. Backticks and underscores stay: the engine's sentences quote
 * names in code spans, and underscores inside words (`start_planning`) are not emphasis.
 * The documents are read as Markdown source too, so nothing else is escaped.
 */
export function md(text: string): string {
  return text.replace(/[\\*[\]<>|]/g, (c) => `\\${c}`);
}

const GUARD_MARK: Record<GuardResultData['result'], string> = { pass: '✔', fail: '✘', unchecked: '–' };

/** The conditions of one transition, one Markdown list item each, with ✔ / ✘ / –. */
export function guardLines(choice: TransitionChoice): string[] {
  return choice.guards.map((g) => `- ${GUARD_MARK[g.result]} ${md(g.message)}`);
}

/** The Markdown part about the next transition: its verdict and every condition. */
export function nextTransitionMarkdown(choice: TransitionChoice | undefined, failure?: string): string {
  if (failure) return `_Next step unknown: ${md(failure)}_`;
  if (!choice) return '';
  const verdict = choice.verdict === 'allowed' ? 'you may do it now' : choice.verdict === 'unchanged' ? 'already done' : 'not yet';
  return [`**Next: ${md(choice.title)}** — ${verdict}${choice.needsReason ? ' (needs a reason)' : ''}`, '', ...guardLines(choice)].join('\n');
}

const stampLine = (what: string, stamp: { at: string; by: string | null } | null) => (stamp ? `${what} ${longTime(stamp.at)}${stamp.by ? ` by ${md(stamp.by)}` : ''}` : '');

/** A phase's tooltip (Markdown), the next transition appended by the caller. */
export function phaseTooltip(p: PhaseNode, instance: InstanceSummary, now = Date.now()): string {
  const lines = [
    `**${md(p.name)}** — ${md(p.title)}`,
    '',
    `${md(instance.cycle)} · ${md(instance.report)} · phase ${p.order} of 9`,
    '',
    `Status: **${statusWords(p.status)}**${p.progress.total > 0 ? ` · ${p.progress.done} of ${p.progress.total} required activities done` : ''}${p.riskLevel ? ` · ${p.riskLevel} risk` : ''}`,
    stampLine('Started', p.started),
    stampLine('Completed', p.completed),
    p.slaHours !== null ? `SLA ${p.slaHours} h${p.slaDue ? `, due ${longTime(p.slaDue)}` : ''}${p.overdue ? ` — **${overdueWords(p, now)}**` : ''}` : '',
  ];
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n\n').replace(/\n{3,}/g, '\n\n');
}

/** An activity's tooltip (Markdown), the next transition appended by the caller. */
export function activityTooltip(a: ActivityNode, p: PhaseNode, instance: InstanceSummary): string {
  const lines = [
    `**${md(a.name)}** — ${a.type}${a.required ? '' : ', optional'}${a.role ? `, role ${md(a.role)}` : ''}`,
    `${md(instance.cycle)} · ${md(instance.report)} · phase ${md(p.name)}, activity ${a.order}`,
    `Status: **${statusWords(a.status)}**`,
    a.blockedReason && a.status === 'BLOCKED' ? `Blocked because: ${md(a.blockedReason)}` : '',
    a.revisionReason && a.status === 'REVISION_REQUESTED' ? `Revision requested: ${md(a.revisionReason)}` : '',
    stampLine('Started', a.started),
    stampLine('Completed', a.completed),
  ];
  return lines.filter(Boolean).join('\n\n');
}

/** An instance's tooltip (Markdown). */
export function instanceTooltip(s: InstanceSummary): string {
  return [
    `**${md(s.cycle)} · ${md(s.report)}**`,
    s.workflow ? `Workflow \`${s.workflow}\`` : 'No synced workflow',
    `${s.done} of ${s.total} phases done${s.current ? ` · current phase: ${md(s.current)}` : ''}`,
    [s.inProgress ? `${s.inProgress} in progress` : '', s.blocked ? `${plural(s.blocked, 'activity', 'activities')} blocked` : '', s.overdue ? `${plural(s.overdue, 'phase')} overdue` : ''].filter(Boolean).join(' · '),
  ].filter(Boolean).join('\n\n');
}
