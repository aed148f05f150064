/**
 * The migrated template every `createTestDatabase(label, {migrated: true})` copies:
 * `wp_tpl_<hash of the migrations>`, created and migrated once per migration set under a
 * session advisory lock (so test processes running at once neither race nor migrate twice),
 * then marked `IS_TEMPLATE`, which is what says it is complete. Templates of other migration
 * sets (other branches, older checkouts) unused for an hour are dropped.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { openDatabase } from '../../server/db/database';
import { MIGRATIONS } from '../../server/db/migrations/generated-sql';
import type { MigrationSource } from '../../server/db/migrations/migration-source';
import { migrate } from '../../server/db/migrations/migrate';

// Any fixed 64-bit number unlike the migration runner's own lock key.
const LOCK_KEY = 7_720_331_583;
const PREFIX = 'wp_tpl_';
const STALE_MS = 60 * 60_000;
// How often a template in use records so (a catalog write; not on every copy).
const TOUCH_MS = 5 * 60_000;
const USED = /last used (\S+)/;

/** The template's name for `migrations`: it changes whenever a migration is added or edited. */
export function templateName(migrations: readonly MigrationSource[] = MIGRATIONS): string {
  const hash = createHash('sha256').update(JSON.stringify(migrations.map((m) => [m.version, m.name, m.sql]))).digest('hex');
  return `${PREFIX}${hash.slice(0, 16)}`;
}

interface TemplateRow {
  datname: string;
  datistemplate: boolean;
  comment: string | null;
}

function lastUsed(row: TemplateRow): number {
  const at = USED.exec(row.comment ?? '')?.[1];
  const ms = at ? Date.parse(at) : Number.NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

async function templates(admin: pg.Client): Promise<TemplateRow[]> {
  const rows = await admin.query<TemplateRow>(
    "SELECT datname, datistemplate, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname LIKE $1",
    [`${PREFIX.replace(/_/g, '\\_')}%`],
  );
  return rows.rows;
}

async function touch(admin: pg.Client, name: string): Promise<void> {
  await admin.query(`COMMENT ON DATABASE "${name}" IS 'Workflow Phases test template (test/helpers/template-database.ts), last used ${new Date().toISOString()}'`);
}

/**
 * Drops the other complete templates unused for an hour. One being made (not yet
 * `IS_TEMPLATE`) belongs to a process migrating it now; one being copied right now is kept.
 */
async function dropStale(admin: pg.Client, keep: string, rows: readonly TemplateRow[]): Promise<void> {
  for (const row of rows) {
    if (row.datname === keep || !row.datistemplate || Date.now() - lastUsed(row) < STALE_MS) continue;
    try {
      await admin.query(`ALTER DATABASE "${row.datname}" IS_TEMPLATE false`);
      await admin.query(`DROP DATABASE IF EXISTS "${row.datname}"`);
    } catch {
      // Being copied: it was not stale after all.
      await admin.query(`ALTER DATABASE "${row.datname}" IS_TEMPLATE true`).catch(() => undefined);
    }
  }
}

async function create(admin: pg.Client, adminUrl: string, name: string, migrations: readonly MigrationSource[]): Promise<void> {
  await admin.query('SELECT pg_advisory_lock($1::bigint)', [LOCK_KEY]);
  try {
    const row = (await templates(admin)).find((r) => r.datname === name);
    if (row?.datistemplate) return;
    // Left half-made by a process that died while migrating it.
    if (row) await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const db = await openDatabase({ kind: 'postgres', url: url.toString() });
    try {
      await migrate(db, migrations);
    } finally {
      await db.close();
    }
    await touch(admin, name);
    await admin.query(`ALTER DATABASE "${name}" IS_TEMPLATE true`);
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1::bigint)', [LOCK_KEY]);
  }
}

const checked = new Set<string>();

/**
 * The name of the template migrated with `migrations` (all of them by default) on the
 * server `admin` is connected to (`adminUrl`), created when missing. Called with a
 * connected admin client; leaves it connected.
 */
export async function migratedTemplate(admin: pg.Client, adminUrl: string, migrations: readonly MigrationSource[] = MIGRATIONS): Promise<string> {
  const name = templateName(migrations);
  if (checked.has(name)) return name;
  const rows = await templates(admin);
  const row = rows.find((r) => r.datname === name);
  if (!row?.datistemplate) await create(admin, adminUrl, name, migrations);
  else if (Date.now() - lastUsed(row) > TOUCH_MS) await touch(admin, name);
  await dropStale(admin, name, rows);
  checked.add(name);
  return name;
}
