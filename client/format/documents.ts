/**
 * The readable documents the commands open, as Markdown: Explain (every condition of
 * every transition of a node), Show History (the audit trail), and Preview Sync (the plan,
 * with deletions and refusals standing out). Pure (no editor API), so it is unit-tested.
 */
import type {
  ActingUser,
  ExplainResult,
  HistoryEntryData,
  InstancePlanData,
  PlanChangeData,
  PlanResult,
  TransitionChoice,
} from '../../schemas/lsp-protocol';
import { guardLines, md, statusWords } from './node-text';
import { longTime } from './time';

/** What a document is about: `2026-Q4 · FR-Y-14Q`, a phase, an activity. */
export interface Subject {
  readonly cycle: string;
  readonly report: string;
  readonly phase?: string | undefined;
  readonly activity?: string | undefined;
}

/** `2026-Q4 · FR-Y-14Q › planning › load_attributes` */
export function subjectTitle(s: Subject): string {
  return [`${s.cycle} · ${s.report}`, s.phase, s.activity].filter(Boolean).join(' › ');
}

function userLine(user: ActingUser): string {
  if (user.id === null) return `Acting user: none resolved${user.problem ? ` (${md(user.problem)})` : ''}; role conditions are not checked.`;
  return `Acting user: **${md(user.name)}**${user.role ? ` (${md(user.role)})` : ''}, from ${user.source === 'setting' ? 'the workflowPhases.user setting' : user.source === 'git' ? 'git config user.email' : 'nowhere'}.`;
}

const VERDICT: Record<TransitionChoice['verdict'], string> = { allowed: '✔ allowed', refused: '✘ refused', unchanged: '= already so' };

/** One transition explained: verdict, from -> to, every condition, what it would change. */
export function choiceSection(choice: TransitionChoice, level = '##'): string {
  const lines = [`${level} ${md(choice.title)} — ${VERDICT[choice.verdict]}`, ''];
  if (choice.from !== null) lines.push(`${statusWords(choice.from)} → ${choice.to !== null ? statusWords(choice.to) : '(no such status)'}${choice.needsReason ? ' · needs a reason' : ''}`, '');
  if (choice.guards.length > 0) lines.push(...guardLines(choice), '');
  if (choice.verdict === 'allowed' && choice.changes.length > 0) {
    lines.push('It would change:', '', ...choice.changes.map((c) => `- ${c.entity} ${md(c.activity ?? c.phase)}: ${statusWords(c.from)} → ${statusWords(c.to)}`), '');
  }
  if (choice.notes.length > 0) lines.push(...choice.notes.map((n) => `> ${md(n)}`), '');
  return lines.join('\n');
}

/** The Explain document of a node: allowed transitions first, then the refused ones, then those already done. */
export function explainMarkdown(subject: Subject, result: ExplainResult): string {
  const allowed = result.explanations.filter((c) => c.verdict === 'allowed');
  const others = [...result.explanations.filter((c) => c.verdict === 'refused'), ...result.explanations.filter((c) => c.verdict === 'unchanged')];
  const lines = [`# Explain: ${md(subjectTitle(subject))}`, '', userLine(result.user), ''];
  if (result.explanations.length === 0) lines.push('No transition applies here.', '');
  if (allowed.length > 0) lines.push(`You may: ${allowed.map((c) => md(c.title)).join('; ')}.`, '');
  for (const choice of [...allowed, ...others]) lines.push(choiceSection(choice));
  lines.push('_✔ condition met · ✘ not met · – not checked. Nothing was written._', '');
  return lines.join('\n');
}

