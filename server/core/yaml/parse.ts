/** YAML text -> the core's tree: the fast parser when it can, the `yaml` package otherwise. */
import type { Parsed } from '../problem';
import { parseFast } from './fast-parser';
import { parseWithYamlPackage } from './full-parser';
import type { YNode } from './tree';

/** Parses YAML text into the core's tree. Never throws on user input. */
export function parseYaml(text: string): Parsed<YNode | null> {
  const fast = parseFast(text);
  if (fast) return { value: fast.value, problems: [] };
  return parseWithYamlPackage(text);
}
