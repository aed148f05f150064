/** What each key of a definition file means, read from the definition schema's descriptions (through the generated contract table). */
import { CONTRACT } from '../definition/contract-generated';
import type { MappingKind } from '../definition/contract-types';

export type { MappingKind } from '../definition/contract-types';

function describe(keys: Readonly<Record<string, { readonly description: string }>>): ReadonlyMap<string, string> {
  return new Map(Object.entries(keys).map(([key, contract]) => [key, contract.description]));
}

const KEYS: Record<MappingKind, ReadonlyMap<string, string>> = {
  file: describe(CONTRACT.mappings.file),
  phase: describe(CONTRACT.mappings.phase),
  activity: describe(CONTRACT.mappings.activity),
  claim: describe(CONTRACT.mappings.claim),
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
