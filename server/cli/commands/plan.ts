/** `phasectl plan`: what sync would write (dry run); the run shared with `phasectl sync`. */
import { EXIT, UsageError } from '../command';
import type { CliIO, Command, CommandArgs } from '../command';
import { DATABASE_OPTIONS, DATABASE_USAGE, withCliDatabase } from '../database-option';
import { formatPlanJson, formatPlanText } from '../plan-format';
import { describeUnknown, loadSyncSources, unknownNextStep } from '../sync-sources';
import { hostOwnership } from '../../db/host-rows';
import type { CreatedRows } from '../../db/host-rows';
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
      createMissing: args.values['create-missing'] === true,
    });
    if (result.unknown.length > 0) {
      const ownership = result.hostOwned ? { standalone: false as const, reason: result.hostOwned } : await hostOwnership(db);
      io.stderr(`${describeUnknown(result.unknown, loaded.analyses)}${unknownNextStep(result.unknown, ownership, dryRun ? 'planned' : 'synced')}`);
      return EXIT.problems;
    }
    const created = result.created ?? [];
    if (format === 'json') io.stdout(formatPlanJson(result, result.applied));
    else io.stdout(`${createdText(created, dryRun)}${formatPlanText(result, result.applied)}`);
    if (result.plan.summary.refused > 0) {
      if (!dryRun && !result.applied) io.stderr('phasectl sync: refused changes would lose progress: nothing was written (use --allow-partial to write the rest)\n');
      return EXIT.refused;
    }
    return EXIT.ok;
  }, { mustExist: dryRun });
}

function createdText(created: readonly CreatedRows[], dryRun: boolean): string {
  if (created.length === 0) return '';
  const list = (kind: 'cycle' | 'report', what: string) => {
    const names = created.filter((c) => c.kind === kind).map((c) => c.name);
    return names.length === 0 ? [] : [`${what}${names.length === 1 ? '' : 's'} ${names.join(', ')}`];
  };
  return `${dryRun ? 'Would create' : 'Created'} ${[...list('cycle', 'test cycle'), ...list('report', 'report')].join(' and ')} (--create-missing)\n`;
}

/** The `--create-missing` usage line of plan and sync. */
export const CREATE_MISSING_USAGE = `  --create-missing     create the applies_to test cycles and reports that do not exist (only where
                       Workflow Phases created those tables; a host application's are never written)`;

/** The exit code lines of plan and sync usage. */
export const PLAN_EXITS = 'Exit codes: 0 done, 1 definition errors, unknown cycles/reports or a value too long for its column (nothing written),\n2 usage error, no files found or database error, 3 something was refused because it would lose progress,\n5 the database changed meanwhile or the connection dropped (nothing written: run it again)';

/** `phasectl plan`. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'Show what sync would change in the database (dry run)',
  usage: `Usage: phasectl plan [files or folders...] [--format text|json] [--force] [--create-missing] [--db <target>]

Validates the definition files and shows, per (cycle, report), what sync would create,
update, delete, and refuse. Writes nothing.
  --force              compare every row even when the stored content hash matches
${CREATE_MISSING_USAGE}
${DATABASE_USAGE}
${PLAN_EXITS}.`,
  options: { format: { type: 'string', short: 'f', default: 'text' }, force: { type: 'boolean' }, 'create-missing': { type: 'boolean' }, ...DATABASE_OPTIONS },
  run: (args, io) => runPlanOrSync(args, io, true),
};
