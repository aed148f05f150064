/**
 * Discovery: which tables are legacy phase tables, which are data tables that need a
 * `phase_id`, which foreign keys point at legacy tables, and what is not recognised.
 * Pure: works on a catalog already read; problems here stop the migration before it writes.
 */
import { standardPhase } from '../../core/index';
import type { PhaseName } from '../../core/index';
import { columnOf } from './catalog';
import type { Catalog, CatalogColumn, CatalogTable } from './catalog';
import type { LegacyConfig } from './config';
import { phasesOfLinks } from './linked-phases';
import type { LinkedPhases } from './linked-phases';
import { COLUMN_KINDS, COLUMN_SYNONYMS, DATA_TABLE_PREFIX, KIND_TYPES, KNOWN_PHASE_TABLES, UNIFIED_COLUMNS, phaseOfDataTableName } from './names';
import type { UnifiedColumn } from './names';
import type { MigrationProblem, UnrecognisedTable } from './report';

/** A legacy phase table and how its columns map onto `workflow_phases`. */
export interface PhaseTablePlan {
  readonly table: string;
  readonly phase: PhaseName;
  readonly source: 'known' | 'config';
  /** The legacy column that fills each unified column it has. */
  readonly columns: Readonly<Partial<Record<UnifiedColumn, string>>>;
  /** Primary-key columns (empty when the table has none). */
  readonly key: readonly string[];
  /** Why a likely column was not mapped (its value stays in phase_metadata). */
  readonly notes: readonly string[];
}

/** A foreign key from some table to a legacy phase table, to be re-pointed at workflow_phases. */
export interface RepointPlan {
  readonly constraint: string;
  readonly table: string;
  readonly column: string;
  readonly legacyTable: string;
  readonly legacyColumn: string;
}

/** A `cycle_report_*` (or configured) data table that gets a back-filled `phase_id`. */
export interface DataTablePlan {
  readonly table: string;
  readonly phase: PhaseName;
  readonly phaseFrom: 'config' | 'reference' | 'name';
  readonly cycleColumn?: string;
  readonly reportColumn?: string;
  /** The existing `phase_id` column, if the table has one. */
  readonly phaseIdColumn?: CatalogColumn;
  /** Whether a foreign key already ties `phase_id` to workflow_phases. */
  readonly phaseIdHasUnifiedKey: boolean;
  /**
   * Columns of this table that reference a legacy phase table (re-pointed first), or,
   * on a re-run, that an earlier run re-pointed at workflow_phases: back-fill sources.
   */
  readonly referenceColumns: readonly string[];
  readonly key: readonly string[];
  readonly phaseIdIndexed: boolean;
}

/** Everything discovery found. */
export interface Discovery {
  readonly phaseTables: readonly PhaseTablePlan[];
  readonly dataTables: readonly DataTablePlan[];
  readonly repoints: readonly RepointPlan[];
  readonly unrecognised: readonly UnrecognisedTable[];
  readonly problems: readonly MigrationProblem[];
  readonly warnings: readonly string[];
}

const UNIFIED_TABLES = new Set(['workflow_phases', 'workflow_activities', 'workflow_instances', 'workflow_definitions', 'workflow_transition_history']);

function fits(column: CatalogColumn, unified: UnifiedColumn): boolean {
  return KIND_TYPES[COLUMN_KINDS[unified]].includes(column.type);
}

function mapColumns(table: CatalogTable, overrides: Partial<Record<UnifiedColumn, string>>, problems: MigrationProblem[]) {
  const columns: Partial<Record<UnifiedColumn, string>> = {};
  const notes: string[] = [];
  for (const unified of UNIFIED_COLUMNS) {
    const override = overrides[unified];
    if (override !== undefined) {
      const column = columnOf(table, override);
      if (!column) {
        problems.push({ table: table.name, message: `config maps ${unified} to column '${override}', which ${table.name} does not have` });
      } else if (!fits(column, unified)) {
        problems.push({ table: table.name, message: `config maps ${unified} to column '${override}' of type ${column.type}; ${unified} needs ${KIND_TYPES[COLUMN_KINDS[unified]].join(' or ')}` });
      } else {
        columns[unified] = override;
      }
      continue;
    }
    for (const name of COLUMN_SYNONYMS[unified]) {
      const column = columnOf(table, name);
      if (!column) continue;
      if (fits(column, unified)) {
        columns[unified] = name;
        break;
      }
      notes.push(`${name} (${column.type}) does not fit ${unified}: kept in phase_metadata`);
    }
  }
  return { columns, notes };
}

