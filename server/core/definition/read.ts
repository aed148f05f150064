/**
 * YAML tree -> typed definition. Reports what the shape of the file gets wrong
 * (`unknown-key`, `missing-key`, `invalid-value`) and keeps everything it can read,
 * so the rules still run on the rest. Which keys are known and required, and what
 * each value may be, come from the contract (`schemas/definition-schema.ts`), through
 * the table generated from it (`contract-generated.ts`).
 */
import { RESERVED_METADATA_KEYS } from '../../../schemas/database-limits';
import { didYouMean } from '../did-you-mean';
import type { Parsed, Problem, ProblemData, Span } from '../problem';
import { invalidValue } from '../rules/invalid-value';
import { missingKey } from '../rules/missing-key';
import { problemOf } from '../rules/rule';
import { unknownKey } from '../rules/unknown-key';
import type { YMap, YNode, YPair } from '../yaml/tree';
import { CONTRACT } from './contract-generated';
import type { MappingKind, ValueContract } from './contract-types';
import { checkField, describeNode } from './field-check';
import { accepts } from './value-check';
import type { ActivityDefinition, InstanceClaim, Located, PhaseDefinition, WorkflowDefinition } from './types';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const { mappings: FIELDS, values: VALUES } = CONTRACT;

const knownKeys = (kind: MappingKind) => new Set(Object.keys(FIELDS[kind]));
const KNOWN = { file: knownKeys('file'), phase: knownKeys('phase'), activity: knownKeys('activity'), claim: knownKeys('claim') };

