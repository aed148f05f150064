/** Plain scalars (`true`, `~`, `42`, `1e3`, text) resolved as the YAML 1.2 core schema does. */
import type { YScalar } from './tree';

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_NUMBER = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|0o[0-7]+|0x[0-9a-fA-F]+)$/;

/**
 * The value of a plain scalar under the YAML 1.2 core schema, for the forms the fast
 * reader handles; undefined for the rest (octal, hex, .inf, .nan), left to the full parser.
 */
export function plainValue(source: string): YScalar['value'] | undefined {
  switch (source) {
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const c = source.charCodeAt(0);
  // Only texts that start like a number can be one.
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (INT.test(source)) return parseInt(source, 10);
    if (FLOAT.test(source)) return parseFloat(source);
    if (SPECIAL_NUMBER.test(source)) return undefined;
  }
  return source;
}
