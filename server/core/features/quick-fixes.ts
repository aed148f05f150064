/**
 * Quick fixes as offset edits, one fixer per rule. Each fixer reads the facts of its
 * problem (`data`) and the typed definition; it offers nothing when no fix is obvious.
 */
import { ACTIVITY_TYPES, PHASE_NAMES, RISK_LEVELS, ROLES, standardPhase } from '../model';
import type { ActivityDefinition, PhaseDefinition } from '../definition/types';
import { didYouMean } from '../did-you-mean';
import type { Problem } from '../problem';
import type { FileAnalysis } from '../validate';
import { activityAt, inSpan, phaseAt } from './locate';
import { phaseSkeleton } from './skeleton';
import { removeKeyEdit } from './remove-key';
import { columnOf, dashColumn, itemLines, lineStartOf, nextLineStart, type OffsetEdit } from './text-edits';

/** One quick fix: a title, the problem it fixes and the edits to the file's text. */
export interface QuickFix {
  readonly title: string;
  readonly problem: Problem;
  readonly edits: readonly OffsetEdit[];
  /** The one fix an editor may apply on its own ("fix all"). */
  readonly preferred?: boolean;
}

type Fixer = (analysis: FileAnalysis, problem: Problem) => Omit<QuickFix, 'problem'>[];

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

const replaceWith = (problem: Problem, value: string, title = `Change to '${value}'`) => [{ title, preferred: true, edits: [{ span: problem.span, newText: value }] }];

/** The enum a value at `offset` must come from, by where it stands. */
function enumAt(analysis: FileAnalysis, offset: number): readonly string[] | undefined {
  const phase = phaseAt(analysis.definition, offset);
  if (!phase) return undefined;
  const activity = activityAt(phase, offset);
  if (activity?.type && inSpan(activity.type.span, offset)) return Object.keys(ACTIVITY_TYPES);
  if (activity?.role && inSpan(activity.role.span, offset)) return Object.keys(ROLES);
  if (!activity && phase.riskLevel && inSpan(phase.riskLevel.span, offset)) return Object.keys(RISK_LEVELS);
  if (!activity && phase.name && inSpan(phase.name.span, offset)) return PHASE_NAMES;
  if (!activity && phase.dependsOn?.value.some((d) => inSpan(d.span, offset))) return PHASE_NAMES;
  return undefined;
}

