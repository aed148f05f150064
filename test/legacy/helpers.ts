/** Shared checks for the legacy-migration tests: running the built phasectl, and "nothing was lost". */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Queryable } from '../../server/db/database';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'phasectl.js');

/** Runs the built `dist/phasectl.js` (build first: `npm run build`); never a stack trace on stderr. */
export function phasectl(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const env = { ...process.env, ...options.env };
  delete env.DATABASE_URL;
  Object.assign(env, options.env);
  const run = spawnSync(process.execPath, [cli, ...args], { cwd: options.cwd ?? root, encoding: 'utf8', env, maxBuffer: 64 << 20 });
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, `no stack trace on stderr:\n${run.stderr}`);
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The old status spellings the fixture writes, and what each must become. */
export const EXPECTED_STATUS: Readonly<Record<string, string>> = {
  Complete: 'COMPLETED',
  Completed: 'COMPLETED',
  completed: 'COMPLETED',
  COMPLETE: 'COMPLETED',
  Done: 'COMPLETED',
  'In Progress': 'IN_PROGRESS',
  in_progress: 'IN_PROGRESS',
  'IN PROGRESS': 'IN_PROGRESS',
  Started: 'IN_PROGRESS',
  'Not Started': 'NOT_STARTED',
  'not started': 'NOT_STARTED',
  Pending: 'NOT_STARTED',
};

/**
 * Every legacy row of `table` that has its unified row: each legacy column is either in
 * the unified column it maps to (`columnMap`, legacy -> unified) or, unchanged, in
 * phase_metadata.legacy. `key` is the table's primary-key column. Returns the rows checked.
 */
export async function assertNothingLost(db: Queryable, table: string, key: string, columnMap: Readonly<Record<string, string>>): Promise<number> {
  const legacyRows = await db.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(l) AS row FROM ${table} l`);
  const unifiedRows = await db.query<{ row: Record<string, unknown> }>(
    `SELECT to_jsonb(w) AS row FROM workflow_phases w WHERE w.phase_metadata->'legacy'->>'table' = $1`,
    [table],
  );
  type Meta = { table: string; key: Record<string, unknown>; status: unknown; columns: Record<string, unknown> };
  const byKey = new Map(unifiedRows.rows.map(({ row }) => [JSON.stringify((row.phase_metadata as { legacy: Meta }).legacy.key[key]), row]));
  let checked = 0;
  for (const { row: legacy } of legacyRows.rows) {
    const unified = byKey.get(JSON.stringify(legacy[key]));
    if (!unified) continue;
    checked++;
    const meta = (unified.phase_metadata as { legacy: Meta }).legacy;
    for (const [column, value] of Object.entries(legacy)) {
      const where = `${table} ${key}=${String(legacy[key])} column ${column}`;
      const target = columnMap[column];
      if (column === key) {
        assert.deepEqual(meta.key[column], value, where);
      } else if (target === 'status') {
        assert.equal(meta.status, value, `${where}: the original spelling is kept`);
        assert.equal(unified.status, value === null ? 'NOT_STARTED' : EXPECTED_STATUS[value as string], `${where}: '${String(value)}' normalised`);
      } else if (target !== undefined && column in meta.columns) {
        // Mapped but unusable (a user id missing from users, a risk level outside the enum): kept as it was.
        assert.deepEqual(meta.columns[column], value, where);
        assert.equal(unified[target], null, `${where}: unusable value not copied`);
      } else if (target !== undefined) {
        const got: unknown = unified[target];
        if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) assert.equal(got, `${value}T00:00:00`, where);
        else if (target === 'risk_level' && typeof value === 'string') assert.equal(got, value.toLowerCase(), where);
        else if (value === null && (target === 'created_at' || target === 'updated_at')) assert.notEqual(got, null, where);
        else assert.deepEqual(got, value, where);
      } else {
        assert.ok(column in meta.columns, `${where}: kept in phase_metadata.legacy.columns`);
        assert.deepEqual(meta.columns[column], value, where);
      }
    }
  }
  return checked;
}
