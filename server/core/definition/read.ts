/**
 * YAML tree -> typed definition. Reports what the shape of the file gets wrong
 * (`unknown-key`, `missing-key`, `invalid-value`) and keeps everything it can read,
 * so the rules still run on the rest.
 */
import { KNOWN_KEYS } from '../../../schemas/definition-schema';
import { didYouMean } from '../did-you-mean';
import { ACTIVITY_TYPES, isMember, RISK_LEVELS, ROLES } from '../model';
import type { Parsed, Problem, ProblemData, Span } from '../problem';
import { invalidValue } from '../rules/invalid-value';
import { missingKey } from '../rules/missing-key';
import { problemOf } from '../rules/rule';
import { unknownKey } from '../rules/unknown-key';
import type { YMap, YNode, YPair } from '../yaml/tree';
import type { ActivityDefinition, InstanceClaim, Located, PhaseDefinition, WorkflowDefinition } from './types';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Keys of phase_metadata that sync, transitions and the legacy migration write themselves. */
const RESERVED_METADATA_KEYS = ['definition', 'progress', 'legacy'];

const KNOWN = {
  file: new Set<string>(KNOWN_KEYS.file),
  phase: new Set<string>(KNOWN_KEYS.phase),
  activity: new Set<string>(KNOWN_KEYS.activity),
  claim: new Set<string>(KNOWN_KEYS.claim),
};

function describe(node: YNode | null): string {
  if (!node) return 'nothing';
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'null';
  if (typeof node.value === 'string') return `'${node.value}'`;
  return String(node.value);
}

/** Converts a YAML node to plain data (for `metadata`). */
function toPlain(node: YNode | null): unknown {
  if (!node) return null;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const pair of node.pairs) out[String(pair.key.value)] = toPlain(pair.value);
  return out;
}

class Reader {
  readonly problems: Problem[] = [];

  private report(rule: typeof invalidValue, message: string, span: Span, data?: ProblemData): void {
    this.problems.push(problemOf(rule, data ? { message, span, data } : { message, span }));
  }

  private invalid(what: string, expected: string, node: YNode | null, fallback: Span, data?: ProblemData): void {
    this.report(invalidValue, `${what} must be ${expected}, not ${describe(node)}.`, node ? node.span : fallback, data);
  }

  /** Checks the keys of a mapping against the known keys; returns the known pairs. */
  private knownPairs(map: YMap, known: Set<string>, where: string): YPair[] {
    const out: YPair[] = [];
    for (const pair of map.pairs) {
      const key = pair.key.value;
      if (typeof key === 'string' && known.has(key)) {
        out.push(pair);
        continue;
      }
      const name = String(key);
      const suggestion = didYouMean(name, [...known]);
      this.report(
        unknownKey,
        `Unknown key '${name}' in ${where}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}. Known keys: ${[...known].join(', ')}.`,
        pair.key.span,
        { key: name, ...(suggestion ? { suggestion } : {}), removeStart: pair.span.start, removeEnd: pair.span.end },
      );
    }
    return out;
  }

  private string(pair: YPair, what: string): Located<string> | undefined {
    const v = pair.value;
    if (v && v.kind === 'scalar' && typeof v.value === 'string' && v.value.length > 0) {
      return { value: v.value, span: v.span, keySpan: pair.key.span };
    }
    this.invalid(what, 'a non-empty text', v, pair.key.span);
    return undefined;
  }

  private text(pair: YPair, what: string): Located<string> | undefined {
    const v = pair.value;
    if (v && v.kind === 'scalar' && v.value !== null && typeof v.value !== 'boolean') {
      return { value: String(v.value), span: v.span, keySpan: pair.key.span };
    }
    this.invalid(what, 'a text', v, pair.key.span);
    return undefined;
  }

  private boolean(pair: YPair, what: string): Located<boolean> | undefined {
    const v = pair.value;
    if (v && v.kind === 'scalar' && typeof v.value === 'boolean') return { value: v.value, span: v.span, keySpan: pair.key.span };
    this.invalid(what, 'true or false', v, pair.key.span);
    return undefined;
  }

  private integer(pair: YPair, what: string, min: number, max: number): Located<number> | undefined {
    const v = pair.value;
    if (v && v.kind === 'scalar' && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= min && v.value <= max) {
      return { value: v.value, span: v.span, keySpan: pair.key.span };
    }
    const range = max === Infinity ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
    this.invalid(what, range, v, pair.key.span);
    return undefined;
  }

  /** An enum value; an unknown one is reported (with a suggestion) but still returned, so rules know it was written. */
  private member(pair: YPair, what: string, table: object): Located<string> | undefined {
    const v = pair.value;
    const allowed = Object.keys(table);
    if (v && v.kind === 'scalar' && typeof v.value === 'string' && isMember(table, v.value)) {
      return { value: v.value, span: v.span, keySpan: pair.key.span };
    }
    const written = v && v.kind === 'scalar' && v.value !== null ? String(v.value) : undefined;
    const suggestion = written === undefined ? undefined : didYouMean(written, allowed);
    this.report(
      invalidValue,
      `${what} must be one of ${allowed.join(', ')}, not ${describe(v)}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}.`,
      v ? v.span : pair.key.span,
      suggestion ? { suggestion } : undefined,
    );
    return written === undefined || !v ? undefined : { value: written, span: v.span, keySpan: pair.key.span };
  }