/** The History document: one table row per status change, oldest first. */
export function historyMarkdown(subject: Subject, entries: readonly HistoryEntryData[]): string {
  const lines = [`# History: ${md(subjectTitle(subject))}`, ''];
  if (entries.length === 0) {
    lines.push('No status change recorded yet.', '');
    return lines.join('\n');
  }
  lines.push(`${entries.length} status change${entries.length === 1 ? '' : 's'}, oldest first.`, '');
  lines.push('| when | what | from | to | who | reason | via |', '|---|---|---|---|---|---|---|');
  const cell = (text: string | null) => (text ? md(text).replace(/\n/g, ' ') : '');
  for (const e of entries) {
    const what = e.entity === 'phase' ? `phase ${e.phase}` : `${e.phase} › ${e.activity ?? ''}`;
    lines.push(`| ${longTime(e.at)} | ${cell(what)} | ${e.from ? statusWords(e.from) : ''} | **${statusWords(e.to)}** | ${cell(e.actor)} | ${cell(e.reason)} | ${cell(e.source)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** A value in a code span: strings as they are, anything else as JSON; absent is `none`. */
function code(value: unknown): string {
  const text = value === undefined || value === null ? 'none' : typeof value === 'string' ? value : JSON.stringify(value);
  return `\`${text.replace(/`/g, "'")}\``;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields that differ, as `path: from → to`; objects are compared key by key, so only what changed is shown. */
export function fieldChanges(path: string, from: unknown, to: unknown): string[] {
  if (isRecord(from) && isRecord(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
    return keys.filter((k) => JSON.stringify(from[k]) !== JSON.stringify(to[k])).flatMap((k) => fieldChanges(`${path}.${k}`, from[k], to[k]));
  }
  return [`${path} ${code(from)} → ${code(to)}`];
}

function changeLine(c: PlanChangeData): string {
  const what = c.entity === 'instance' ? 'the instance (all 9 phases)' : c.entity === 'phase' ? `phase ${md(c.phase ?? '')}` : `activity ${md(c.phase ?? '')} › ${md(c.activity ?? '')}`;
  const fields = Object.entries(c.fields ?? {}).flatMap(([field, { from, to }]) => fieldChanges(field, from, to));
  return `- ${what}${fields.length > 0 ? `: ${fields.join(', ')}` : ''}`;
}

function instanceSection(plan: InstancePlanData): string[] {
  const lines = [`## ${md(plan.cycle)} · ${md(plan.report)} — workflow \`${plan.workflow}\``, ''];
  const of = (action: PlanChangeData['action']) => plan.changes.filter((c) => c.action === action);
  const creates = of('create');
  const updates = of('update');
  const deletes = of('delete');
  if (plan.refused.length > 0) {
    lines.push(`### ✘ Refused (${plan.refused.length}): would lose progress`, '', ...plan.refused.map((r) => `- **${md(r.message)}**`), '');
  }
  if (deletes.length > 0) lines.push(`### ⚠ Delete (${deletes.length})`, '', ...deletes.map(changeLine), '');
  if (updates.length > 0) lines.push(`### Update (${updates.length})`, '', ...updates.map(changeLine), '');
  if (creates.length > 0) lines.push(`### Create (${creates.length})`, '', ...creates.map(changeLine), '');
  if (plan.changes.length === 0 && plan.refused.length === 0) lines.push('Nothing to change.', '');
  return lines;
}

/** The one-line summary of a plan: `3 to create · 1 to update · ⚠ 1 to delete · ✘ 2 refused`. */
export function planSummary(plan: PlanResult): string {
  const s = plan.summary;
  const parts = [`${s.create} to create`, `${s.update} to update`, s.delete > 0 ? `⚠ ${s.delete} to delete` : '0 to delete', s.refused > 0 ? `✘ ${s.refused} refused` : ''];
  return parts.filter(Boolean).join(' · ');
}

/** The Preview Sync document. `applied` is set for the report of a sync that ran. */
export function planMarkdown(plan: PlanResult, options: { title?: string; applied?: boolean; fileName?: (uri: string) => string } = {}): string {
  const name = options.fileName ?? ((uri: string) => uri);
  const lines = [`# ${options.title ?? 'Sync preview'}`, ''];
  lines.push(options.applied === undefined ? 'Nothing has been written: this is what **Workflow Phases: Sync** would do.' : options.applied ? '**Written** in one transaction.' : '**Nothing was written.**', '');
  lines.push(`**${planSummary(plan)}**`, '');
  if (plan.summary.refused > 0) lines.push('> ✘ Refused changes would lose progress (a started phase or activity removed or retyped). Sync writes nothing while any change is refused, unless you apply the rest.', '');
  if (plan.summary.delete > 0) lines.push('> ⚠ Deletions remove rows that have not started; Sync asks before it deletes.', '');
  for (const instance of [...plan.instances].sort((a, b) => weight(b) - weight(a) || `${a.cycle} ${a.report}`.localeCompare(`${b.cycle} ${b.report}`))) lines.push(...instanceSection(instance));
  if (plan.unknown.length > 0) {
    lines.push(`## ⚠ Not in the database (${plan.unknown.length})`, '', ...plan.unknown.map((u) => `- ${u.kind} \`${u.value}\` named by \`applies_to\` of workflow \`${u.workflow}\``), '', 'Create Instances can add them to a database Workflow Phases created itself.', '');
  }
  if (plan.skipped.length > 0) {
    lines.push(`## ⚠ Left out: files with errors (${plan.skipped.length})`, '', ...plan.skipped.map((f) => `- ${md(name(f.uri))}: ${f.errors} error${f.errors === 1 ? '' : 's'} (fix them first)`), '');
  }
  if (plan.unchanged.length > 0) lines.push(`Unchanged since the last sync: ${plan.unchanged.map((w) => `\`${w}\``).join(', ')}.`, '');
  if (plan.files.length > 0) lines.push(`Definition files: ${plan.files.map((f) => md(name(f))).join(', ')}.`, '');
  return lines.join('\n');
}

/** Refusals first, then deletions, so what needs attention is at the top. */
function weight(plan: InstancePlanData): number {
  return plan.refused.length * 1000 + plan.changes.filter((c) => c.action === 'delete').length;
}
