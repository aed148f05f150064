/** `phasectl init`: start a test cycle for a report — create its phases and activities. */
import { CliError, EXIT, UsageError } from '../command';
import type { Command } from '../command';
import { DATABASE_OPTIONS, DATABASE_USAGE, withCliDatabase } from '../database-option';
import { formatPlanJson, formatPlanText } from '../plan-format';
import { initInstance } from '../../db/sync/init';
import { hostOwnership } from '../../db/host-rows';
import { shellWord } from '../sync-sources';

/** The command. */
export const initCommand: Command = {
  name: 'init',
  summary: 'Start a test cycle for a report: create its 9 phases and their activities',
  usage: `Usage: phasectl init --cycle <id|name> --report <id|name> [--workflow <name>] [--format text|json] [--db <target>]

Makes the (cycle, report) follow a synced workflow (default: the only one synced) and
creates all its phases and activities in one transaction. The cycle and the report must
exist (\`phasectl cycle add\`, \`phasectl report add\`, or the host application's test_cycles and reports).
${DATABASE_USAGE}
Exit codes: 0 done (or already there), 2 usage error, unknown cycle/report/workflow, no database or database error,
3 refused (the pair already follows another workflow), 5 the connection was lost (run it again).`,
  options: {
    cycle: { type: 'string' },
    report: { type: 'string' },
    workflow: { type: 'string' },
    format: { type: 'string', short: 'f', default: 'text' },
    ...DATABASE_OPTIONS,
  },
  async run(args, io) {
    const { cycle, report, workflow, format } = args.values;
    if (typeof cycle !== 'string' || cycle === '') throw new UsageError('--cycle is required');
    if (typeof report !== 'string' || report === '') throw new UsageError('--report is required');
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${String(format)}' (use text or json)`);
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    return withCliDatabase(args, io, async (db) => {
      const outcome = await initInstance(db, { cycle, report, workflow: typeof workflow === 'string' ? workflow : null });
      if (outcome.kind === 'unknown') {
        const what = outcome.unknown.map((u) => `${u.kind === 'cycle' ? 'test cycle' : 'report'} '${u.value}' does not exist`).join('; ');
        const ownership = await hostOwnership(db);
        const next = ownership.standalone
          ? outcome.unknown.map((u) => `\`phasectl ${u.kind} add ${shellWord(String(u.value))}\``).join(' and ')
          : ownership.reason;
        throw new CliError(`${what} (nothing written); ${ownership.standalone ? `create ${outcome.unknown.length === 1 ? 'it' : 'them'} with ${next}` : next}`, EXIT.usage);
      }
      if (outcome.kind === 'no-workflow') {
        const available = outcome.available.length === 0 ? 'no workflow has been synced yet: run `phasectl sync` first' : `synced workflows: ${outcome.available.join(', ')}`;
        const what = outcome.requested === null ? 'choose a workflow with --workflow' : `workflow '${outcome.requested}' has not been synced to this database`;
        throw new CliError(`${what} (${available})`, EXIT.usage);
      }
      const { result } = outcome;
      io.stdout(format === 'json' ? formatPlanJson(result, result.applied) : formatPlanText(result, result.applied));
      return result.plan.summary.refused > 0 ? EXIT.refused : EXIT.ok;
    }, { mustExist: true });
  },
};
