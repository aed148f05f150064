/**
 * One contract, three readers: generated definition documents (fast-check) go through
 * the zod schema, the generated JSON Schema (ajv) and the validator (as YAML text), and
 * all three must give the same verdict on every structural question — which keys are
 * unknown, which required keys are missing, which values have the wrong type, enum,
 * range or length. The list lengths the semantic rules own (nine phases, START and
 * COMPLETE activities) are left to those rules. Seeded (test/helpers/fuzz-seed.ts: fixed in CI, else random, always printed; `FUZZ_SEED=n` replays).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Ajv from 'ajv';
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { z } from 'zod';
import { DefinitionFileSchema, definitionJsonSchema } from '../../schemas/definition-schema';
import { ACTIVITY_TYPES, analyzeText, PHASE_NAMES, RISK_LEVELS, ROLES, type YNode } from '../../server/core/index';
import { parseYaml } from '../../server/core/yaml/parse';
import { fuzzSeed } from '../helpers/fuzz-seed';


const STRUCTURAL = new Set(['unknown-key', 'missing-key', 'invalid-value', 'unknown-phase', 'unknown-dependency', 'yaml-syntax']);

const junk = fc.oneof(
  fc.integer({ min: -3, max: 12 }),
  fc.constantFrom(1.5, -0.5, 0, Infinity, -Infinity, NaN, 2 ** 53 + 2, 3_000_000_000, 2_147_483_647, 2_147_483_648),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('', 'x', 'a\u0000b', '1.5', 'true', 'TAKS', 'scopign', 'x'.repeat(100), 'x'.repeat(101), 'x'.repeat(255), 'x'.repeat(256)),
  fc.constantFrom([], ['a'], {}, { k: 'v' }),
);
const word = fc.stringMatching(/^[a-z][a-z_]{0,11}$/);

/** The document arbitrary; `dirty` mixes wrong values and unknown keys in (about one field in twenty). */
function documents(dirty: boolean) {
  const field = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> => (dirty ? fc.oneof({ weight: 20, arbitrary: good }, { weight: 1, arbitrary: junk }) : good);
  const unknownKey = dirty ? fc.option(fc.constantFrom('colour', 'nmae', 'acitvities', 'a\u0000b', 'x'.repeat(40)), { freq: 10 }) : fc.constant(null);
  const withUnknown = <T extends object>(record: fc.Arbitrary<T>) =>
    fc.tuple(record, unknownKey).map(([o, k]) => (k === null ? o : { ...o, [k]: 'v' }));

  const metadataValue = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.oneof(word, fc.integer(), fc.boolean(), fc.constant(null), ...(dirty ? [fc.constantFrom('a\u0000b', Infinity, 2.5)] : [])),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.oneof(word, ...(dirty ? [fc.constant('k\u0000')] : [])), tie('value'), { maxKeys: 3 }),
    ),
  })).value;
  const metadataKey = dirty ? fc.oneof({ weight: 10, arbitrary: word }, fc.constantFrom('definition', 'progress', 'legacy', 'k\u0000')) : word;
  const metadata = fc.dictionary(metadataKey, metadataValue, { maxKeys: 3 });
  const names = (good: fc.Arbitrary<string>, max: number) => (dirty ? fc.oneof({ weight: 10, arbitrary: good }, fc.constantFrom('x'.repeat(max), 'x'.repeat(max + 1), 'a\u0000b')) : good);

  const activity = withUnknown(fc.record({
    name: field(names(word, 255)),
    type: field(fc.constantFrom(...Object.keys(ACTIVITY_TYPES), ...(dirty ? ['TAKS'] : []))),
    role: field(fc.constantFrom(...Object.keys(ROLES))),
    required: field(fc.boolean()),
    description: field(word),
    order: field(fc.integer({ min: 1, max: 5 })),
  }, dirty ? { requiredKeys: [] } : { requiredKeys: ['name', 'type'] }));

  const reference = dirty ? fc.oneof({ weight: 10, arbitrary: fc.oneof(word, fc.integer({ min: 1, max: 2_147_483_647 })) }, junk) : fc.oneof(word, fc.integer({ min: 1, max: 2_147_483_647 }));

  const phase = (i: number) => withUnknown(fc.record({
    name: dirty ? fc.oneof({ weight: 20, arbitrary: fc.constant(PHASE_NAMES[i]!) }, { weight: 1, arbitrary: junk }) : fc.constant(PHASE_NAMES[i]!),
    order: field(fc.constant(i + 1)),
    title: field(word),
    risk_level: field(fc.constantFrom(...Object.keys(RISK_LEVELS))),
    sla_hours: field(fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constant(0.5))),
    depends_on: field(fc.array(dirty ? fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...PHASE_NAMES) }, junk) : fc.constantFrom(...PHASE_NAMES), { maxLength: 3 })),
    skippable: field(fc.boolean()),
    metadata: field(metadata),
    activities: field(fc.array(activity, { minLength: 2, maxLength: 3 })).filter((a) => !Array.isArray(a) || a.length >= 2),
  }, { requiredKeys: ['name', 'activities'] }));

  const claim = withUnknown(fc.record({ cycle: reference, reports: field(fc.array(reference, { minLength: 1, maxLength: 3 })) }, dirty ? { requiredKeys: [] } : {}));

  return withUnknown(fc.record({
    version: field(fc.constant(1)),
    workflow: field(names(word, 255)),
    phases: fc.tuple(...PHASE_NAMES.map((_, i) => (dirty ? fc.oneof({ weight: 30, arbitrary: phase(i) }, { weight: 1, arbitrary: junk }) : phase(i)))),
    applies_to: field(fc.array(claim, { maxLength: 2 })),
  }, dirty ? { requiredKeys: [] } : { requiredKeys: ['version', 'workflow', 'phases'] }));
}

