/** Completion candidates at a cursor: keys, phase names, enum values, `depends_on` entries, phase skeletons. */
import { ACTIVITY_TYPES, PHASE_NAMES, RISK_LEVELS, ROLES, STANDARD_PHASES, standardPhase } from '../model';
import type { Span } from '../problem';
import type { FileAnalysis } from '../validate';
import { cursorContext, type CursorContext } from './cursor';
import { keysOf, mappingKind } from './key-docs';
import { activityAt, phaseAt } from './locate';
import { phaseSkeleton } from './skeleton';

/** What a candidate is, for the editor's icon. */
export type CandidateKind = 'key' | 'phase' | 'enum' | 'value' | 'snippet';

/** One completion candidate; `insertText` replaces `replace`. */
export interface CompletionCandidate {
  readonly label: string;
  readonly kind: CandidateKind;
  readonly detail?: string;
  readonly documentation?: string;
  readonly insertText: string;
  /** True when `insertText` uses snippet tab stops (`${1:x}`). */
  readonly snippet: boolean;
  readonly replace: Span;
  /** Sorts candidates in a meaningful order (standard phase order, schema order). */
  readonly sortText: string;
  /** What the editor matches the typed text against, when not the label (it covers all of `replace`). */
  readonly filterText?: string;
}

const pad = (n: number) => String(n).padStart(3, '0');

function table(entries: Record<string, string>, kind: CandidateKind, replace: Span): CompletionCandidate[] {
  return Object.entries(entries).map(([value, meaning], i) => ({
    label: value,
    kind,
    documentation: meaning,
    insertText: value,
    snippet: false,
    replace,
    sortText: pad(i),
  }));
}

/** Phase names used by other phases of the file (the phase being edited does not count). */
function usedPhaseNames(analysis: FileAnalysis, offset: number): Set<string> {
  const here = phaseAt(analysis.definition, offset);
  return new Set(analysis.definition.phases.filter((p) => p !== here && p.name).map((p) => p.name!.value));
}

function phaseCandidates(names: readonly string[], replace: Span, wrap: (name: string) => string = (n) => n): CompletionCandidate[] {
  return names.map((name) => {
    const phase = standardPhase(name)!;
    return {
      label: name,
      kind: 'phase' as const,
      detail: `${phase.order}. ${phase.title}`,
      documentation: phase.summary,
      insertText: wrap(name),
      snippet: false,
      replace,
      sortText: pad(phase.order),
    };
  });
}

function keyCandidates(analysis: FileAnalysis, offset: number, ctx: CursorContext, snippets: boolean): CompletionCandidate[] {
  const out: CompletionCandidate[] = [];
  const kind = mappingKind(ctx.path);
  const replace = ctx.word;
  if (kind) {
    let i = 0;
    for (const [key, description] of keysOf(kind)) {
      i++;
      if (ctx.siblings.includes(key)) continue;
      out.push({ label: key, kind: 'key', documentation: description, insertText: `${key}: `, snippet: false, replace, sortText: pad(i) });
    }
  }
  const inPhaseList = ctx.path.join('/') === 'phases' || (kind === 'phase' && ctx.freshItem);
  if (inPhaseList) {
    const used = usedPhaseNames(analysis, offset);
    const lineStart = analysis.text.lastIndexOf('\n', ctx.word.start - 1) + 1;
    const itemStart = ctx.freshItem ? lineStart + ctx.itemColumn : ctx.word.start;
    const indent = itemStart - lineStart;
    for (const phase of STANDARD_PHASES) {
      if (used.has(phase.name)) continue;
      out.push({
        label: `phase: ${phase.name}`,
        kind: 'snippet',
        detail: `${phase.order}. ${phase.title} (skeleton with START and COMPLETE)`,
        documentation: phase.summary,
        insertText: phaseSkeleton(phase.name, indent, snippets),
        snippet: snippets,
        replace: { start: itemStart, end: ctx.word.end },
        sortText: `z${pad(phase.order)}`,
        // The edit starts at the `- ` marker, so the editor filters on that text too.
        filterText: `${analysis.text.slice(itemStart, ctx.word.start)}${phase.name}`,
      });
    }
  }
  return out;
}

function valueCandidates(analysis: FileAnalysis, offset: number, ctx: CursorContext): CompletionCandidate[] {
  const kind = mappingKind(ctx.path);
  const replace = ctx.word;
  const phase = phaseAt(analysis.definition, offset);
  switch (`${kind}.${ctx.key}`) {
    case 'phase.name': {
      const used = usedPhaseNames(analysis, offset);
      return phaseCandidates(PHASE_NAMES.filter((n) => !used.has(n)), replace);
    }
    case 'phase.depends_on': {
      const own = phase?.name ? standardPhase(phase.name.value) : undefined;
      const listed = new Set((phase?.dependsOn?.value ?? []).map((d) => d.value));
      const lineText = analysis.text.slice(analysis.text.lastIndexOf('\n', offset - 1) + 1, offset);
      for (const m of lineText.matchAll(/[\w-]+/g)) listed.add(m[0]);
      const earlier = PHASE_NAMES.filter((n) => (own ? standardPhase(n)!.order < own.order : true) && !listed.has(n));
      return phaseCandidates(earlier, replace, ctx.inSequence ? undefined : (n) => `[${n}]`);
    }
    case 'activity.type':
      return table(ACTIVITY_TYPES, 'enum', replace);
    case 'activity.role':
      return table(ROLES, 'enum', replace);
    case 'phase.risk_level':
      return table(RISK_LEVELS, 'enum', replace);
    case 'activity.required':
    case 'phase.skippable':
      return table({ true: 'Yes.', false: 'No.' }, 'value', replace);
    case 'file.version':
      return table({ 1: 'The file format version.' }, 'value', replace);
    case 'phase.order': {
      const std = phase?.name ? standardPhase(phase.name.value) : undefined;
      return std ? table({ [std.order]: `The standard order of ${std.name}.` }, 'value', replace) : [];
    }
    case 'activity.order': {
      const activity = phase ? activityAt(phase, offset) : undefined;
      return activity ? table({ [activity.index + 1]: 'The position of this activity in its list.' }, 'value', replace) : [];
    }
    default:
      return [];
  }
}

/** Options of `completionsAt`. */
export interface CompletionOptions {
  /** False: the phase skeletons are plain text without tab stops (the client has no snippets). Default true. */
  readonly snippets?: boolean;
}

/** The completion candidates at `offset` of an analysed file. Never throws on any text. */
export function completionsAt(analysis: FileAnalysis, offset: number, options: CompletionOptions = {}): CompletionCandidate[] {
  const ctx = cursorContext(analysis.text, offset);
  if (!ctx) return [];
  return ctx.kind === 'key' ? keyCandidates(analysis, offset, ctx, options.snippets !== false) : valueCandidates(analysis, offset, ctx);
}
