/** `phasectl db migrate`: bring the database schema up to date. */
import { EXIT, UsageError } from '../command';
import type { Command } from '../command';
import { DATABASE_OPTIONS, DATABASE_USAGE, openCliDatabase } from '../database-option';
import { migrationLabel } from '../../db/migrations/migrate';

/** The command. */
export const dbCommand: Command = {
  name: 'db',
  summary: 'Database maintenance: `db migrate` brings the schema up to date',
  usage: `Usage: phasectl db migrate [--db <target>]

Runs the schema migrations that have not run yet (safe to repeat, safe to run from
two processes at once).
${DATABASE_USAGE}
Exit codes: 0 done, 2 usage error, unreachable database or conflicting tables.`,
  options: { ...DATABASE_OPTIONS },
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    if (sub !== 'migrate') throw new UsageError(sub === undefined ? 'missing sub-command (migrate)' : `unknown sub-command '${sub}' (use migrate)`);
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
    const { db, migration } = await openCliDatabase(args, io);
    try {
      const report = migration!;
      for (const m of report.applied) io.stdout(`applied ${migrationLabel(m)}\n`);
      for (const m of report.changedSinceApplied) {
        io.stderr(`phasectl db: warning: migration ${migrationLabel(m)} was edited after it ran on this database\n`);
      }
      io.stdout(
        report.applied.length === 0
          ? `${db.description}: schema up to date (${report.alreadyApplied} migrations)\n`
          : `${db.description}: ${report.applied.length} migration(s) applied, ${report.alreadyApplied} already there\n`,
      );
      return EXIT.ok;
    } finally {
      await db.close();
    }
  },
};
