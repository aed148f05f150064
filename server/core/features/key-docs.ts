/** What each key of a definition file means, read from the definition schema's descriptions. */
import { ActivitySchema, DefinitionFileSchema, InstanceClaimSchema, PhaseSchema } from '../../../schemas/definition-schema';

/** The kind of mapping a key belongs to. */
export type MappingKind = 'file' | 'phase' | 'activity' | 'claim';

interface Described {
  meta(): { description?: string } | undefined;
}

function describe(shape: Record<string, Described>): ReadonlyMap<string, string> {
  return new Map(Object.entries(shape).map(([key, schema]) => [key, schema.meta()?.description ?? '']));
}

const KEYS: Record<MappingKind, ReadonlyMap<string, string>> = {
  file: describe(DefinitionFileSchema.shape),
  phase: describe(PhaseSchema.shape),
  activity: describe(ActivitySchema.shape),
  claim: describe(InstanceClaimSchema.shape),
};

/** The keys a mapping of this kind may hold, in schema order, with their descriptions. */
export function keysOf(kind: MappingKind): ReadonlyMap<string, string> {
  return KEYS[kind];
}

/** Which kind of mapping a cursor path (`['phases', '*']`, ...) names, if any. */
export function mappingKind(path: readonly string[]): MappingKind | undefined {
  const p = path.join('/');
  if (p === '') return 'file';
  if (p === 'phases/*') return 'phase';
  if (p === 'phases/*/activities/*') return 'activity';
  if (p === 'applies_to/*') return 'claim';
  return undefined;
}
