/** YAML tree -> typed definition (placeholder until implemented). */
import type { Parsed } from '../problem';
import type { YNode } from '../yaml/tree';
import type { WorkflowDefinition } from './types';

/** Reads a typed definition from a YAML tree. Never throws on user input. */
export function readDefinition(_tree: YNode | null, _text: string): Parsed<WorkflowDefinition> {
  throw new Error('readDefinition: not implemented yet');
}
