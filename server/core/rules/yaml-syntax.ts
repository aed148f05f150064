/** yaml-syntax: the text is not valid YAML (reported while reading). */
import type { RuleMeta } from './rule';

/** The rule's identity. */
export const yamlSyntax: RuleMeta = { id: 'yaml-syntax', severity: 'error', title: 'The file must be valid YAML' };
