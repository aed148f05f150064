/**
 * `--db` for every command that touches the database: `--db postgres://…` or
 * `DATABASE_URL`; `--db embedded:<folder>`; with neither, the embedded database in
 * `./.workflow-phases/`. Opens it, migrates it, and turns failures into clear CLI errors.
 */
import { isAbsolute, resolve } from 'node:path';
import { DatabaseError, openDatabase } from '../db/database';
import type { Database, DatabaseTarget } from '../db/database';
import { migrate } from '../db/migrations/migrate';
import type { MigrationReport } from '../db/migrations/migrate';
import { DEFAULT_EMBEDDED_FOLDER, prepareEmbeddedFolder } from '../db/embedded-folder';
import { CliError, EXIT, UsageError } from './command';
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
    if (target.kind === 'embedded' && target.folder !== null) prepareEmbeddedFolder(target.folder);
    // Another process may hold an embedded folder: its commands then go through it; a wait is said on stderr.
    db = await openDatabase(target, { onWait: (message) => io.stderr(`phasectl: ${message}\n`) });
  } catch (error) {
    throw toCliError(error);
  }
  if (options.migrate === false) return { db, migration: null };
  try {
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
    throw error instanceof DatabaseError ? toCliError(error) : error;
  } finally {
    await db.close();
  }
}

/** A `DatabaseError` as the CLI error it prints (exit 2); anything else unchanged. */
export function toCliError(error: unknown): unknown {
  if (error instanceof DatabaseError) return new CliError(error.message, EXIT.usage);
  const e = error as { code?: string; message?: string };
  if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'ENOTDIR') return new CliError(e.message ?? String(error), EXIT.usage);
  return error;
}