const renameToSuggestion: Fixer = (analysis, problem) => {
  const written = analysis.text.slice(problem.span.start, problem.span.end).replace(/^['"]|['"]$/g, '');
  const candidates = enumAt(analysis, problem.span.start);
  const suggestion = str(problem.data?.suggestion) ?? (candidates ? didYouMean(written, candidates) : undefined);
  return suggestion && suggestion !== written ? replaceWith(problem, suggestion) : [];
};

/** The lines of the whole `phases` list, and the column of its `- ` markers. */
function phaseBlock(analysis: FileAnalysis): { phases: readonly PhaseDefinition[]; column: number } | undefined {
  const phases = analysis.definition.phases;
  if (phases.length === 0) return undefined;
  const column = dashColumn(analysis.text, phases[0]!.span.start);
  if (column === undefined || phases.some((p) => dashColumn(analysis.text, p.span.start) !== column)) return undefined;
  return { phases, column };
}

/** Rewrites a block list so its items follow `order` (indices into `items`); comments between items move with the item below. */
function reorderItems(text: string, items: readonly { span: { start: number; end: number } }[], order: readonly number[]): OffsetEdit[] {
  const blocks = items.map((item, i) => {
    const lines = itemLines(text, item.span);
    const start = i === 0 ? lines.start : itemLines(text, items[i - 1]!.span).end;
    return text.slice(start, lines.end);
  });
  const region = { start: itemLines(text, items[0]!.span).start, end: itemLines(text, items[items.length - 1]!.span).end };
  let joined = order.map((i) => (blocks[i]!.endsWith('\n') ? blocks[i]! : `${blocks[i]!}\n`)).join('');
  if (!text.slice(region.start, region.end).endsWith('\n')) joined = joined.slice(0, -1);
  return [{ span: region, newText: joined }];
}

const phaseOrder: Fixer = (analysis, problem) => {
  const out: Omit<QuickFix, 'problem'>[] = [];
  const phase = phaseAt(analysis.definition, problem.span.start);
  const expected = num(problem.data?.expected) ?? (phase?.name ? standardPhase(phase.name.value)?.order : undefined);
  if (phase?.order && inSpan(phase.order.span, problem.span.start) && expected !== undefined) {
    out.push({ title: `Set order to ${expected}`, preferred: true, edits: [{ span: phase.order.span, newText: String(expected) }] });
  }
  const block = phaseBlock(analysis);
  if (block) {
    const rank = (p: PhaseDefinition) => (p.name ? (standardPhase(p.name.value)?.order ?? 99) : 99);
    const order = block.phases.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map((x) => x.i);
    if (order.some((v, i) => v !== i)) {
      out.push({ title: 'Move phases into standard order', preferred: out.length === 0, edits: reorderItems(analysis.text, block.phases, order) });
    }
  }
  return out;
};

const missingPhase: Fixer = (analysis, problem) => {
  const present = new Set(analysis.definition.phases.map((p) => p.name?.value));
  const named = str(problem.data?.phase) ?? str(problem.data?.name) ?? PHASE_NAMES.find((n) => problem.message.includes(`'${n}'`) || problem.message.includes(`\`${n}\``));
  const missing = named ? [named] : PHASE_NAMES.filter((n) => !present.has(n));
  const block = phaseBlock(analysis);
  if (!block) return [];
  return missing.slice(0, 1).flatMap((name) => {
    const order = standardPhase(name)?.order;
    if (order === undefined) return [];
    const before = [...block.phases].reverse().find((p) => (standardPhase(p.name?.value ?? '')?.order ?? 0) < order);
    const at = before ? itemLines(analysis.text, before.span).end : lineStartOf(analysis.text, block.phases[0]!.span.start);
    const prefix = at === analysis.text.length && !analysis.text.endsWith('\n') ? '\n' : '';
    const skeleton = `${' '.repeat(block.column)}${phaseSkeleton(name, block.column, false)}\n`;
    return [{ title: `Insert the missing phase '${name}'`, preferred: true, edits: [{ span: { start: at, end: at }, newText: prefix + skeleton } ] }];
  });
};

/** How a new activity line looks in this phase: flow items (`- {name: x}`) or block items. */
function newActivity(analysis: FileAnalysis, phase: PhaseDefinition, fields: string): { text: string; column: number } | undefined {
  const first = phase.activities[0];
  if (!first) return undefined;
  const column = dashColumn(analysis.text, first.span.start);
  if (column === undefined) return undefined;
  return { text: `${' '.repeat(column)}- {${fields}}\n`, column };
}

function addEdgeActivity(analysis: FileAnalysis, problem: Problem, type: 'START' | 'COMPLETE'): Omit<QuickFix, 'problem'>[] {
  const phase = phaseAt(analysis.definition, problem.span.start);
  if (!phase || phase.activities.length === 0) return [];
  const optional = phase.activities.find((a) => a.required && a.required.span.start === problem.span.start);
  if (optional?.required?.keySpan) {
    const edit = removeKeyEdit(analysis, optional.required.keySpan);
    return edit ? [{ title: `Make the ${type} activity required (remove 'required: false')`, preferred: true, edits: [edit] }] : [];
  }
  const text = analysis.text;
  const matching = phase.activities.filter((a) => a.type?.value === type);
  const last = phase.activities[phase.activities.length - 1]!;
  const edgeIndex = type === 'START' ? 0 : phase.activities.length - 1;
  if (matching.length === 1 && matching[0]!.index !== edgeIndex) {
    const moved = matching[0]!;
    const order = phase.activities.map((a) => a.index).filter((i) => i !== moved.index);
    if (type === 'START') order.unshift(moved.index);
    else order.push(moved.index);
    if (phase.activities.some((a) => dashColumn(text, a.span.start) === undefined)) return [];
    return [{ title: `Move '${moved.name?.value ?? type}' ${type === 'START' ? 'first' : 'last'}`, preferred: true, edits: reorderItems(text, phase.activities, order) }];
  }
  if (matching.length > 0) return [];
  const name = `${type === 'START' ? 'start' : 'complete'}_${phase.name?.value ?? 'phase'}`;
  const line = newActivity(analysis, phase, `name: ${name}, type: ${type}`);
  if (!line) return [];
  const at = type === 'START' ? lineStartOf(text, phase.activities[0]!.span.start) : itemLines(text, last.span).end;
  const prefix = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return [{ title: `Add the ${type} activity '${name}'`, preferred: true, edits: [{ span: { start: at, end: at }, newText: prefix + line.text }] }];
}

const activityOrder: Fixer = (analysis, problem) => {
  const phase = phaseAt(analysis.definition, problem.span.start);
  if (!phase) return [];
  const wrong = phase.activities.filter((a) => a.order && a.order.value !== a.index + 1);
  if (wrong.length > 0) {
    return [{ title: 'Renumber the activities of this phase', preferred: true, edits: wrong.map((a) => ({ span: a.order!.span, newText: String(a.index + 1) })) }];
  }
  const text = analysis.text;
  if (phase.activities.some((a) => dashColumn(text, a.span.start) === undefined)) return [];
  const rank = (a: ActivityDefinition) => (a.type?.value === 'START' ? 0 : a.type?.value === 'COMPLETE' ? 2 : 1);
  const order = phase.activities.map((a) => a.index).sort((x, y) => rank(phase.activities[x]!) - rank(phase.activities[y]!) || x - y);
  if (order.every((v, i) => v === i)) return [];
  return [{ title: 'Reorder the activities: START first, COMPLETE last', preferred: true, edits: reorderItems(text, phase.activities, order) }];
};

const APPROVER_ROLES = ['report_owner', 'test_executive', 'report_executive', 'data_executive'] as const;

const approvalRole: Fixer = (analysis, problem) => {
  const phase = phaseAt(analysis.definition, problem.span.start);
  const activity = phase ? activityAt(phase, problem.span.start) : undefined;
  if (!activity || activity.role) return [];
  const text = analysis.text;
  const item = text.slice(activity.span.start, activity.span.end);
  return APPROVER_ROLES.map((role, i) => {
    let edit: OffsetEdit;
    if (item.startsWith('{') && item.trimEnd().endsWith('}')) {
      const close = activity.span.start + item.trimEnd().length - 1;
      edit = { span: { start: close, end: close }, newText: `, role: ${role}` };
    } else {
      const column = activity.name ? columnOf(text, activity.name.keySpan?.start ?? activity.name.span.start) : columnOf(text, activity.span.start);
      const at = nextLineStart(text, Math.max(activity.span.start, activity.span.end - 1));
      const prefix = at === text.length && !text.endsWith('\n') ? '\n' : '';
      edit = { span: { start: at, end: at }, newText: `${prefix}${' '.repeat(column)}role: ${role}\n` };
    }
    return { title: `Set the approver role to '${role}'`, preferred: i === 0, edits: [edit] };
  });
};

const unknownKey: Fixer = (analysis, problem) => {
  const edit = removeKeyEdit(analysis, problem.span);
  const key = analysis.text.slice(problem.span.start, problem.span.end);
  const fixes: Omit<QuickFix, 'problem'>[] = edit ? [{ title: `Remove the unknown key '${key}'`, edits: [edit] }] : [];
  const suggestion = str(problem.data?.suggestion);
  if (suggestion) fixes.unshift({ title: `Rename to '${suggestion}'`, preferred: true, edits: [{ span: problem.span, newText: suggestion }] });
  return fixes;
};

const duplicatePhase: Fixer = (analysis, problem) => {
  const start = num(problem.data?.removeStart);
  const end = num(problem.data?.removeEnd);
  if (start === undefined || end === undefined || dashColumn(analysis.text, start) === undefined) return [];
  const name = analysis.text.slice(problem.span.start, problem.span.end);
  return [{ title: `Remove this duplicate '${name}' phase`, edits: [{ span: itemLines(analysis.text, { start, end }), newText: '' }] }];
};

const missingKey: Fixer = (analysis, problem) => {
  const key = str(problem.data?.key);
  const d = analysis.definition;
  const rootLevel = problem.span.start === 0 || columnOf(analysis.text, problem.span.start) === 0;
  if (!rootLevel || analysis.tree?.kind !== 'map' || (key !== 'version' && key !== 'workflow')) return [];
  const file = analysis.file.split(/[\\/]/).pop() ?? 'workflow';
  const name = file.replace(/\.phases\.ya?ml$/i, '').replace(/[^\w-]/g, '-') || 'workflow';
  const line = key === 'version' ? 'version: 1' : `workflow: ${name}`;
  // `workflow` goes after `version` when that is written; anything else at the problem's line.
  const at = key === 'workflow' && d.version?.keySpan ? nextLineStart(analysis.text, d.version.span.end) : lineStartOf(analysis.text, problem.span.start);
  const prefix = at === analysis.text.length && at > 0 && !analysis.text.endsWith('\n') ? '\n' : '';
  return [{ title: `Add '${line}'`, preferred: true, edits: [{ span: { start: at, end: at }, newText: `${prefix}${line}\n` }] }];
};

const FIXERS: Record<string, Fixer> = {
  'duplicate-phase': duplicatePhase,
  'missing-key': missingKey,
  'unknown-phase': renameToSuggestion,
  'invalid-value': renameToSuggestion,
  'unknown-dependency': renameToSuggestion,
  'phase-order': phaseOrder,
  'missing-phase': missingPhase,
  'activity-order': activityOrder,
  'start-activity': (a, p) => addEdgeActivity(a, p, 'START'),
  'complete-activity': (a, p) => addEdgeActivity(a, p, 'COMPLETE'),
  'approval-role': approvalRole,
  'unknown-key': unknownKey,
};

/** The quick fixes for `problems` of an analysed file. Never throws on any text. */
export function quickFixesFor(analysis: FileAnalysis, problems: readonly Problem[]): QuickFix[] {
  const out: QuickFix[] = [];
  for (const problem of problems) {
    const fixer = FIXERS[problem.rule];
    if (!fixer) continue;
    for (const fix of fixer(analysis, problem)) if (fix.edits.length > 0) out.push({ ...fix, problem });
  }
  return out;
}
