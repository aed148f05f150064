/**
 * Verification after the move: every legacy row has its own unified row, every data
 * row that can be linked is linked to the right phase, nothing references a legacy
 * table any more, and the counts per phase match. Read-only.
 */
import { PHASE_NAMES } from '../../core/index';
import type { Queryable } from '../database';
import { countDataRows } from './data-tables';
import type { Discovery } from './discover';
import { countMigrated } from './phase-rows';
import type { PhaseCount, Verification, VerificationCheck } from './report';

/** Runs every check; `passed` only when all pass. */
export async function verify(db: Queryable, discovery: Discovery, statuses: { keys: string[]; values: string[] }): Promise<Verification> {
  const checks: VerificationCheck[] = [];
  const legacyRows = new Map<string, number>();
  const missing: string[] = [];
  let total = 0;
  let migrated = 0;
  for (const plan of discovery.phaseTables) {
    const counts = await countMigrated(db, plan, statuses);
    legacyRows.set(plan.table, counts.rows);
    total += counts.rows;
    migrated += counts.migrated;
    if (counts.migrated < counts.rows) missing.push(`${plan.table} (${counts.rows - counts.migrated})`);
  }
  checks.push({
    name: 'every legacy row has its unified row',
    passed: missing.length === 0,
    detail: missing.length === 0 ? `${migrated} of ${total} legacy rows` : `${total - migrated} of ${total} legacy rows have none: ${missing.join(', ')}`,
  });

  const unlinked: string[] = [];
  const mislinked: string[] = [];
  let dataRows = 0;
  for (const plan of discovery.dataTables) {
    const counts = await countDataRows(db, plan);
    dataRows += counts.rows;
    if (counts.unlinked > 0) unlinked.push(`${plan.table} (${counts.unlinked})`);
    if (counts.mislinked > 0) mislinked.push(`${plan.table} (${counts.mislinked})`);
  }
  checks.push({
    name: 'every data row with a (cycle, report) has a phase_id',
    passed: unlinked.length === 0,
    detail: unlinked.length === 0 ? `${dataRows} rows in ${discovery.dataTables.length} tables` : `rows without a phase_id: ${unlinked.join(', ')}`,
  });
  checks.push({
    name: 'every phase_id points at its own (cycle, report, phase)',
    passed: mislinked.length === 0,
    detail: mislinked.length === 0 ? 'all linked rows agree' : `rows linked to another cycle, report or phase: ${mislinked.join(', ')}`,
  });

  const legacyTables = discovery.phaseTables.map((t) => t.table);
  const refs = await db.query<{ name: string; table_name: string; refs: string }>(
    `SELECT con.conname AS name, src.relname AS table_name, tgt.relname AS refs
       FROM pg_constraint con
       JOIN pg_class src ON src.oid = con.conrelid
       JOIN pg_class tgt ON tgt.oid = con.confrelid
      WHERE con.contype = 'f' AND tgt.relnamespace = current_schema()::regnamespace
        AND tgt.relname = ANY($1::text[]) AND NOT (src.relname = ANY($1::text[]))
      ORDER BY 2, 1`,
    [legacyTables],
  );
  checks.push({
    name: 'no foreign key references a legacy phase table',
    passed: refs.rows.length === 0,
    detail: refs.rows.length === 0 ? 'none left' : refs.rows.map((r) => `${r.table_name}.${r.name} -> ${r.refs}`).join(', '),
  });

  const unified = await db.query<{ phase_name: string; source: string; n: number }>(
    `SELECT phase_name, json_extract_path_text(phase_metadata, 'legacy', 'table') AS source, count(*)::int AS n
       FROM workflow_phases
      WHERE json_extract_path_text(phase_metadata, 'legacy', 'table') = ANY($1::text[])
      GROUP BY 1, 2`,
    [legacyTables],
  );
  const perPhase: PhaseCount[] = [];
  for (const phase of PHASE_NAMES) {
    const tables = discovery.phaseTables.filter((t) => t.phase === phase).map((t) => t.table);
    if (tables.length === 0) continue;
    perPhase.push({
      phase,
      legacyRows: tables.reduce((sum, t) => sum + (legacyRows.get(t) ?? 0), 0),
      unifiedRows: unified.rows.filter((r) => r.phase_name === phase && tables.includes(r.source)).reduce((sum, r) => sum + r.n, 0),
    });
  }
  const differ = perPhase.filter((p) => p.legacyRows !== p.unifiedRows);
  checks.push({
    name: 'counts per phase match',
    passed: differ.length === 0,
    detail: differ.length === 0 ? `${perPhase.length} phases` : differ.map((p) => `${p.phase}: ${p.legacyRows} legacy, ${p.unifiedRows} unified`).join('; '),
  });
  return { passed: checks.every((c) => c.passed), checks, perPhase };
}
