/**
 * The definition-file contract, version 1: the source of truth for what a
 * `*.phases.yaml` file may hold. `schemas/phases.schema.json` is generated from it
 * (`npm run gen:schema`), and so is the core's contract table
 * (`server/core/definition/contract-generated.ts`): the reader's known keys, required
 * keys, enums, types, limits and wording, as plain data, so no zod is loaded at run
 * time (a differential test holds the reader to this schema). Imports nothing from `server/`.
 */
import { z } from 'zod';
import {
  MAX_ACTIVITY_NAME_LENGTH,
  MAX_INTEGER,
  MAX_PHASE_NAME_LENGTH,
  MAX_REFERENCE_NAME_LENGTH,
  MAX_WORKFLOW_NAME_LENGTH,
  NO_NUL,
  RESERVED_METADATA_KEYS,
} from './database-limits';
import { ACTIVITY_TYPES, PHASE_NAMES, RISK_LEVELS, ROLES } from './phase-model';

const keysOf = <T extends object>(table: T) => Object.keys(table) as [keyof T & string, ...(keyof T & string)[]];

/**
 * What each value must be, in words, for the reader's messages (`<what> must be
 * <expected>, not <found>`). A registry of its own, so it stays out of the JSON Schema.
 */
export const EXPECTED = z.registry<{ expected: string }>();

const expect = <T extends z.ZodType>(schema: T, expected: string): T => {
  EXPECTED.add(schema, { expected });
  return schema;
};

/** Any text the database can store (no NUL character). */
export const TextSchema = expect(z.string().regex(NO_NUL), 'a text');

const name = (max: number) => expect(z.string().min(1).max(max).regex(NO_NUL), `a non-empty text of at most ${max} characters`);

/**
 * A phase name as text: what the reader checks before `unknown-phase` compares it with
 * the nine names (the contract's `name` is the enum of those nine).
 */
export const PhaseNameTextSchema = name(MAX_PHASE_NAME_LENGTH);

/** A `test_cycles` / `reports` name or id, as `applies_to` names them. */
export const ReferenceSchema = expect(
  z.union([name(MAX_REFERENCE_NAME_LENGTH), z.int().min(1).max(MAX_INTEGER)]),
  `a name (a non-empty text of at most ${MAX_REFERENCE_NAME_LENGTH} characters) or an id (a whole number from 1 to ${MAX_INTEGER})`,
);

/** A JSON value the database can store: what `metadata` may hold. */
export type MetadataValue = string | number | boolean | null | MetadataValue[] | { [key: string]: MetadataValue };

/** A scalar inside `metadata`: a text without NUL, a finite number, true/false or null. */
export const MetadataScalarSchema = expect(z.union([TextSchema, z.number(), z.boolean(), z.null()]), 'a text without NUL, a finite number, true, false or null');

/** A key inside `metadata`, below its first level. */
export const MetadataKeySchema = expect(z.string().regex(NO_NUL), 'a key without a NUL character');

const reservedOrNul = new RegExp(`^(?!(?:${RESERVED_METADATA_KEYS.join('|')})$)[^\\u0000]*$`);

/** A first-level key of `metadata`: not one of the reserved keys, no NUL. */
export const MetadataTopKeySchema = expect(z.string().regex(reservedOrNul), `a key other than ${RESERVED_METADATA_KEYS.join(', ')}`);

const MetadataValueSchema: z.ZodType<MetadataValue> = z.lazy(() =>
  z.union([MetadataScalarSchema, z.array(MetadataValueSchema), z.record(MetadataKeySchema, MetadataValueSchema)]),
);

/** One activity of a phase. */
export const ActivitySchema = z
  .strictObject({
    name: name(MAX_ACTIVITY_NAME_LENGTH).meta({ description: 'Unique within the phase; becomes workflow_activities.activity_name.' }),
    type: z.enum(keysOf(ACTIVITY_TYPES)).meta({ description: 'START first, COMPLETE last, exactly one of each.' }),
    role: z.enum(keysOf(ROLES)).optional().meta({ description: 'Who does (or, for an APPROVAL, who approves) this activity.' }),
    required: expect(z.boolean(), 'true or false').optional().meta({ description: 'Default true. Optional activities may be skipped.' }),
    description: TextSchema.optional().meta({ description: 'What the activity is for.' }),
    order: expect(z.int().min(1).max(MAX_INTEGER), 'a whole number of at least 1').optional()
      .meta({ description: 'Optional; when present it must equal the 1-based list position.' }),
  })
  .meta({ title: 'Activity' });

/** One of the nine phases. */
export const PhaseSchema = z
  .strictObject({
    name: z.enum(PHASE_NAMES).meta({ description: 'One of the nine standard phase names.' }),
    order: expect(z.int().min(1).max(9), 'a whole number from 1 to 9').optional().meta({ description: 'Optional; when present it must be the standard order.' }),
    title: TextSchema.optional().meta({ description: 'Display title; defaults to the standard title.' }),
    risk_level: z.enum(keysOf(RISK_LEVELS)).optional().meta({ description: 'Default risk level of new instances.' }),
    sla_hours: expect(z.number().positive(), 'a positive number of hours').optional().meta({ description: 'Service level, in hours; positive.' }),
    depends_on: z.array(z.enum(PHASE_NAMES)).optional().meta({ description: 'Phases that must be COMPLETED or SKIPPED first. Default: the previous phase.' }),
    skippable: expect(z.boolean(), 'true or false').optional().meta({ description: 'Whether the phase may be SKIPPED, with a reason.' }),
    metadata: z.record(MetadataTopKeySchema, MetadataValueSchema).optional()
      .meta({ description: `Copied into workflow_phases.phase_metadata. ${RESERVED_METADATA_KEYS.join(', ')} are reserved.` }),
    activities: z.array(ActivitySchema).min(2).meta({ description: 'In order; list position = activity_order.' }),
  })
  .meta({ title: 'Phase' });

/** One `applies_to` entry. */
export const InstanceClaimSchema = z
  .strictObject({
    cycle: ReferenceSchema.meta({ description: 'A test_cycles name or id.' }),
    reports: z.array(ReferenceSchema).min(1).meta({ description: 'reports names or ids.' }),
  })
  .meta({ title: 'Instance claim' });

/** A whole definition file. */
export const DefinitionFileSchema = z
  .strictObject({
    version: expect(z.literal(1), '1').meta({ description: 'The file format version; 1.' }),
    workflow: name(MAX_WORKFLOW_NAME_LENGTH).meta({ description: 'The workflow name; unique across the workspace.' }),
    phases: z.array(PhaseSchema).length(9).meta({ description: 'All nine standard phases, once each, in standard order.' }),
    applies_to: z.array(InstanceClaimSchema).optional().meta({ description: 'The (cycle, report) instances that follow this workflow.' }),
  })
  .meta({ title: 'Workflow Phases definition file', description: 'A *.phases.yaml file: the phases and activities of one workflow.' });

/** The plain data a valid definition file holds. */
export type DefinitionFile = z.infer<typeof DefinitionFileSchema>;

/** The JSON Schema (draft-07) generated from the zod schema. */
export function definitionJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://workflow-phases.dev/schemas/phases.schema.json',
    ...z.toJSONSchema(DefinitionFileSchema, { target: 'draft-7' }),
  };
}
