/** `phasectl plan`: what sync would write (dry run); the run shared with `phasectl sync`. */
import { EXIT, UsageError } from '../command';
import type { CliIO, Command, CommandArgs } from '../command';
import { DATABASE_OPTIONS, DATABASE_USAGE, withCliDatabase } from '../database-option';
import { formatPlanJson, formatPlanText } from '../plan-format';
import { describeUnknown, loadSyncSources } from '../sync-sources';
import { syncWorkflows } from '../../db/sync/sync';

const FORMATS = ['text', 'json'];

/** Runs `plan` (dryRun) or `sync`. */
export async function runPlanOrSync(args: CommandArgs, io: CliIO, dryRun: boolean): Promise<number> {
  const format = args.values.format as string;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${format}' (use text or json)`);
  const loaded = loadSyncSources(args.positionals, io);
  if (loaded.errors) {
    io.stderr(loaded.errors);
    return loaded.pathError ? EXIT.usage : EXIT.problems;
  }
  return withCliDatabase(args, io, async (db) => {
    const result = await syncWorkflows(db, loaded.sources, {
      dryRun,
      allowPartial: args.values['allow-partial'] === true,
      force: args.values.force === true,
      syncedBy: io.env.USER ?? io.env.USERNAME ?? null,
    });
    if (result.unknown.length > 0) {
      io.stderr(`${describeUnknown(result.unknown, loaded.analyses)}Nothing was ${dryRun ? 'planned' : 'synced'}: create them in the host application or fix applies_to.\n`);
      return EXIT.problems;
    }
    io.stdout(format === 'json' ? formatPlanJson(result, result.applied) : formatPlanText(result, result.applied));
    if (result.plan.summary.refused > 0) {
      if (!dryRun && !result.applied) io.stderr('phasectl sync: refused changes would lose progress: nothing was written (use --allow-partial to write the rest)\n');
      return EXIT.refused;
    }
    return EXIT.ok;
  });
}

/** The exit code lines of plan and sync usage. */
export const PLAN_EXITS = 'Exit codes: 0 done, 1 definition errors or unknown cycles/reports (nothing written), 2 usage or database error,\n3 something was refused because it would lose progress';

/** `phasectl plan`. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'Show what sync would change in the database (dry run)',
  usage: `Usage: phasectl plan [files or folders...] [--format text|json] [--force] [--db <target>]

Validates the definition files and shows, per (cycle, report), what sync would create,
update, delete, and refuse. Writes nothing.
  --force              compare every row even when the stored content hash matches
${DATABASE_USAGE}
${PLAN_EXITS}.`,
  options: { format: { type: 'string', short: 'f', default: 'text' }, force: { type: 'boolean' }, ...DATABASE_OPTIONS },
  run: (args, io) => runPlanOrSync(args, io, true),
};
