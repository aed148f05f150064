/** Hover text: what a phase, an enum value, a key or a diagnostic's rule means. */
import { ACTIVITY_TYPES, PHASE_NAMES, RISK_LEVELS, ROLES, isMember, standardPhase } from '../model';
import type { Located } from '../definition/types';
import type { Problem, Span } from '../problem';
import { ruleById } from '../rules/registry';
import type { FileAnalysis } from '../validate';
import { keysOf, type MappingKind } from './key-docs';
import { activityAt, inSpan, phaseAt } from './locate';

/** Markdown to show, and the span it is about. */
export interface HoverInfo {
  readonly markdown: string;
  readonly span: Span;
}

/** The markdown describing a standard phase (title, order, default dependency, summary). */
export function describePhase(name: string): string | undefined {
  const phase = standardPhase(name);
  if (!phase) return undefined;
  const previous = phase.order > 1 ? PHASE_NAMES[phase.order - 2] : undefined;
  return [
    `**${phase.name}** — ${phase.title}`,
    '',
    `Standard order: ${phase.order} of ${PHASE_NAMES.length}.`,
    previous ? `Depends on (by default): \`${previous}\`.` : 'The first phase: depends on nothing.',
    '',
    phase.summary,
  ].join('\n');
}

function enumHover(label: string, table: Record<string, string>, located: Located<string>): HoverInfo | undefined {
  const meaning = isMember(table, located.value) ? table[located.value] : undefined;
  return meaning ? { markdown: `**${located.value}** (${label}): ${meaning}`, span: located.span } : undefined;
}

function keyHover(kind: MappingKind, key: string, span: Span): HoverInfo | undefined {
  const description = keysOf(kind).get(key);
  return description ? { markdown: `**${key}**: ${description}`, span } : undefined;
}

function onKey(located: Located<unknown> | undefined, offset: number): Span | undefined {
  return located?.keySpan && inSpan(located.keySpan, offset) ? located.keySpan : undefined;
}

const PHASE_KEYS = { name: 'name', order: 'order', title: 'title', riskLevel: 'risk_level', slaHours: 'sla_hours', dependsOn: 'depends_on', skippable: 'skippable', metadata: 'metadata' } as const;
const ACTIVITY_KEYS = { name: 'name', type: 'type', role: 'role', required: 'required', description: 'description', order: 'order' } as const;

/** What the definition says at `offset`: a phase name, an enum value or a key. */
function elementHover(analysis: FileAnalysis, offset: number): HoverInfo | undefined {
  const definition = analysis.definition;
  for (const [field, key] of [['version', 'version'], ['workflow', 'workflow']] as const) {
    const span = onKey(definition[field], offset);
    if (span) return keyHover('file', key, span);
  }
  const phase = phaseAt(definition, offset);
  if (!phase) return undefined;
  const activity = activityAt(phase, offset);
  if (activity) {
    if (activity.type && inSpan(activity.type.span, offset)) return enumHover('activity type', ACTIVITY_TYPES, activity.type);
    if (activity.role && inSpan(activity.role.span, offset)) return enumHover('role', ROLES, activity.role);
    for (const [field, key] of Object.entries(ACTIVITY_KEYS)) {
      const span = onKey(activity[field as keyof typeof ACTIVITY_KEYS], offset);
      if (span) return keyHover('activity', key, span);
    }
    return undefined;
  }
  const phaseName = phase.name;
  if (phaseName && inSpan(phaseName.span, offset)) {
    const markdown = describePhase(phaseName.value);
    return markdown ? { markdown, span: phaseName.span } : undefined;
  }
  for (const entry of phase.dependsOn?.value ?? []) {
    if (inSpan(entry.span, offset)) {
      const markdown = describePhase(entry.value);
      return markdown ? { markdown, span: entry.span } : undefined;
    }
  }
  if (phase.riskLevel && inSpan(phase.riskLevel.span, offset)) return enumHover('risk level', RISK_LEVELS, phase.riskLevel);
  for (const [field, key] of Object.entries(PHASE_KEYS)) {
    const span = onKey(phase[field as keyof typeof PHASE_KEYS], offset);
    if (span) return keyHover('phase', key, span);
  }
  if (phase.activitiesKeySpan && inSpan(phase.activitiesKeySpan, offset)) return keyHover('phase', 'activities', phase.activitiesKeySpan);
  return undefined;
}

/**
 * The hover at `offset`: the rule of every problem there (from `problems`, which may
 * include cross-file ones), then what the element under the cursor means.
 */
export function hoverAt(analysis: FileAnalysis, offset: number, problems: readonly Problem[]): HoverInfo | undefined {
  const here = problems.filter((p) => inSpan(p.span, offset));
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const problem of here) {
    if (seen.has(problem.rule)) continue;
    seen.add(problem.rule);
    const rule = ruleById(problem.rule);
    parts.push(`\`${problem.rule}\` (${problem.severity}): ${rule?.title ?? problem.message}`);
  }
  const element = elementHover(analysis, offset);
  if (element) parts.push(element.markdown);
  if (parts.length === 0) return undefined;
  const span = element?.span ?? here[0]!.span;
  return { markdown: parts.join('\n\n---\n\n'), span };
}