const document = fc.oneof(documents(false), documents(true), documents(true));

type Path = readonly (string | number)[];
const show = (path: Path) => path.map(String).join('/');

function valueAt(doc: unknown, path: Path): unknown {
  let v = doc;
  for (const segment of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[segment] : undefined;
  return v;
}

/** zod's issues as `kind path`; array-length issues of `phases`/`activities` belong to the semantic rules. */
function zodVerdict(doc: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (issue: z.core.$ZodIssue, base: Path) => {
    const path = [...base, ...(issue.path as (string | number)[])];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.add(`unknown ${show([...path, key])}`);
    } else if ((issue.code === 'too_small' || issue.code === 'too_big') && issue.origin === 'array' && ['phases', 'activities'].includes(String(path.at(-1)))) {
      // missing-phase, start-activity, complete-activity
    } else if (issue.code === 'invalid_union' && issue.errors.some((branch) => branch.every((i) => i.path.length > 0))) {
      // The branch that matched the value's shape (a mapping or list inside metadata) holds the deeper issues.
      for (const branch of issue.errors.filter((b) => b.every((i) => i.path.length > 0))) for (const i of branch) visit(i, path);
    } else if (valueAt(doc, path) === undefined && issue.code !== 'invalid_key') {
      out.add(`missing ${show(path)}`);
    } else {
      out.add(`invalid ${show(path)}`);
    }
  };
  const result = DefinitionFileSchema.safeParse(doc);
  if (!result.success) for (const issue of result.error.issues) visit(issue, []);
  return out;
}

/** The validator's structural problems as `kind path`, located through the YAML tree's spans. */
function validatorVerdict(text: string): Set<string> {
  const values = new Map<string, Path>();
  const keys = new Map<string, Path>();
  const at = (s: { start: number; end: number }) => `${s.start}:${s.end}`;
  const walk = (node: YNode | null, path: Path) => {
    if (!node) return;
    if (!values.has(at(node.span))) values.set(at(node.span), path);
    if (node.kind === 'seq') node.items.forEach((item, i) => walk(item, [...path, i]));
    if (node.kind === 'map') {
      for (const pair of node.pairs) {
        keys.set(at(pair.key.span), [...path, String(pair.key.value)]);
        walk(pair.value, [...path, String(pair.key.value)]);
      }
    }
  };
  walk(parseYaml(text).value, []);
  const out = new Set<string>();
  for (const p of analyzeText('generated.phases.yaml', text).problems) {
    if (!STRUCTURAL.has(p.rule)) continue;
    assert.notEqual(p.rule, 'yaml-syntax', `generated YAML does not parse: ${p.message}\n${text}`);
    const key = keys.get(at(p.span));
    const value = values.get(at(p.span));
    if (p.rule === 'missing-key') {
      const parent = value ?? key?.slice(0, -1);
      assert.ok(parent, `missing-key at an unknown place: ${p.message}`);
      out.add(`missing ${show([...parent, String(p.data?.key)])}`);
    } else {
      const path = key ?? value;
      assert.ok(path, `${p.rule} at no key or value: ${p.message}\n${text}`);
      out.add(`${p.rule === 'unknown-key' ? 'unknown' : 'invalid'} ${show(path)}`);
    }
  }
  return out;
}

test('zod, the JSON Schema and the validator give the same verdict on generated documents', () => {
  const seed = fuzzSeed('contract differential', 20261201);
  const ajv = new Ajv({ allErrors: true, strict: false });
  const jsonSchema = ajv.compile(definitionJsonSchema());
  let invalid = 0;
  let runs = 0;
  const details = fc.check(
    fc.property(document, (doc) => {
      runs++;
      const text = stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
      const zod = zodVerdict(doc);
      assert.deepEqual([...validatorVerdict(text)].sort(), [...zod].sort(), `zod and the validator disagree on:\n${text}`);
      // The JSON Schema sees the same data; it may word things differently, but its verdict is the same.
      const plain = JSON.parse(JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? '__not_finite__' : v))) as unknown;
      const finite = !JSON.stringify(plain).includes('__not_finite__');
      if (finite) assert.equal(jsonSchema(plain), DefinitionFileSchema.safeParse(doc).success, `the JSON Schema and zod disagree on:\n${text}`);
      if (zod.size > 0) invalid++;
    }),
    { seed, numRuns: 200 },
  );
  if (details.failed) assert.fail(`${String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance)}\n(seed ${seed}, shrunk counterexample above)`);
  // Both kinds of document must be exercised, or the test proves little.
  assert.ok(invalid > runs / 4 && invalid < runs, `${invalid} of ${runs} generated documents were invalid`);
});
