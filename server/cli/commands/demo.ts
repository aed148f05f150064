/**
 * `phasectl demo` (`npm start`): a fresh embedded database with users, two cycles and
 * three reports; syncs examples/, starts one more instance, moves some phases along
 * through the transitions engine, and prints the status table. Needs no database server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, UsageError } from '../command';
import type { CliIO, Command, CommandArgs } from '../command';
import { DATABASE_OPTIONS, withCliDatabase } from '../database-option';
import { formatPlanText } from '../plan-format';
import { describeUnknown, loadSyncSources, shellWord } from '../sync-sources';
import type { LoadedSources } from '../sync-sources';
import { withZones } from '../times';
import { formatStatusText } from './status';
import { advanceDemo, seedHostData } from '../../db/demo-data';
import type { DemoStepResult } from '../../db/demo-data';
import { initInstance } from '../../db/sync/init';
import { readStatus } from '../../db/status';
import { syncWorkflows } from '../../db/sync/sync';

/** The command. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'Try it: a fresh embedded database, the examples synced, some progress, the status table',
  usage: `Usage: phasectl demo [folder with *.phases.yaml] [--db <target>]

Creates a fresh embedded database in a temporary folder, removed at the end (or uses --db:
then the database is kept), adds users, two test cycles and three reports, syncs the
definitions (default: ./examples), starts one more instance with \`init\`, moves some
phases along and prints the status. DATABASE_URL is not used: only --db.
  --db <target>        postgres://user@host:port/database, or embedded:<folder>
Exit codes: 0 done, 1 no valid definitions or unknown cycles/reports, 2 usage error or database error.`,
  options: { ...DATABASE_OPTIONS },
  async run(args, io) {
    if (args.positionals.length > 1) throw new UsageError('give at most one folder of definitions');
    const folder = args.positionals[0] ?? 'examples';
    const loaded = loadSyncSources([folder], io);
    // examples/ also holds deliberately broken files (for `phasectl validate`): the demo syncs the valid ones.
    if (loaded.pathError || loaded.sources.length === 0) {
      io.stderr(loaded.errors || `phasectl demo: no valid definition files in ${folder}\n`);
      return loaded.pathError ? EXIT.usage : EXIT.problems;
    }
    // Without --db: a temporary embedded database, removed at the end (DATABASE_URL is not
    // used: the demo writes users, cycles and reports, and belongs in no real database).
    const temporary = typeof args.values.db === 'string' ? null : mkdtempSync(join(tmpdir(), 'phasectl-demo-'));
    const target = temporary === null ? (args.values.db as string) : `embedded:${join(temporary, 'db')}`;
    const demoArgs = { ...args, values: { ...args.values, db: target } };
    try {
      return await runDemo(demoArgs, io, loaded, folder, temporary !== null);
    } finally {
      if (temporary !== null) rmSync(temporary, { recursive: true, force: true });
    }
  },
};

/** The demo on the database `demoArgs` names. */
async function runDemo(demoArgs: CommandArgs, io: CliIO, loaded: LoadedSources, folder: string, temporary: boolean): Promise<number> {
  return withCliDatabase(demoArgs, io, async (db) => {
    io.stdout(`Database: ${db.description}\n\n`);
    await seedHostData(db);
    io.stdout('Created users, test cycles 2026-Q4 and 2027-Q1, reports FR-Y-14Q, FR-2052a and CCAR.\n\n');

    const files = loaded.sources.map((s) => s.sourcePath).join(' ');
    if (loaded.rejected.length > 0) io.stdout(`Skipping ${loaded.rejected.length} file(s) with validation errors (try \`phasectl validate ${folder}\`).\n`);
    io.stdout(`$ phasectl sync ${files}\n`);
    const synced = await syncWorkflows(db, loaded.sources, { syncedBy: 'demo' });
    if (synced.unknown.length > 0) {
      io.stderr(describeUnknown(synced.unknown, loaded.analyses));
      return EXIT.problems;
    }
    io.stdout(`${formatPlanText(synced, synced.applied)}\n`);

    const workflow = loaded.sources[0]?.workflow.name ?? null;
    io.stdout(`$ phasectl init --cycle 2027-Q1 --report CCAR${workflow ? ` --workflow ${workflow}` : ''}\n`);
    const init = await initInstance(db, { cycle: '2027-Q1', report: 'CCAR', workflow });
    if (init.kind === 'done') io.stdout(`${formatPlanText(init.result, init.result.applied)}\n`);

    io.stdout('Moving phases along through the transitions engine, as the demo users (what `phasectl phase …` and `phasectl activity … --as USER` do):\n');
    let untouchedAny = false;
    const steps = await advanceDemo(db, {
      instance: (cycle, report, untouched) => {
        untouchedAny ||= untouched !== null;
        io.stdout(`  ${cycle} / ${report}${untouched === null ? '' : `: ${untouched}`}\n`);
      },
      step: (step) => io.stdout(`    ${formatDemoStep(step)}\n`),
    });
    if (steps.some((s) => s.refused !== null)) io.stdout('Some steps were refused (shown above): those instances were moved as far as the rules allow.\n\n');
    else if (!untouchedAny) io.stdout('Moved along: FR-Y-14Q finished planning and is scoping; FR-2052a is blocked in planning (`phasectl history` lists every change).\n\n');
    else io.stdout('\n');
    io.stdout('$ phasectl status\n');
    io.stdout(formatStatusText((await readStatus(db)).instances));
    io.stdout(temporary
      ? 'That database was temporary and is gone. To keep one and explore it:\n  npx phasectl demo --db embedded:demo-db\n  npx phasectl status --db embedded:demo-db\n'
      : `Explore it: npx phasectl status --db ${String(demoArgs.values.db).startsWith('embedded:') ? shellWord(String(demoArgs.values.db)) : '<the same URL>'}\n`);
    return EXIT.ok;
  });
}

/** One demo step as a line: "ana.tester@example.com: planning/load_attributes IN_PROGRESS -> BLOCKED (reason)". */
function formatDemoStep(step: DemoStepResult): string {
  if (step.refused !== null) return withZones(`${step.as}: ${step.title}: refused (${step.refused})`);
  if (step.changes.length === 0) return `${step.as}: ${step.title}: already so`;
  const changes = step.changes.map((c) => `${c.entity === 'phase' ? `phase ${c.phase}` : `${c.phase}/${c.activity}`} ${c.from} -> ${c.to}${c.reason ? ` (${c.reason})` : ''}`);
  return `${step.as}: ${changes.join(', ')}`;
}