function phaseTablePlans(catalog: Catalog, config: LegacyConfig, problems: MigrationProblem[], warnings: string[]): PhaseTablePlan[] {
  const plans: PhaseTablePlan[] = [];
  const wanted = new Map<string, { phase: PhaseName; source: 'known' | 'config'; columns: Partial<Record<UnifiedColumn, string>> }>();
  for (const [table, phase] of Object.entries(KNOWN_PHASE_TABLES)) wanted.set(table, { phase, source: 'known', columns: {} });
  for (const [table, mapping] of Object.entries(config.phaseTables)) {
    wanted.set(table, { phase: mapping.phase, source: 'config', columns: mapping.columns });
    if (!catalog.tables.has(table)) warnings.push(`config names phase table '${table}', which does not exist in schema ${catalog.schema}`);
  }
  for (const [name, want] of wanted) {
    const table = catalog.tables.get(name);
    if (!table || config.ignoreTables.includes(name)) continue;
    const { columns, notes } = mapColumns(table, want.columns, problems);
    for (const needed of ['cycle_id', 'report_id'] as const) {
      if (!columns[needed]) {
        problems.push({ table: name, message: `has no integer ${needed} column (tried ${COLUMN_SYNONYMS[needed].join(', ')}); map one in the config file's phaseTables.${name}.columns` });
      }
    }
    if (table.primaryKey.length === 0) notes.push('no primary key: rows are matched by (cycle, report) alone, so duplicates cannot be told apart');
    plans.push({ table: name, phase: want.phase, source: want.source, columns, key: table.primaryKey, notes });
  }
  return plans.sort((a, b) => standardPhase(a.phase)!.order - standardPhase(b.phase)!.order || a.table.localeCompare(b.table));
}

function firstColumn(table: CatalogTable, unified: 'cycle_id' | 'report_id'): string | undefined {
  return COLUMN_SYNONYMS[unified].find((name) => {
    const column = columnOf(table, name);
    return column !== undefined && fits(column, unified);
  });
}

/**
 * Decides what the migration will touch. `linked` holds what an earlier run linked
 * (`readLinkedPhases`); a data table's phase comes from the config, else its references
 * to legacy phase tables, else the phases its keys to workflow_phases point at, else its name.
 */
