/** `--cycle C --report R`: a test cycle and a report, by id or by name. */
import type { Database } from '../database';
import { hostColumns } from './host-tables';

/** One workflow instance's key. */
export interface InstanceKey {
  readonly cycleId: number;
  readonly reportId: number;
}

/** The ids, or why they could not be found. */
export type InstanceLookup = { readonly key: InstanceKey; readonly error?: undefined } | { readonly key?: undefined; readonly error: string };

/** `value` as a row id (digits in int4 range), or null. */
export function idOf(value: string): number | null {
  const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  return n <= 2_147_483_647 ? n : null;
}

async function find(db: Database, table: string, idColumn: string, nameColumn: string | null, what: string, value: string): Promise<number | string> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (nameColumn) where.push(`${nameColumn} = $${params.push(value)}`);
  const id = idOf(value);
  if (id !== null) where.push(`${idColumn} = $${params.push(id)}::int`);
  if (where.length === 0) return `${what} '${value}' is not an id, and ${table} has no name column`;
  // A name wins over an id: the cycle named "2026" before cycle id 2026 (as sync reads applies_to).
  const { rows } = await db.query<{ id: number }>(
    `SELECT ${idColumn} AS id FROM ${table} WHERE ${where.join(' OR ')} ORDER BY (${where[0]}) DESC, ${idColumn} LIMIT 1`,
    params,
  );
  return rows[0]?.id ?? `no ${what} '${value}' in ${table}`;
}

/** The id of the test cycle named by id or name, or a message saying there is none. */
export async function resolveCycle(db: Database, cycle: string): Promise<number | string> {
  const columns = await hostColumns(db);
  return find(db, 'test_cycles', 'cycle_id', columns.cycleName ? 'cycle_name' : null, 'test cycle', cycle.trim());
}

/** The id of the report named by id or name, or a message saying there is none. */
export async function resolveReport(db: Database, report: string): Promise<number | string> {
  const columns = await hostColumns(db);
  return find(db, 'reports', 'id', columns.reportName ? 'report_name' : null, 'report', report.trim());
}

/** Finds the cycle and report named by id or name. Never throws for unknown ones: returns `error`. */
export async function resolveInstance(db: Database, cycle: string, report: string): Promise<InstanceLookup> {
  const cycleId = await resolveCycle(db, cycle);
  const reportId = await resolveReport(db, report);
  if (typeof cycleId === 'string') return { error: cycleId };
  if (typeof reportId === 'string') return { error: reportId };
  return { key: { cycleId, reportId } };
}
