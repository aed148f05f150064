/** `phasectl migrate-legacy`: move per-phase legacy tables onto workflow_phases, in one transaction. */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { LEGACY_CONFIG_FILE, EMPTY_LEGACY_CONFIG, parseLegacyConfig } from '../../db/legacy/config';
import type { LegacyConfig } from '../../db/legacy/config';
import { formatLegacyText } from '../../db/legacy/format-text';
import { migrateLegacy } from '../../db/legacy/migrate';
import type { LegacyReport } from '../../db/legacy/report';
import { applyInTransaction, labels, pendingSchemaMigrations } from '../../db/legacy/schema';
import { CliError, EXIT, UsageError } from '../command';
import type { CliIO, Command } from '../command';
import { DATABASE_OPTIONS, DATABASE_USAGE, openCliDatabase, resolveDatabaseTarget } from '../database-option';

const FORMATS = ['text', 'json'] as const;

function loadConfig(option: string | undefined, io: CliIO): LegacyConfig {
  const path = option !== undefined ? (isAbsolute(option) ? option : resolve(io.cwd, option)) : resolve(io.cwd, LEGACY_CONFIG_FILE);
  if (option === undefined && !existsSync(path)) return EMPTY_LEGACY_CONFIG;
  const shown = relative(io.cwd, path) || path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read config file ${shown}: ${(error as Error).message}`, EXIT.usage);
  }
  const parsed = parseLegacyConfig(text);
  if (parsed.problems.length > 0) {
    throw new CliError(
      `config file ${shown} is not valid:\n${parsed.problems.map((p) => `  ${shown}:${p.line}:${p.column}: ${p.path}: ${p.message}`).join('\n')}`,
      EXIT.usage,
    );
  }
  return parsed.value;
}

function exitCode(report: LegacyReport): number {
  if (report.failure || report.problems.length > 0) return EXIT.problems;
  if (report.dropRefused) return EXIT.refused;
  return EXIT.ok;
}

/** The command. */
export const migrateLegacyCommand: Command = {
  name: 'migrate-legacy',
  summary: 'Move legacy per-phase tables into workflow_phases (PostgreSQL)',
  usage: `Usage: phasectl migrate-legacy [--dry-run] [--drop-legacy] [--format text|json] [--config <file>] [--db <target>]

Moves the rows of the legacy per-phase tables (planning_phases, scoping_phases, ...) into
workflow_phases, adds and back-fills phase_id on every cycle_report_* table, re-points
foreign keys, verifies, and with --drop-legacy drops the legacy tables once verified.
Everything runs in one transaction; a second run finds nothing to do.

  --dry-run            do everything, print the full report, then roll back
  --drop-legacy        drop the legacy phase tables, only when verification passes
  --format text|json   report format (default text; json: see docs/legacy-migration.md)
  --config <file>      extra table mappings (default: ./${LEGACY_CONFIG_FILE} when present)
  --limit <n>          rows named per table in each list (default 20)
${DATABASE_USAGE}
                       migrate-legacy needs a real PostgreSQL (the embedded database has no legacy tables)

Exit codes: 0 done (or dry run, or nothing to do), 1 stopped by problem rows or a database
error (rolled back), 2 usage/config/connection error, 3 --drop-legacy refused (rolled back).`,
  options: {
    'dry-run': { type: 'boolean', default: false },
    'drop-legacy': { type: 'boolean', default: false },
    format: { type: 'string', short: 'f', default: 'text' },
    config: { type: 'string' },
    limit: { type: 'string', default: '20' },
    ...DATABASE_OPTIONS,
  },
  async run(args, io) {
    const format = args.values.format as string;
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format '${format}' (use text or json)`);
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const limit = Number(args.values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive whole number, not '${String(args.values.limit)}'`);
    const dryRun = args.values['dry-run'] === true;
    const dropLegacy = args.values['drop-legacy'] === true;
    const config = loadConfig(args.values.config as string | undefined, io);

    const target = resolveDatabaseTarget(typeof args.values.db === 'string' ? args.values.db : undefined, io);
    if (target.kind === 'embedded') {
      throw new CliError(
        `migrate-legacy works on a real PostgreSQL database only: the embedded database${target.folder ? ` (${target.folder})` : ''} never has legacy tables. ` +
          'Pass --db postgres://user@host:port/database or set DATABASE_URL.',
        EXIT.usage,
      );
    }
    // A real run brings the schema up to date first (its own transactions, like every command);
    // a dry run applies pending schema migrations inside its transaction, so they roll back too.
    const { db, migration } = await openCliDatabase(args, io, { migrate: !dryRun });
    try {
      const pending = dryRun ? await pendingSchemaMigrations(db) : [];
      const report = await migrateLegacy(db, {
        config,
        dryRun,
        dropLegacy,
        listLimit: limit,
        databaseDescription: db.description,
        schemaMigrations: dryRun ? labels(pending) : labels(migration?.applied ?? []),
        ...(pending.length > 0 ? { prepare: (tx) => applyInTransaction(tx, pending) } : {}),
      });
      io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatLegacyText(report));
      return exitCode(report);
    } finally {
      await db.close();
    }
  },
};
