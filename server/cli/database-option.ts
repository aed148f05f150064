/**
 * `--db` for every command that touches the database: `--db postgres://…` or
 * `DATABASE_URL`; `--db embedded:<folder>`; with neither, the embedded database in
 * `./.workflow-phases/`. Opens it, migrates it, and turns failures into clear CLI errors.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { DatabaseError, openDatabase } from '../db/database';
import type { Database, DatabaseTarget } from '../db/database';
import { migrate, MIGRATIONS_TABLE } from '../db/migrations/migrate';
import { ConcurrentChangeError } from '../db/sync/apply';
import { isConnectionLoss, TransitionError } from '../db/transitions/execute';
import type { MigrationReport } from '../db/migrations/migrate';
import { DEFAULT_EMBEDDED_FOLDER, prepareEmbeddedFolder } from '../db/embedded-folder';
import { CliError, EXIT, isCliError, UsageError } from './command';
import type { CliIO, Command, CommandArgs } from './command';

/** The `--db` option, to spread into a command's `options`. */
export const DATABASE_OPTIONS = { db: { type: 'string' } } satisfies Command['options'];

/** Usage lines describing `--db`, to append to a command's usage. */
export const DATABASE_USAGE = [
  '  --db <target>        postgres://user@host:port/database, or embedded:<folder>',
  `                       (default: $DATABASE_URL, else embedded:./${DEFAULT_EMBEDDED_FOLDER})`,
].join('\n');

function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** Which database the arguments and environment name. Throws `UsageError` for a malformed `--db`. */
export function resolveDatabaseTarget(db: string | undefined, io: Pick<CliIO, 'cwd' | 'env'>): DatabaseTarget {
  const folderOf = (folder: string) => (isAbsolute(folder) ? folder : resolve(io.cwd, folder));
  if (db !== undefined) {
    if (isPostgresUrl(db)) return { kind: 'postgres', url: db };
    if (db === 'embedded') return { kind: 'embedded', folder: folderOf(DEFAULT_EMBEDDED_FOLDER) };
    if (db.startsWith('embedded:')) {
      const folder = db.slice('embedded:'.length);
      if (folder === '') throw new UsageError("--db embedded: needs a folder, e.g. --db embedded:./.workflow-phases");
      return { kind: 'embedded', folder: folderOf(folder) };
    }
    throw new UsageError(`--db '${db.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@')}' is neither a postgres:// URL nor embedded:<folder>`);
  }
  const url = io.env.DATABASE_URL;
  if (url !== undefined && url !== '') {
    if (!isPostgresUrl(url)) throw new UsageError('DATABASE_URL is set but is not a postgres:// URL');
    return { kind: 'postgres', url };
  }
  return { kind: 'embedded', folder: folderOf(DEFAULT_EMBEDDED_FOLDER) };
}

/** Options for `openCliDatabase`. */
export interface OpenOptions {
  /** Bring the schema up to date after opening (default true). */
  readonly migrate?: boolean;
  /**
   * The command needs a database that is there already (it only reads, or it moves rows
   * that must exist): it creates none. A missing embedded folder, or a PostgreSQL database
   * without the Workflow Phases tables, is a `CliError` (exit 2) naming the database
   * looked for and how to create one.
   */
  readonly mustExist?: boolean;
}

const CREATE_HINT = 'create one with `phasectl sync` (your definitions), `phasectl db migrate` (empty) or ' +
  '`phasectl demo --db embedded:.workflow-phases` (demo data), or name another with --db or DATABASE_URL';

/** Fails (exit 2) when a `mustExist` command would have to create the database `target` names (`given`: by --db). */
async function requireExisting(target: DatabaseTarget, given: boolean, db: Database | null, io: CliIO): Promise<void> {
  if (target.kind === 'embedded' && target.folder !== null && db === null) {
    // PG_VERSION marks an initialised data folder (see embedded-template.ts).
    if (existsSync(join(target.folder, 'PG_VERSION'))) return;
    const rel = relative(io.cwd, target.folder);
    const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? `./${rel}` : target.folder;
    const env = given ? '' : ' and DATABASE_URL is not set';
    throw new CliError(`no database: there is no embedded database in ${shown}${env}; ${CREATE_HINT}`, EXIT.usage);
  }
  if (target.kind === 'postgres' && db !== null) {
    const { rows } = await db.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [MIGRATIONS_TABLE]);
    if (rows[0]?.found === null || rows[0]?.found === undefined) {
      throw new CliError(`no Workflow Phases tables in ${db.description} yet; ${CREATE_HINT}`, EXIT.usage);
    }
  }
}

/** An open database, and what migrating it did. */
export interface OpenedDatabase {
  readonly db: Database;
  readonly migration: MigrationReport | null;
}

/**
 * Opens (and by default migrates) the database the command's `--db` names. Failures
 * become `CliError`s with exit code 2 that name host and port, user or folder.
 */
export async function openCliDatabase(args: CommandArgs, io: CliIO, options: OpenOptions = {}): Promise<OpenedDatabase> {
  const value = args.values.db;
  const target = resolveDatabaseTarget(typeof value === 'string' ? value : undefined, io);
  let db: Database;
  try {
    if (options.mustExist) await requireExisting(target, typeof value === 'string', null, io);
    else if (target.kind === 'embedded' && target.folder !== null) prepareEmbeddedFolder(target.folder);
    // Another process may hold an embedded folder: its commands then go through it; a wait is said on stderr.
    db = await openDatabase(target, { onWait: (message) => io.stderr(`phasectl: ${message}\n`) });
  } catch (error) {
    throw toCliError(error);
  }
  try {
    if (options.mustExist) await requireExisting(target, typeof value === 'string', db, io);
    if (options.migrate === false) return { db, migration: null };
    return { db, migration: await migrate(db) };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw toCliError(error);
  }
}

/** Opens the database, runs `work`, and always closes it. */
export async function withCliDatabase<T>(args: CommandArgs, io: CliIO, work: (db: Database) => Promise<T>, options: OpenOptions = {}): Promise<T> {
  const { db } = await openCliDatabase(args, io, options);
  try {
    return await work(db);
  } catch (error) {
    throw toCliError(error);
  } finally {
    await db.close().catch(() => undefined);
  }
}

/**
 * A database failure the user can act on, as the CLI error it prints: `DatabaseError`
 * (cannot open, exit 2); a change made by someone else mid-sync or a connection lost
 * mid-command (exit 5: nothing was written, run it again); a value the database refuses,
 * e.g. longer than its column (SQLSTATE class 22, exit 1). Anything else is unchanged.
 */
export function toCliError(error: unknown): unknown {
  if (isCliError(error)) return error;
  if (error instanceof DatabaseError) return new CliError(error.message, EXIT.usage);
  if (error instanceof ConcurrentChangeError) return new CliError(error.message, EXIT.retry);
  if (error instanceof TransitionError) return new CliError(error.message, EXIT.retry);
  const e = error as { code?: string; message?: string };
  if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'ENOTDIR') return new CliError(e.message ?? String(error), EXIT.usage);
  if (isConnectionLoss(error)) {
    return new CliError(`the database connection was lost while working (${e.message ?? e.code}): what was not committed was rolled back; run the command again (it is safe to repeat)`, EXIT.retry);
  }
  if (typeof e.code === 'string' && e.code.startsWith('22')) {
    return new CliError(`the database refused a value: ${e.message ?? e.code} (SQLSTATE ${e.code}); nothing was written`, EXIT.problems);
  }
  return error;
}
