/** YAML text -> tree (placeholder until the fast and full parsers land). */
import type { Parsed } from '../problem';
import type { YNode } from './tree';

/** Parses YAML text into the core's tree. Never throws on user input. */
export function parseYaml(_text: string): Parsed<YNode | null> {
  throw new Error('parseYaml: not implemented yet');
}