export function discover(catalog: Catalog, config: LegacyConfig, linked: LinkedPhases = new Map()): Discovery {
  const problems: MigrationProblem[] = [];
  const warnings: string[] = [];
  const unrecognised: UnrecognisedTable[] = [];
  const phaseTables = phaseTablePlans(catalog, config, problems, warnings);
  const legacyPhase = new Map(phaseTables.map((t) => [t.table, t.phase]));
  const ignored = new Set(config.ignoreTables);

  const repoints: RepointPlan[] = [];
  for (const fk of catalog.foreignKeys) {
    if (!legacyPhase.has(fk.references) || legacyPhase.has(fk.table)) continue;
    if (fk.columns.length !== 1) {
      problems.push({ table: fk.table, message: `foreign key ${fk.name} (${fk.columns.join(', ')}) references ${fk.references} with several columns; only single-column references can be re-pointed` });
      continue;
    }
    const column = columnOf(catalog.tables.get(fk.table)!, fk.columns[0]!)!;
    if (!KIND_TYPES.id.includes(column.type)) {
      problems.push({ table: fk.table, column: column.name, message: `references ${fk.references} through a ${column.type} column; it must be an integer to hold a workflow_phases.phase_id` });
      continue;
    }
    repoints.push({ constraint: fk.name, table: fk.table, column: column.name, legacyTable: fk.references, legacyColumn: fk.referencedColumns[0]! });
  }

  const dataTables: DataTablePlan[] = [];
  for (const table of catalog.tables.values()) {
    const name = table.name;
    if (legacyPhase.has(name) || ignored.has(name) || UNIFIED_TABLES.has(name)) continue;
    const configured = config.dataTables[name];
    const isData = configured !== undefined || name.startsWith(DATA_TABLE_PREFIX);
    if (!isData) {
      if (name.endsWith('_phases')) unrecognised.push({ table: name, reason: 'looks like a phase table but is not a known one; map it under phaseTables or list it in ignoreTables' });
      continue;
    }
    const refs = repoints.filter((r) => r.table === name);
    const refPhases = [...new Set(refs.map((r) => legacyPhase.get(r.legacyTable)!))];
    // After an earlier run its legacy references point at workflow_phases: what they (or
    // phase_id) point at is what that run decided, so they, not the name, tell the phase.
    const links = linked.get(name);
    const linkPhases = phasesOfLinks(links);
    const byName = phaseOfDataTableName(name);
    let phase: PhaseName | undefined = configured;
    let phaseFrom: DataTablePlan['phaseFrom'] = 'config';
    if (!phase && refPhases.length === 1) [phase, phaseFrom] = [refPhases[0], 'reference'];
    if (!phase && linkPhases.length === 1) [phase, phaseFrom] = [linkPhases[0], 'reference'];
    if (!phase && byName) [phase, phaseFrom] = [byName, 'name'];
    const phaseIdLinked = catalog.foreignKeys.some((fk) => fk.table === name && fk.columns.length === 1 && fk.columns[0] === 'phase_id' && fk.references === 'workflow_phases');
    // Linked by an earlier run whose references told the phase, but no row links anywhere yet; nothing more to do for it.
    if (!phase && phaseIdLinked && refs.length === 0) continue;
    if (!phase) {
      unrecognised.push({ table: name, reason: 'a cycle_report_* table whose phase is not clear from its name or references; map it under dataTables or list it in ignoreTables' });
      continue;
    }
    const phaseIdColumn = columnOf(table, 'phase_id');
    if (phaseIdColumn && !KIND_TYPES.id.includes(phaseIdColumn.type)) {
      problems.push({ table: name, column: 'phase_id', message: `has a phase_id column of type ${phaseIdColumn.type}; it must be an integer` });
      continue;
    }
    const phaseIdHasUnifiedKey = phaseIdLinked;
    const cycleColumn = firstColumn(table, 'cycle_id');
    const reportColumn = firstColumn(table, 'report_id');
    const repointedBefore = [...(links?.keys() ?? [])].filter((column) => column !== 'phase_id' && !refs.some((r) => r.column === column));
    if ((!cycleColumn || !reportColumn) && refs.length === 0 && repointedBefore.length === 0 && !phaseIdLinked) {
      warnings.push(`${name}: no (cycle_id, report_id) columns and no reference to a legacy phase table; phase_id is added but cannot be back-filled`);
    }
    dataTables.push({
      table: name,
      phase,
      phaseFrom,
      ...(cycleColumn && reportColumn ? { cycleColumn, reportColumn } : {}),
      ...(phaseIdColumn ? { phaseIdColumn } : {}),
      phaseIdHasUnifiedKey,
      referenceColumns: [...refs.map((r) => r.column), ...repointedBefore],
      key: table.primaryKey,
      phaseIdIndexed: catalog.indexedFirst.has(`${name}.phase_id`),
    });
  }
  for (const name of config.ignoreTables) {
    if (!catalog.tables.has(name)) warnings.push(`config ignores table '${name}', which does not exist in schema ${catalog.schema}`);
  }
  for (const name of Object.keys(config.dataTables)) {
    if (!catalog.tables.has(name)) warnings.push(`config names data table '${name}', which does not exist in schema ${catalog.schema}`);
  }
  dataTables.sort((a, b) => a.table.localeCompare(b.table));
  unrecognised.sort((a, b) => a.table.localeCompare(b.table));
  return { phaseTables, dataTables, repoints, unrecognised, problems, warnings };
}