const requiredKeys = (kind: MappingKind) => Object.entries<{ required: boolean }>(FIELDS[kind]).filter(([, key]) => key.required).map(([name]) => name);
const REQUIRED = { file: requiredKeys('file'), phase: requiredKeys('phase'), activity: requiredKeys('activity'), claim: requiredKeys('claim') };

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

  constructor(private readonly text: string) {}

  private report(rule: typeof invalidValue, message: string, span: Span, data?: ProblemData): void {
    this.problems.push(problemOf(rule, data ? { message, span, data } : { message, span }));
  }

  private invalid(what: string, expected: string, node: YNode | null, fallback: Span, data?: ProblemData): void {
    this.report(invalidValue, `${what} must be ${expected}, not ${describeNode(node)}.`, node ? node.span : fallback, data);
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
        `Unknown key ${describeNode(pair.key)} in ${where}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}. Known keys: ${[...known].join(', ')}.`,
        pair.key.span,
        { key: name, ...(suggestion ? { suggestion } : {}), removeStart: pair.span.start, removeEnd: pair.span.end },
      );
    }
    return out;
  }

  /** Reports every key of `required` that `map` lacks, at `anchor`. */
  private requireKeys(map: YMap, required: readonly string[], who: (key: string) => string, anchor: Span): void {
    for (const key of required) {
      if (!map.pairs.some((p) => p.key.value === key)) this.report(missingKey, `${who(key)} has no '${key}'.`, anchor, { key });
    }
  }

  /**
   * The value of `pair` when its field of the contract accepts it; otherwise reported
   * at the value (at the key when there is none). An enum value that is not allowed is
   * still returned, so rules know what was written.
   */
  private field<T>(pair: YPair, contract: ValueContract, what: string, keepWritten = false): Located<T> | undefined {
    const v = pair.value;
    const verdict = checkField(contract, what, v, v ? this.text.slice(v.span.start, v.span.end) : undefined);
    if (verdict.ok) return { value: verdict.value as T, span: v!.span, keySpan: pair.key.span };
    this.report(invalidValue, verdict.message, v ? v.span : pair.key.span, verdict.data);
    if (keepWritten && v && v.kind === 'scalar' && v.value !== null) return { value: String(v.value) as T, span: v.span, keySpan: pair.key.span };
    return undefined;
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

  file(root: YNode | null): WorkflowDefinition {
    const text = this.text;
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
    const shape = FIELDS.file;
    for (const pair of this.knownPairs(root, KNOWN.file, 'the definition file')) {
      switch (pair.key.value) {
        case 'version':
          definition.version = this.field<number>(pair, shape.version.value, "'version'");
          break;
        case 'workflow':
          definition.workflow = this.field<string>(pair, shape.workflow.value, "'workflow'");
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
    this.requireKeys(root, REQUIRED.file, () => 'The definition file', root.pairs[0]?.key.span ?? whole);
    return definition;
  }

  private phases(pair: YPair): PhaseDefinition[] {
    return this.mappings(pair, "'phases'", 'a list of phases', 'A phase', "a mapping with 'name' and 'activities'")
      .map(({ map, index }) => this.phase(map, index));
  }

  private phase(map: YMap, index: number): PhaseDefinition {
    const phase: Mutable<PhaseDefinition> = { index, activities: [], span: map.span };
    const shape = FIELDS.phase;
    for (const pair of this.knownPairs(map, KNOWN.phase, 'a phase')) {
      switch (pair.key.value) {
        case 'name':
          // Checked as text here; `unknown-phase` compares it with the nine names.
          phase.name = this.field<string>(pair, VALUES.phaseNameText, 'A phase name');
          break;
        case 'order':
          phase.order = this.field<number>(pair, shape.order.value, "A phase's 'order'");
          break;
        case 'title':
          phase.title = this.field<string>(pair, shape.title.value, "A phase's 'title'");
          break;
        case 'risk_level':
          phase.riskLevel = this.field<string>(pair, shape.risk_level.value, "'risk_level'", true);
          break;
        case 'sla_hours':
          phase.slaHours = this.field<number>(pair, shape.sla_hours.value, "'sla_hours'");
          break;
        case 'depends_on':
          phase.dependsOn = this.dependsOn(pair);
          break;
        case 'skippable':
          phase.skippable = this.field<boolean>(pair, shape.skippable.value, "'skippable'");
          break;
        case 'metadata':
          phase.metadata = this.metadata(pair);
          break;
        case 'activities':
          phase.activitiesKeySpan = pair.key.span;
          phase.activities = this.activities(pair);
          break;
      }
    }
    const anchor = phase.name?.keySpan ?? map.pairs[0]?.key.span ?? map.span;
    this.requireKeys(map, REQUIRED.phase, (key) => (key === 'name' ? 'A phase' : `Phase '${phase.name?.value ?? index + 1}'`), anchor);
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
      // Any text is kept: `unknown-dependency` names what is not one of the nine.
      if (item.kind === 'scalar' && typeof item.value === 'string' && item.value) entries.push({ value: item.value, span: item.span });
      else this.invalid("A 'depends_on' entry", 'a phase name', item, item.span);
    }
    return { value: entries, span: v.span, keySpan: pair.key.span };
  }

  /** `metadata`: a mapping of values the database can store, none of them under a reserved key. */
  private metadata(pair: YPair): Located<Readonly<Record<string, unknown>>> | undefined {
    const v = pair.value;
    if (!v || v.kind !== 'map') {
      this.invalid("'metadata'", 'a mapping', v, pair.key.span);
      return undefined;
    }
    for (const entry of v.pairs) {
      const key = String(entry.key.value);
      // As in the contract, the value under a key that is refused is not looked at.
      if (!accepts(VALUES.metadataTopKey.check, key) && (RESERVED_METADATA_KEYS as readonly string[]).includes(key)) {
        this.report(
          invalidValue,
          `'${key}' is reserved in phase_metadata (Workflow Phases keeps ${RESERVED_METADATA_KEYS.join(', ')} there): use another key.`,
          entry.key.span,
        );
      } else if (this.metadataKey(entry)) this.metadataValue(entry.value);
    }
    return { value: toPlain(v) as Record<string, unknown>, span: v.span, keySpan: pair.key.span };
  }

  /** Checks a key inside `metadata`; false when it is refused. */
  private metadataKey(entry: YPair): boolean {
    const verdict = checkField(VALUES.metadataKey, "A 'metadata' key", { ...entry.key, value: String(entry.key.value) });
    if (!verdict.ok) this.report(invalidValue, verdict.message, entry.key.span);
    return verdict.ok;
  }

  /** Every scalar and key below a metadata entry, against the contract (depth is bounded by the YAML reader). */
  private metadataValue(node: YNode | null): void {
    if (!node || node.kind === 'scalar') {
      const verdict = checkField(VALUES.metadataScalar, "A 'metadata' value", node);
      if (!verdict.ok && node) this.report(invalidValue, verdict.message, node.span);
      return;
    }
    if (node.kind === 'seq') {
      for (const item of node.items) this.metadataValue(item);
      return;
    }
    for (const entry of node.pairs) if (this.metadataKey(entry)) this.metadataValue(entry.value);
  }

  private activities(pair: YPair): ActivityDefinition[] {
    return this.mappings(pair, "'activities'", 'a list of activities', 'An activity', "a mapping with 'name' and 'type'")
      .map(({ map, index }) => this.activity(map, index));
  }

  private activity(map: YMap, index: number): ActivityDefinition {
    const activity: Mutable<ActivityDefinition> = { index, span: map.span };
    const shape = FIELDS.activity;
    for (const pair of this.knownPairs(map, KNOWN.activity, 'an activity')) {
      switch (pair.key.value) {
        case 'name':
          activity.name = this.field<string>(pair, shape.name.value, 'An activity name');
          break;
        case 'type':
          activity.type = this.field<string>(pair, shape.type.value, "An activity's 'type'", true);
          break;
        case 'role':
          activity.role = this.field<string>(pair, shape.role.value, "'role'", true);
          break;
        case 'required':
          activity.required = this.field<boolean>(pair, shape.required.value, "'required'");
          break;
        case 'description':
          activity.description = this.field<string>(pair, shape.description.value, "'description'");
          break;
        case 'order':
          activity.order = this.field<number>(pair, shape.order.value, "An activity's 'order'");
          break;
      }
    }
    const first = map.pairs[0]?.key.span ?? map.span;
    this.requireKeys(map, REQUIRED.activity, (key) => (key === 'name' ? 'An activity' : `Activity '${activity.name?.value ?? index + 1}'`),
      // `type` is asked for at the name, where the reader looks for it.
      activity.name?.keySpan ?? first);
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
      this.requireKeys(item, REQUIRED.claim, () => "An 'applies_to' entry", item.pairs[0]?.key.span ?? item.span);
      out.push(claim);
    }
    return out;
  }

  private reference(node: YNode | null, pair: YPair, what: string): Located<string | number> | undefined {
    const verdict = checkField(VALUES.reference, what, node);
    if (verdict.ok && node) return { value: verdict.value as string | number, span: node.span, ...(node === pair.value ? { keySpan: pair.key.span } : {}) };
    if (!verdict.ok) this.report(invalidValue, verdict.message, node ? node.span : pair.key.span);
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
  const reader = new Reader(text);
  const value = reader.file(tree);
  return { value, problems: reader.problems };
}
