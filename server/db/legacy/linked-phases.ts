/**
 * What an earlier run wrote into the data tables, read back by foreign key: for each
 * `cycle_report_*` table with single-column keys to `workflow_phases(phase_id)` (a
 * reference that run re-pointed, or the `phase_id` it added), the phases of the unified
 * rows each key column points at. On a re-run the legacy references are gone, so this,
 * not the table's name, tells discovery which phase such a table belongs to.
 */
import type { PhaseName } from '../../core/index';
import type { Queryable } from '../database';
import type { Catalog } from './catalog';
import type { LegacyConfig } from './config';
import { DATA_TABLE_PREFIX } from './names';
import { Params, ident } from './sql';

/** Per data table, per column keyed to workflow_phases: the phases its rows point at (sorted; empty when none is set). */
export type LinkedPhases = ReadonlyMap<string, ReadonlyMap<string, readonly PhaseName[]>>;

/** The columns of each data table that are foreign keys to workflow_phases(phase_id); the config decides configured tables. */
function linkColumns(catalog: Catalog, config: LegacyConfig): Map<string, string[]> {
  const columns = new Map<string, string[]>();
  for (const fk of catalog.foreignKeys) {
    if (fk.references !== 'workflow_phases' || fk.columns.length !== 1 || fk.referencedColumns[0] !== 'phase_id') continue;
    if (!fk.table.startsWith(DATA_TABLE_PREFIX) || config.dataTables[fk.table] !== undefined || config.ignoreTables.includes(fk.table)) continue;
    const list = columns.get(fk.table) ?? [];
    if (!list.includes(fk.columns[0]!)) list.push(fk.columns[0]!);
    columns.set(fk.table, list);
  }
  return columns;
}

/** Reads the linked phases with one query per data table that has such keys (none on a first run). */
export async function readLinkedPhases(db: Queryable, catalog: Catalog, config: LegacyConfig): Promise<LinkedPhases> {
  const linked = new Map<string, Map<string, PhaseName[]>>();
  for (const [table, columns] of linkColumns(catalog, config)) {
    const params = new Params();
    const pairs = columns.map((c) => `(${params.p(c)}::text, d.${ident(c)})`).join(', ');
    const rows = await db.query<{ col: string; phase_name: PhaseName }>(
      `SELECT DISTINCT l.col, wp.phase_name
         FROM ${ident(table)} d CROSS JOIN LATERAL (VALUES ${pairs}) AS l(col, id)
         JOIN workflow_phases wp ON wp.phase_id = l.id
        ORDER BY 1, 2`,
      params.values,
    );
    const byColumn = new Map<string, PhaseName[]>(columns.map((c) => [c, []]));
    for (const row of rows.rows) byColumn.get(row.col)!.push(row.phase_name);
    linked.set(table, byColumn);
  }
  return linked;
}

/**
 * The phases a linked table's keys point at: those of its re-pointed references when
 * they point anywhere (as its legacy references told the first run), else those of
 * `phase_id` (a table whose only key is `phase_id`, or that was linked by name).
 */
export function phasesOfLinks(columns: ReadonlyMap<string, readonly PhaseName[]> | undefined): PhaseName[] {
  if (!columns) return [];
  const unique = (lists: (readonly PhaseName[])[]) => [...new Set(lists.flat())].sort();
  const fromReferences = unique([...columns].filter(([column]) => column !== 'phase_id').map(([, phases]) => phases));
  return fromReferences.length > 0 ? fromReferences : unique([columns.get('phase_id') ?? []]);
}
