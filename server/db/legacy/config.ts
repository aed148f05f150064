/**
 * The optional legacy-migration config file (`workflow-phases.legacy.json`): extra phase
 * tables, extra data tables, tables to ignore, column spellings and status spellings.
 * Parsing never throws; every problem says where (line:col and JSON path) and what.
 */
import { isNode, isMap, isPair, isScalar, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { PHASE_NAMES, PHASE_STATUSES, didYouMean } from '../../core/index';
import type { PhaseName, PhaseStatus } from '../../core/index';
import { UNIFIED_COLUMNS } from './names';
import type { UnifiedColumn } from './names';

/** The default file name, looked up in the working directory. */
export const LEGACY_CONFIG_FILE = 'workflow-phases.legacy.json';

/** One extra legacy phase table: its phase and, optionally, which legacy column fills which unified one. */
export interface PhaseTableMapping {
  readonly phase: PhaseName;
  readonly columns: Readonly<Partial<Record<UnifiedColumn, string>>>;
}

/** The parsed config; every field present (empty when not given). */
export interface LegacyConfig {
  readonly phaseTables: Readonly<Record<string, PhaseTableMapping>>;
  readonly dataTables: Readonly<Record<string, PhaseName>>;
  readonly ignoreTables: readonly string[];
  readonly statuses: Readonly<Record<string, PhaseStatus>>;
}

/** A problem in the config file: where (line, column, JSON path) and what. */
export interface ConfigProblem {
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

/** The config used when there is no file. */
export const EMPTY_LEGACY_CONFIG: LegacyConfig = { phaseTables: {}, dataTables: {}, ignoreTables: [], statuses: {} };

const tableName = z.string().min(1).max(63);
const phaseName = z.string().superRefine((value, ctx) => {
  if ((PHASE_NAMES as readonly string[]).includes(value)) return;
  const guess = didYouMean(value, PHASE_NAMES);
  ctx.addIssue({ code: 'custom', message: `unknown phase '${value}'${guess ? ` (did you mean '${guess}'?)` : ''}; expected one of ${PHASE_NAMES.join(', ')}` });
});
const statusName = z.string().superRefine((value, ctx) => {
  const statuses = Object.keys(PHASE_STATUSES);
  if (statuses.includes(value)) return;
  const guess = didYouMean(value, statuses);
  ctx.addIssue({ code: 'custom', message: `unknown phase status '${value}'${guess ? ` (did you mean '${guess}'?)` : ''}; expected one of ${statuses.join(', ')}` });
});
const columnsSchema = z.strictObject(
  Object.fromEntries(UNIFIED_COLUMNS.map((c) => [c, z.string().min(1).optional()])) as Record<UnifiedColumn, z.ZodOptional<z.ZodString>>,
);

/** The file's shape, for documentation and validation. */
export const legacyConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  phaseTables: z.record(tableName, z.union([phaseName, z.strictObject({ phase: phaseName, columns: columnsSchema.optional() })])).optional(),
  dataTables: z.record(tableName, phaseName).optional(),
  ignoreTables: z.array(tableName).optional(),
  statuses: z.record(z.string(), statusName).optional(),
});

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** The source offset of the value (or, for `key`, the key) at `path`, found with the yaml parser (JSON is YAML). */
function offsetOf(text: string, path: readonly PropertyKey[], key?: string): number {
  const doc = parseDocument(text);
  let node: unknown = doc.contents;
  for (const segment of path) {
    const next: unknown = isNode(node) ? (node as unknown as { get(k: unknown, keep: boolean): unknown }).get(segment, true) : undefined;
    if (!isNode(next)) break;
    node = next;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
  }
  return isNode(node) ? ((node as YamlNode).range?.[0] ?? 0) : 0;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

/** Parses the config file's text. Always returns a config (empty on errors) and the problems found. */
export function parseLegacyConfig(text: string): { value: LegacyConfig; problems: ConfigProblem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? lineColumn(text, Number(position[1])) : { line: 1, column: 1 };
    return { value: EMPTY_LEGACY_CONFIG, problems: [{ ...where, path: '(file)', message: `not valid JSON: ${message}` }] };
  }
  const parsed = legacyConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue): ConfigProblem[] => {
      const path = issue.path;
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({
          ...lineColumn(text, offsetOf(text, path, key)),
          path: pathText([...path, key]),
          message: `unknown key '${key}'`,
        }));
      }
      return [{ ...lineColumn(text, offsetOf(text, path)), path: pathText(path), message: issue.message }];
    });
    return { value: EMPTY_LEGACY_CONFIG, problems };
  }
  const data = parsed.data;
  const phaseTables: Record<string, PhaseTableMapping> = {};
  for (const [table, mapping] of Object.entries(data.phaseTables ?? {})) {
    phaseTables[table] =
      typeof mapping === 'string'
        ? { phase: mapping as PhaseName, columns: {} }
        : { phase: mapping.phase as PhaseName, columns: (mapping.columns ?? {}) };
  }
  return {
    value: {
      phaseTables,
      dataTables: (data.dataTables ?? {}) as Record<string, PhaseName>,
      ignoreTables: data.ignoreTables ?? [],
      statuses: (data.statuses ?? {}) as Record<string, PhaseStatus>,
    },
    problems: [],
  };
}