  /** The mappings of a list value, with their list positions; a value that is no list, or an item that is no mapping, is reported. */
  private mappings(pair: YPair, listWhat: string, listExpected: string, itemWhat: string, itemExpected: string): { map: YMap; index: number }[] {
    const list = pair.value;
    if (!list || list.kind !== 'seq') {
      this.invalid(listWhat, listExpected, list, pair.key.span);
      return [];
    }
    const out: { map: YMap; index: number }[] = [];
    list.items.forEach((item, index) => {
      if (item.kind === 'map') out.push({ map: item, index });
      else this.invalid(itemWhat, itemExpected, item, item.span);
    });
    return out;
  }

  private missing(what: string, key: string, at: Span): void {
    this.report(missingKey, `${what} has no '${key}'.`, at, { key });
  }

  file(root: YNode | null, text: string): WorkflowDefinition {
    const whole: Span = { start: 0, end: Math.min(text.length, Math.max(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'))) };
    const definition: Mutable<WorkflowDefinition> = { phases: [], appliesTo: [], span: root ? root.span : whole };
    if (!root) {
      this.report(missingKey, "The file is empty: a definition needs 'version', 'workflow' and 'phases'.", { start: 0, end: 0 }, { key: 'version' });
      return definition;
    }
    if (root.kind !== 'map') {
      this.invalid('A definition file', "a mapping with 'version', 'workflow' and 'phases'", root, whole);
      return definition;
    }
    const firstKey = root.pairs[0]?.key.span ?? whole;
    for (const pair of this.knownPairs(root, KNOWN.file, 'the definition file')) {
      switch (pair.key.value) {
        case 'version': {
          const v = pair.value;
          if (v && v.kind === 'scalar' && v.value === 1) definition.version = { value: 1, span: v.span, keySpan: pair.key.span };
          else this.invalid("'version'", '1', v, pair.key.span, { expected: 1 });
          break;
        }
        case 'workflow':
          definition.workflow = this.string(pair, "'workflow'");
          break;
        case 'phases':
          definition.phasesKeySpan = pair.key.span;
          definition.phases = this.phases(pair);
          break;
        case 'applies_to':
          definition.appliesTo = this.claims(pair);
          break;
      }
    }
    for (const key of ['version', 'workflow', 'phases']) {
      if (!root.pairs.some((p) => p.key.value === key)) this.missing('The definition file', key, firstKey);
    }
    return definition;
  }

  private phases(pair: YPair): PhaseDefinition[] {
    return this.mappings(pair, "'phases'", 'a list of phases', 'A phase', "a mapping with 'name' and 'activities'")
      .map(({ map, index }) => this.phase(map, index));
  }

  private phase(map: YMap, index: number): PhaseDefinition {
    const phase: Mutable<PhaseDefinition> = { index, activities: [], span: map.span };
    let activitiesWritten = false;
    for (const pair of this.knownPairs(map, KNOWN.phase, 'a phase')) {
      switch (pair.key.value) {
        case 'name':
          phase.name = this.string(pair, 'A phase name');
          break;
        case 'order':
          phase.order = this.integer(pair, "A phase's 'order'", 1, 9);
          break;
        case 'title':
          phase.title = this.text(pair, "A phase's 'title'");
          break;
        case 'risk_level':
          phase.riskLevel = this.member(pair, "'risk_level'", RISK_LEVELS);
          break;
        case 'sla_hours': {
          const v = pair.value;
          if (v && v.kind === 'scalar' && typeof v.value === 'number' && v.value > 0 && Number.isFinite(v.value)) {
            phase.slaHours = { value: v.value, span: v.span, keySpan: pair.key.span };
          } else this.invalid("'sla_hours'", 'a positive number of hours', v, pair.key.span);
          break;
        }
        case 'depends_on':
          phase.dependsOn = this.dependsOn(pair);
          break;
        case 'skippable':
          phase.skippable = this.boolean(pair, "'skippable'");
          break;
        case 'metadata': {
          const v = pair.value;
          if (v && v.kind === 'map') {
            phase.metadata = { value: toPlain(v) as Record<string, unknown>, span: v.span, keySpan: pair.key.span };
            for (const entry of v.pairs) {
              if (!RESERVED_METADATA_KEYS.includes(String(entry.key.value))) continue;
              this.report(
                invalidValue,
                `'${String(entry.key.value)}' is reserved in phase_metadata (Workflow Phases keeps ${RESERVED_METADATA_KEYS.join(', ')} there): use another key.`,
                entry.key.span,
              );
            }
          } else this.invalid("'metadata'", 'a mapping', v, pair.key.span);
          break;
        }
        case 'activities':
          activitiesWritten = true;
          phase.activitiesKeySpan = pair.key.span;
          phase.activities = this.activities(pair);
          break;
      }
    }
    const anchor = phase.name?.keySpan ?? map.pairs[0]?.key.span ?? map.span;
    if (!map.pairs.some((p) => p.key.value === 'name')) this.missing('A phase', 'name', anchor);
    if (!activitiesWritten) this.missing(`Phase '${phase.name?.value ?? index + 1}'`, 'activities', anchor);
    return phase;
  }

  private dependsOn(pair: YPair): Located<readonly Located<string>[]> | undefined {
    const v = pair.value;
    if (!v || v.kind !== 'seq') {
      this.invalid("'depends_on'", 'a list of phase names', v, pair.key.span);
      return undefined;
    }
    const entries: Located<string>[] = [];
    for (const item of v.items) {
      if (item.kind === 'scalar' && typeof item.value === 'string' && item.value) entries.push({ value: item.value, span: item.span });
      else this.invalid("A 'depends_on' entry", 'a phase name', item, item.span);
    }
    return { value: entries, span: v.span, keySpan: pair.key.span };
  }

  private activities(pair: YPair): ActivityDefinition[] {
    return this.mappings(pair, "'activities'", 'a list of activities', 'An activity', "a mapping with 'name' and 'type'")
      .map(({ map, index }) => this.activity(map, index));
  }

  private activity(map: YMap, index: number): ActivityDefinition {
    const activity: Mutable<ActivityDefinition> = { index, span: map.span };
    for (const pair of this.knownPairs(map, KNOWN.activity, 'an activity')) {
      switch (pair.key.value) {
        case 'name':
          activity.name = this.string(pair, 'An activity name');
          break;
        case 'type':
          activity.type = this.member(pair, "An activity's 'type'", ACTIVITY_TYPES);
          break;
        case 'role':
          activity.role = this.member(pair, "'role'", ROLES);
          break;
        case 'required':
          activity.required = this.boolean(pair, "'required'");
          break;
        case 'description':
          activity.description = this.text(pair, "'description'");
          break;
        case 'order':
          activity.order = this.integer(pair, "An activity's 'order'", 1, Infinity);
          break;
      }
    }
    const anchor = map.pairs[0]?.key.span ?? map.span;
    if (!map.pairs.some((p) => p.key.value === 'name')) this.missing('An activity', 'name', anchor);
    if (!map.pairs.some((p) => p.key.value === 'type')) {
      this.missing(`Activity '${activity.name?.value ?? index + 1}'`, 'type', activity.name?.keySpan ?? anchor);
    }
    return activity;
  }

  private claims(pair: YPair): InstanceClaim[] {
    const out: InstanceClaim[] = [];
    for (const { map: item } of this.mappings(pair, "'applies_to'", 'a list of {cycle, reports}', "An 'applies_to' entry", "a mapping with 'cycle' and 'reports'")) {
      const claim: Mutable<InstanceClaim> = { reports: [], span: item.span };
      for (const p of this.knownPairs(item, KNOWN.claim, "an 'applies_to' entry")) {
        if (p.key.value === 'cycle') claim.cycle = this.reference(p.value, p, "'cycle'");
        else claim.reports = this.references(p);
      }
      const anchor = item.pairs[0]?.key.span ?? item.span;
      if (!item.pairs.some((p) => p.key.value === 'cycle')) this.missing("An 'applies_to' entry", 'cycle', anchor);
      if (!item.pairs.some((p) => p.key.value === 'reports')) this.missing("An 'applies_to' entry", 'reports', anchor);
      out.push(claim);
    }
    return out;
  }

  private reference(node: YNode | null, pair: YPair, what: string): Located<string | number> | undefined {
    if (node && node.kind === 'scalar' && ((typeof node.value === 'string' && node.value) || (typeof node.value === 'number' && Number.isInteger(node.value)))) {
      return { value: node.value, span: node.span, ...(node === pair.value ? { keySpan: pair.key.span } : {}) };
    }
    this.invalid(what, 'a name or an id', node, node ? node.span : pair.key.span);
    return undefined;
  }

  private references(pair: YPair): Located<string | number>[] {
    const v = pair.value;
    if (!v || v.kind !== 'seq' || v.items.length === 0) {
      this.invalid("'reports'", 'a non-empty list of report names or ids', v, pair.key.span);
      return [];
    }
    const out: Located<string | number>[] = [];
    for (const item of v.items) {
      const ref = this.reference(item, pair, 'A report');
      if (ref) out.push(ref);
    }
    return out;
  }
}

/** Reads a typed definition from a YAML tree. Never throws on user input. */
export function readDefinition(tree: YNode | null, text: string): Parsed<WorkflowDefinition> {
  const reader = new Reader();
  const value = reader.file(tree, text);
  return { value, problems: reader.problems };
}
