/**
 * The unified schema must exist before legacy rows can move into it. A real run brings
 * it up to date with the migration runner first; a dry run applies the pending
 * migrations inside its own transaction, so they roll back with everything else.
 */
import type { Queryable } from '../database';
import { MIGRATIONS_TABLE, migrationLabel } from '../migrations/migrate';
import { MIGRATIONS } from '../migrations/generated-sql';
import type { MigrationSource } from '../migrations/migration-source';

/** The bundled schema migrations not yet applied to `db`. */
export async function pendingSchemaMigrations(db: Queryable): Promise<MigrationSource[]> {
  const exists = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [MIGRATIONS_TABLE]);
  if (!exists.rows[0]?.present) return [...MIGRATIONS];
  const rows = await db.query<{ version: number }>(`SELECT version FROM ${MIGRATIONS_TABLE}`);
  const done = new Set(rows.rows.map((r) => r.version));
  return MIGRATIONS.filter((m) => !done.has(m.version));
}

/** Runs the migrations' SQL in the caller's transaction (dry run only: it is rolled back). */
export async function applyInTransaction(tx: Queryable, pending: readonly MigrationSource[]): Promise<void> {
  for (const m of pending) await tx.exec(m.sql);
}

/** `0001-unified-workflow`-style labels. */
export function labels(migrations: readonly { version: number; name: string }[]): string[] {
  return migrations.map(migrationLabel);
}
