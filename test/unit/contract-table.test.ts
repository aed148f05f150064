/**
 * The contract table the core reads (`server/core/definition/contract-generated.ts`) is
 * the zod schema as plain data: it is up to date, the core's plain checks give zod's
 * verdict on every field for every kind of value, and the generator refuses a schema it
 * could not carry over whole. Seeded (test/helpers/fuzz-seed.ts: fixed in CI, else random, always printed; `FUZZ_SEED=n` replays).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import {
  ActivitySchema,
  DefinitionFileSchema,
  InstanceClaimSchema,
  MetadataKeySchema,
  MetadataScalarSchema,
  MetadataTopKeySchema,
  PhaseNameTextSchema,
  PhaseSchema,
  ReferenceSchema,
} from '../../schemas/definition-schema';
import { generateContractTable, OUTPUTS, valueContract } from '../../scripts/gen-schema';
import { accepts, CONTRACT, lengthExceeded, type DefinitionContract, type MappingKind, type ValueContract } from '../../server/core/index';
import { fuzzSeed } from '../helpers/fuzz-seed';

/** The table as its declared type (the generated constant is typed down to each literal). */
const TABLE: DefinitionContract = CONTRACT;


test('server/core/definition/contract-generated.ts is up to date (run `npm run gen:schema`)', () => {
  assert.equal(readFileSync(OUTPUTS.contractTable, 'utf8'), generateContractTable());
});

/** Every scalar field of the table beside the zod schema it was generated from. */
function fields(): { where: string; schema: z.ZodType; contract: ValueContract }[] {
  const shapes: [MappingKind, Record<string, z.ZodType>][] = [
    ['file', DefinitionFileSchema.shape],
    ['phase', PhaseSchema.shape],
    ['activity', ActivitySchema.shape],
    ['claim', InstanceClaimSchema.shape],
  ];
  const out: { where: string; schema: z.ZodType; contract: ValueContract }[] = [];
  for (const [kind, shape] of shapes) {
    const keys = TABLE.mappings[kind];
    assert.deepEqual(Object.keys(keys), Object.keys(shape), `the keys of ${kind}`);
    for (const [key, schema] of Object.entries(shape)) {
      const contract = keys[key]!.value;
      if (contract) out.push({ where: `${kind}.${key}`, schema, contract });
    }
  }
  const values = TABLE.values;
  out.push(
    { where: 'phaseNameText', schema: PhaseNameTextSchema, contract: values.phaseNameText },
    { where: 'reference', schema: ReferenceSchema, contract: values.reference },
    { where: 'metadataScalar', schema: MetadataScalarSchema, contract: values.metadataScalar },
    { where: 'metadataKey', schema: MetadataKeySchema, contract: values.metadataKey },
    { where: 'metadataTopKey', schema: MetadataTopKeySchema, contract: values.metadataTopKey },
  );
  return out;
}

const enumValues = Object.values(TABLE.mappings).flatMap((keys) => Object.values(keys).flatMap((k) => k.value?.check.enum ?? []));

/** Scalars as YAML can produce them, with the edges of every limit in the contract. */
const scalar = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom(...enumValues, ...enumValues.map((v) => v.toUpperCase()), 'TAKS', 'definition', 'progress', 'legacy', 'definitions', '', 'a\u0000b', '\u0000'),
  fc.constantFrom(99, 100, 101, 254, 255, 256).chain((n) => fc.constantFrom('x'.repeat(n), '😀'.repeat(Math.ceil(n / 2)), `${'x'.repeat(n - 1)}\u0000`)),
  fc.integer(),
  fc.constantFrom(0, -0, 0.5, 1, 1.5, 9, 10, -1, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, Infinity, -Infinity, NaN),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('1', 'true', '48'),
);

const flatten = (issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] =>
  issues.flatMap((i) => (i.code === 'invalid_union' ? [i, ...i.errors.flatMap(flatten)] : [i]));

test("the table's plain checks give zod's verdict on every field", () => {
  const seed = fuzzSeed('contract table', 20261201);
  const all = fields();
  assert.ok(all.length >= 17, `${all.length} fields`);
  let refused = 0;
  const details = fc.check(
    fc.property(scalar, (value) => {
      for (const { where, schema, contract } of all) {
        const zod = schema.safeParse(value);
        assert.equal(accepts(contract.check, value), zod.success, `${where}: ${JSON.stringify(value)} (${String(value)})`);
        if (zod.success) continue;
        refused++;
        const tooLong = flatten(zod.error.issues).find((i) => i.code === 'too_big' && i.origin === 'string');
        assert.equal(lengthExceeded(contract.check, value), tooLong?.code === 'too_big' ? Number(tooLong.maximum) : undefined, `${where}: the length verdict on ${JSON.stringify(value)}`);
      }
    }),
    { seed, numRuns: 1000 },
  );
  if (details.failed) assert.fail(`${String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance)}\n(seed ${seed})`);
  assert.ok(refused > 1000, `only ${refused} refusals: the values prove little`);
});

test('every field says what it must be, as the schema words it', () => {
  assert.equal(CONTRACT.mappings.file.version.value.expected, '1');
  assert.equal(CONTRACT.mappings.activity.type.value.expected, 'one of START, TASK, REVIEW, APPROVAL, COMPLETE, CUSTOM');
  assert.equal(CONTRACT.values.reference.expected, 'a name (a non-empty text of at most 255 characters) or an id (a whole number from 1 to 2147483647)');
  assert.equal(CONTRACT.mappings.phase.activities.description, 'In order; list position = activity_order.');
});

test('the generator refuses a schema the table could not carry over whole', () => {
  const worded = (schema: z.ZodType) => z.registry<{ expected: string }>().add(schema, { expected: 'x' }) && schema;
  assert.throws(() => valueContract(worded(z.string().refine((s) => s !== 'a')), 'refined'), /refined: a refinement cannot be put in the contract table/);
  assert.throws(() => valueContract(z.string().regex(/^a/i), 'flagged'), /flagged: the regex \/\^a\/i has flags/);
  assert.throws(() => valueContract(z.email(), 'email'), /email: JSON Schema keyword 'format' is not read/);
  assert.throws(() => valueContract(z.string().max(3), 'unworded'), /unworded: no wording/);
});
