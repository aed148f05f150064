/**
 * The migration runner: forward-only numbered SQL migrations, a table recording which
 * ran, one transaction per migration under a transaction-scoped advisory lock, so two
 * processes migrating at once serialise and the second finds nothing to do.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../database';
import { DatabaseError } from '../database';
import { MIGRATIONS } from './generated-sql';
import type { MigrationSource } from './migration-source';

/** The table that records applied migrations. */
export const MIGRATIONS_TABLE = 'workflow_schema_migrations';

// Any fixed 64-bit number works; this one spells "wph-migrate" loosely and is ours alone.
const LOCK_KEY = 7_720_331_582;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
    version INTEGER PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    checksum VARCHAR(64) NOT NULL,
    applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
)`;

/** What `migrate` did. */
export interface MigrationReport {
  /** Migrations run now, in order. */
  readonly applied: readonly { readonly version: number; readonly name: string }[];
  /** How many were already there. */
  readonly alreadyApplied: number;
  /** Applied migrations whose SQL differs from the bundled file (edited after they ran). */
  readonly changedSinceApplied: readonly { readonly version: number; readonly name: string }[];
}

/** The label of a migration in messages: `0001-unified-workflow`. */
export function migrationLabel(m: { version: number; name: string }): string {
  return `${String(m.version).padStart(4, '0')}-${m.name}`;
}

function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

// SQLSTATEs meaning "the database already has something of another shape".
const CONFLICT_CODES = new Set(['42P07', '42701', '42703', '42704', '42710', '42723', '42804', '42809', '42830', '42P16']);

function migrationError(m: MigrationSource, error: unknown): DatabaseError {
  const e = error as { code?: string; message?: string };
  const label = migrationLabel(m);
  if (e.code && CONFLICT_CODES.has(e.code)) {
    return new DatabaseError(
      'schema-conflict',
      `migration ${label} cannot run: ${e.message} — this database already has tables that conflict with the Workflow Phases schema ` +
        '(use an empty database or schema, or rename the existing tables)',
      error,
    );
  }
  return new DatabaseError('failed', `migration ${label} failed: ${e.message ?? String(error)}`, error);
}

async function appliedVersions(db: Database): Promise<Map<number, string> | null> {
  const exists = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [MIGRATIONS_TABLE]);
  if (!exists.rows[0]?.present) return null;
  const rows = await db.query<{ version: number; checksum: string }>(`SELECT version, checksum FROM ${MIGRATIONS_TABLE}`);
  return new Map(rows.rows.map((r) => [r.version, r.checksum]));
}

/**
 * Brings the schema up to date. Idempotent: a second run applies nothing and takes no
 * lock. Throws `DatabaseError` (`schema-conflict` when existing tables clash).
 */
export async function migrate(db: Database, migrations: readonly MigrationSource[] = MIGRATIONS): Promise<MigrationReport> {
  const before = (await appliedVersions(db)) ?? new Map<number, string>();
  const changedSinceApplied = migrations
    .filter((m) => before.has(m.version) && before.get(m.version) !== checksum(m.sql))
    .map(({ version, name }) => ({ version, name }));
  const applied: { version: number; name: string }[] = [];
  for (const m of migrations) {
    if (before.has(m.version)) continue;
    const ran = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [LOCK_KEY]);
      await tx.exec(CREATE_TABLE);
      // Another process may have applied it while we waited for the lock.
      const done = await tx.query(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE version = $1`, [m.version]);
      if (done.rows.length > 0) return false;
      try {
        await tx.exec(m.sql);
      } catch (error) {
        throw migrationError(m, error);
      }
      await tx.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, checksum) VALUES ($1, $2, $3)`, [m.version, m.name, checksum(m.sql)]);
      return true;
    });
    if (ran) applied.push({ version: m.version, name: m.name });
  }
  return { applied, alreadyApplied: migrations.length - applied.length, changedSinceApplied };
}
