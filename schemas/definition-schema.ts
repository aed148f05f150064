/**
 * The definition-file contract, version 1: the source of truth for what a
 * `*.phases.yaml` file may hold. `schemas/phases.schema.json` is generated from it
 * (`npm run gen:schema`), and the core reads its known keys from these shapes.
 */
import { z } from 'zod';
import { ACTIVITY_TYPES, PHASE_NAMES, RISK_LEVELS, ROLES } from '../server/core/model';

const keysOf = <T extends object>(table: T) => Object.keys(table) as [keyof T & string, ...(keyof T & string)[]];

/** One activity of a phase. */
export const ActivitySchema = z
  .strictObject({
    name: z.string().min(1).meta({ description: 'Unique within the phase; becomes workflow_activities.activity_name.' }),
    type: z.enum(keysOf(ACTIVITY_TYPES)).meta({ description: 'START first, COMPLETE last, exactly one of each.' }),
    role: z.enum(keysOf(ROLES)).optional().meta({ description: 'Who does (or, for an APPROVAL, who approves) this activity.' }),
    required: z.boolean().optional().meta({ description: 'Default true. Optional activities may be skipped.' }),
    description: z.string().optional().meta({ description: 'What the activity is for.' }),
    order: z.int().min(1).optional().meta({ description: 'Optional; when present it must equal the 1-based list position.' }),
  })
  .meta({ title: 'Activity' });

/** One of the nine phases. */
export const PhaseSchema = z
  .strictObject({
    name: z.enum(PHASE_NAMES).meta({ description: 'One of the nine standard phase names.' }),
    order: z.int().min(1).max(9).optional().meta({ description: 'Optional; when present it must be the standard order.' }),
    title: z.string().optional().meta({ description: 'Display title; defaults to the standard title.' }),
    risk_level: z.enum(keysOf(RISK_LEVELS)).optional().meta({ description: 'Default risk level of new instances.' }),
    sla_hours: z.number().positive().optional().meta({ description: 'Service level, in hours; positive.' }),
    depends_on: z.array(z.enum(PHASE_NAMES)).optional().meta({ description: 'Phases that must be COMPLETED or SKIPPED first. Default: the previous phase.' }),
    skippable: z.boolean().optional().meta({ description: 'Whether the phase may be SKIPPED, with a reason.' }),
    metadata: z.record(z.string(), z.unknown()).optional().meta({ description: 'Copied into workflow_phases.phase_metadata.' }),
    activities: z.array(ActivitySchema).min(2).meta({ description: 'In order; list position = activity_order.' }),
  })
  .meta({ title: 'Phase' });

/** One `applies_to` entry. */
export const InstanceClaimSchema = z
  .strictObject({
    cycle: z.union([z.string().min(1), z.int()]).meta({ description: 'A test_cycles name or id.' }),
    reports: z.array(z.union([z.string().min(1), z.int()])).min(1).meta({ description: 'reports names or ids.' }),
  })
  .meta({ title: 'Instance claim' });

/** A whole definition file. */
export const DefinitionFileSchema = z
  .strictObject({
    version: z.literal(1).meta({ description: 'The file format version; 1.' }),
    workflow: z.string().min(1).meta({ description: 'The workflow name; unique across the workspace.' }),
    phases: z.array(PhaseSchema).length(9).meta({ description: 'All nine standard phases, once each, in standard order.' }),
    applies_to: z.array(InstanceClaimSchema).optional().meta({ description: 'The (cycle, report) instances that follow this workflow.' }),
  })
  .meta({ title: 'Workflow Phases definition file', description: 'A *.phases.yaml file: the phases and activities of one workflow.' });

/** The plain data a valid definition file holds. */
export type DefinitionFile = z.infer<typeof DefinitionFileSchema>;

/** The known keys of each object of the file, read from the schema (used by the core's `unknown-key`). */
export const KNOWN_KEYS = {
  file: Object.keys(DefinitionFileSchema.shape),
  phase: Object.keys(PhaseSchema.shape),
  activity: Object.keys(ActivitySchema.shape),
  claim: Object.keys(InstanceClaimSchema.shape),
} as const;

/** The JSON Schema (draft-07) generated from the zod schema. */
export function definitionJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://workflow-phases.dev/schemas/phases.schema.json',
    ...z.toJSONSchema(DefinitionFileSchema, { target: 'draft-7' }),
  };
}
