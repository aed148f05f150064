/** The legacy migration report as text for a terminal: tables, lists, verification, outcome. */
import type { LegacyReport, MigrationProblem, RowRef } from './report';

function rowName(row: RowRef): string {
  const key = row.key ? Object.entries(row.key).map(([k, v]) => `${k}=${String(v)}`).join(',') : '(no primary key)';
  const instance = row.cycleId !== null || row.reportId !== null ? ` (cycle ${row.cycleId ?? '-'}, report ${row.reportId ?? '-'})` : '';
  return `${row.table} ${key}${instance}`;
}

function table(headers: string[], rows: (string | number)[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) =>
    '  ' + cells.map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)];
}

function problemLine(p: MigrationProblem): string {
  const where = p.row ? rowName(p.row) : p.table;
  return `  ${where}${p.column ? ` [${p.column}]` : ''}: ${p.message}`;
}

/** Formats the whole report. */
export function formatLegacyText(report: LegacyReport): string {
  const out: string[] = [];
  const mode = report.dryRun ? 'dry run' : report.dropRequested ? 'migrate and drop legacy tables' : 'migrate';
  out.push(`Legacy migration (${mode}) on ${report.database}, schema ${report.schema}`);
  if (report.schemaMigrations.length > 0) {
    out.push(`Schema migrations applied first${report.dryRun ? ' (inside the dry run)' : ''}: ${report.schemaMigrations.join(', ')}`);
  }
  out.push('');
  if (report.phaseTables.length === 0 && !report.failure && report.problems.length === 0) out.push('No legacy phase tables found.');
  if (report.phaseTables.length > 0) {
    out.push('Legacy phase tables -> workflow_phases');
    out.push(
      ...table(
        ['table', 'phase', 'rows', 'moved', 'already', 'conflicts', 'orphans', 'unknown users'],
        report.phaseTables.map((t) => [t.table, t.phase, t.rows, t.migrated, t.alreadyMigrated, t.conflicts, t.orphans, t.unknownUsers]),
      ),
    );
    for (const t of report.phaseTables) for (const note of t.notes) out.push(`  note: ${t.table}: ${note}`);
    out.push('');
  }
  if (report.repointed.length > 0) {
    out.push('Foreign keys re-pointed at workflow_phases(phase_id)');
    for (const r of report.repointed) out.push(`  ${r.table}.${r.column} (${r.constraint}): was ${r.from}, ${r.rows} rows translated`);
    out.push('');
  }
  if (report.dataTables.length > 0) {
    out.push('Data tables -> phase_id');
    out.push(
      ...table(
        ['table', 'phase', 'by', 'rows', 'phase_id', 'back-filled', 'unlinked', 'unassigned'],
        report.dataTables.map((t) => [t.table, t.phase, t.phaseFrom, t.rows, t.addedPhaseId ? 'added' : 'had it', t.backfilled, t.unlinked, t.unassigned]),
      ),
    );
    out.push('');
  }
  if (report.unrecognised.length > 0) {
    out.push('Not recognised (left alone)');
    for (const u of report.unrecognised) out.push(`  ${u.table}: ${u.reason}`);
    out.push('');
  }
  if (report.conflicts.length > 0) {
    out.push('Conflicts (kept the existing unified row, did not overwrite)');
    for (const c of report.conflicts) {
      out.push(`  ${rowName(c.row)}: ${c.phase} already has workflow_phases row ${c.existingPhaseId} (${c.existingFrom ? `from ${c.existingFrom}` : 'not from a legacy table'})`);
    }
    out.push('');
  }
  if (report.orphans.length > 0) {
    out.push('Orphans (not moved)');
    for (const o of report.orphans) out.push(`  ${rowName(o.row)}: ${o.reason}`);
    out.push('');
  }
  if (report.unlinkedRows.length > 0) {
    out.push('Data rows left without a phase_id (no unified phase for their cycle and report)');
    for (const row of report.unlinkedRows) out.push(`  ${rowName(row)}`);
    out.push('');
  }
  for (const w of report.warnings) out.push(`warning: ${w}`);
  if (report.warnings.length > 0) out.push('');
  if (report.problems.length > 0) {
    out.push('Problems (the migration stopped; nothing was changed)');
    out.push(...report.problems.map(problemLine));
    out.push('');
  }
  if (report.failure) {
    const f = report.failure;
    out.push(`Failed at step '${f.step}'${f.table ? ` on ${f.table}` : ''}: ${f.message}`);
    if (f.detail) out.push(`  ${f.detail}`);
    for (const row of f.rows) out.push(`  caused by ${rowName(row)}`);
    out.push('Everything was rolled back; nothing was changed.');
    out.push('');
  }
  if (report.verification) {
    out.push(`Verification: ${report.verification.passed ? 'passed' : 'FAILED'}`);
    for (const c of report.verification.checks) out.push(`  [${c.passed ? 'ok' : 'FAIL'}] ${c.name}: ${c.detail}`);
    if (report.verification.perPhase.length > 0) {
      out.push(...table(['phase', 'legacy rows', 'unified rows'], report.verification.perPhase.map((p) => [p.phase, p.legacyRows, p.unifiedRows])).map((l) => `  ${l}`));
    }
    out.push('');
  }
  if (report.dropped.length > 0) out.push(`Dropped${report.dryRun ? ' (in the dry run)' : ''}: ${report.dropped.join(', ')}`);
  if (report.dropRefused) out.push(`--drop-legacy refused: ${report.dropRefused}`);
  out.push(outcomeLine(report));
  return out.join('\n') + '\n';
}

function outcomeLine(report: LegacyReport): string {
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  if (report.failure || report.problems.length > 0) return `Result: rolled back (${seconds}s).`;
  if (report.dropRefused) return `Result: rolled back, nothing was changed (${seconds}s). Resolve the rows above, or run without --drop-legacy to migrate and keep the legacy tables.`;
  if (report.dryRun) return `Result: dry run, rolled back (${seconds}s). Run without --dry-run to apply.`;
  if (report.nothingToDo) return `Result: nothing to do; everything was already migrated (${seconds}s).`;
  return `Result: committed (${seconds}s).`;
}
