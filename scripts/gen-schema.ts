/**
 * `npm run gen:schema`: writes what is derived from the zod contract
 * (`schemas/definition-schema.ts`) — the JSON Schema editors use
 * (`schemas/phases.schema.json`) and the core's contract table
 * (`server/core/definition/contract-generated.ts`: plain data, so `validate` and the
 * language server check values without loading zod). `test/unit/schema.test.ts` and
 * `test/unit/contract-table.test.ts` fail when either is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  ActivitySchema,
  DefinitionFileSchema,
  definitionJsonSchema,
  EXPECTED,
  InstanceClaimSchema,
  MetadataKeySchema,
  MetadataScalarSchema,
  MetadataTopKeySchema,
  PhaseNameTextSchema,
  PhaseSchema,
  ReferenceSchema,
} from '../schemas/definition-schema';
import type { DefinitionContract, KeyContract, MappingKind, ValueCheck, ValueContract } from '../server/core/index';

const root = join(__dirname, '..');

/** Where the generated files go. */
export const OUTPUTS = {
  jsonSchema: join(root, 'schemas', 'phases.schema.json'),
  contractTable: join(root, 'server', 'core', 'definition', 'contract-generated.ts'),
};

/** The text of `schemas/phases.schema.json`. */
export function generateJsonSchema(): string {
  return JSON.stringify(definitionJsonSchema(), null, 2) + '\n';
}

/** The JSON Schema keywords `value-check.ts` reads; anything else cannot be put in the table. */
const READ = new Set(['type', 'const', 'enum', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'anyOf']);
const WORDS_ONLY = new Set(['$schema', 'description', 'title']);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null']);

/** Throws on what zod checks but its JSON Schema does not say (a refinement, a regex flag): the table would miss it. */
function assertExpressible(schema: z.ZodType, where: string): void {
  const def = schema._zod.def as unknown as { type: string; innerType?: z.ZodType; options?: z.ZodType[]; checks?: { _zod: { def: { check: string; format?: string; pattern?: RegExp } } }[] };
  if (def.innerType) assertExpressible(def.innerType, where);
  for (const option of def.options ?? []) assertExpressible(option, where);
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'custom') throw new Error(`${where}: a refinement cannot be put in the contract table; express it with zod's checks`);
    if (c.format === 'regex' && c.pattern?.flags) throw new Error(`${where}: the regex /${c.pattern.source}/${c.pattern.flags} has flags the table cannot keep`);
  }
}

function checkOf(json: Record<string, unknown>, where: string): ValueCheck {
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(json)) {
    if (WORDS_ONLY.has(keyword)) continue;
    if (!READ.has(keyword)) throw new Error(`${where}: JSON Schema keyword '${keyword}' is not read by server/core/definition/value-check.ts`);
    if (keyword === 'type' && !TYPES.has(value as string)) throw new Error(`${where}: type '${String(value)}' is not a scalar`);
    if (keyword === 'enum' && !(value as unknown[]).every((v) => typeof v === 'string')) throw new Error(`${where}: an enum of anything but texts`);
    out[keyword] = keyword === 'anyOf' ? (value as Record<string, unknown>[]).map((branch, i) => checkOf(branch, `${where}/anyOf/${i}`)) : value;
  }
  return out;
}

/** The field's schema without its `.optional()` wrapper. */
const inner = (schema: z.ZodType): z.ZodType => (schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema);

/** What the field must be, in words: the enum's values, or the contract's own wording. */
function expectedOf(schema: z.ZodType, where: string): string {
  const s = inner(schema);
  if (s instanceof z.ZodEnum) return `one of ${(s.options as string[]).join(', ')}`;
  const expected = EXPECTED.get(s)?.expected ?? EXPECTED.get(schema)?.expected;
  if (expected === undefined) throw new Error(`${where}: no wording; give the field one with expect(schema, '…') in schemas/definition-schema.ts`);
  return expected;
}

function jsonOf(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(inner(schema), { target: 'draft-7' });
}

/** One value's contract: its check, from zod's JSON Schema, and its wording. Throws on what the table cannot hold. */
export function valueContract(schema: z.ZodType, where: string): ValueContract {
  assertExpressible(schema, where);
  return { check: checkOf(jsonOf(schema), where), expected: expectedOf(schema, where) };
}

function mapping(shape: Record<string, z.ZodType>, kind: MappingKind): Record<string, KeyContract> {
  const out: Record<string, KeyContract> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const json = jsonOf(schema);
    const container = json.type === 'array' || json.type === 'object';
    out[key] = {
      required: !schema.safeParse(undefined).success,
      description: schema.meta()?.description ?? '',
      ...(container ? {} : { value: valueContract(schema, `${kind}.${key}`) }),
    };
  }
  return out;
}

/** The contract as plain data. */
export function contractTable(): DefinitionContract {
  return {
    mappings: {
      file: mapping(DefinitionFileSchema.shape, 'file'),
      phase: mapping(PhaseSchema.shape, 'phase'),
      activity: mapping(ActivitySchema.shape, 'activity'),
      claim: mapping(InstanceClaimSchema.shape, 'claim'),
    },
    values: {
      phaseNameText: valueContract(PhaseNameTextSchema, 'PhaseNameTextSchema'),
      reference: valueContract(ReferenceSchema, 'ReferenceSchema'),
      metadataScalar: valueContract(MetadataScalarSchema, 'MetadataScalarSchema'),
      metadataKey: valueContract(MetadataKeySchema, 'MetadataKeySchema'),
      metadataTopKey: valueContract(MetadataTopKeySchema, 'MetadataTopKeySchema'),
    },
  };
}

/** JSON, with every object or list that holds only scalars on one line (the table stays short to read). */
function printed(value: unknown, indent = ''): string {
  const flat = value === null || typeof value !== 'object' || Object.values(value).every((v) => v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => typeof x !== 'object')));
  if (flat) return JSON.stringify(value);
  const inside = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inside + printed(v, inside)).join(',\n')}\n${indent}]`;
  return `{\n${Object.entries(value).map(([k, v]) => `${inside}${JSON.stringify(k)}: ${printed(v, inside)}`).join(',\n')}\n${indent}}`;
}

/** The text of `server/core/definition/contract-generated.ts`. */
export function generateContractTable(): string {
  return [
    '// Generated by scripts/gen-schema.ts from schemas/definition-schema.ts (`npm run gen:schema`) — DO NOT EDIT.',
    "import type { DefinitionContract } from './contract-types';",
    '',
    '/** The definition-file contract as plain data: known and required keys, descriptions, and each scalar value\'s check and wording. */',
    `export const CONTRACT = ${printed(contractTable())} as const satisfies DefinitionContract;`,
    '',
  ].join('\n');
}

if (require.main === module) {
  writeFileSync(OUTPUTS.jsonSchema, generateJsonSchema());
  writeFileSync(OUTPUTS.contractTable, generateContractTable());
  console.log(`wrote ${OUTPUTS.jsonSchema}\nwrote ${OUTPUTS.contractTable}`);
}
