/**
 * What the transition commands share: `--cycle/--report/--as/--reason/--format`, finding
 * the instance and the acting user, running one transition and printing its outcome.
 */
import { formatExplanation, formatGuard, formatVerdict } from '../core/index';
import type { Actor, Explanation, Transition } from '../core/index';
import type { Database } from '../db/database';
import { loadInstance, resolveActor, resolveInstance, runTransition } from '../db/transitions/index';
import type { InstanceKey, TransitionOutcome } from '../db/transitions/index';
import { CliError, EXIT, UsageError } from './command';
import type { CliIO, Command, CommandArgs } from './command';
import { DATABASE_OPTIONS, DATABASE_USAGE } from './database-option';
import { cliTime, withZones } from './times';

/** The options of `phase`, `activity` and `explain`. */
export const TRANSITION_OPTIONS = {
  cycle: { type: 'string' },
  report: { type: 'string' },
  as: { type: 'string' },
  reason: { type: 'string' },
  format: { type: 'string', short: 'f', default: 'text' },
  ...DATABASE_OPTIONS,
} satisfies Command['options'];

/** Usage lines for those options. */
export const TRANSITION_USAGE = `  --cycle <id|name>    the test cycle (required)
  --report <id|name>   the report (required)
  --as <user>          the acting user: id, email or name in users (default: $PHASECTL_USER)
  --reason <text>      why (reopen, skip, block and request-revision need one)
  --format text|json   output (default text)
${DATABASE_USAGE}`;

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The output format; throws `UsageError` for anything but text or json. */
export function formatOf(args: CommandArgs): 'text' | 'json' {
  const format = args.values.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${String(format)}' (use text or json)`);
  return format;
}

/** The instance `--cycle` and `--report` name; `CliError` (exit 2) when either is missing or unknown. */
export async function instanceOf(db: Database, args: CommandArgs): Promise<InstanceKey> {
  const cycle = text(args.values.cycle);
  const report = text(args.values.report);
  if (!cycle || !report) throw new UsageError(`${!cycle ? '--cycle' : '--report'} is required`);
  const found = await resolveInstance(db, cycle, report);
  if (!found.key) throw new CliError(`${found.error} (\`phasectl ${/test cycle/.test(found.error) ? 'cycle' : 'report'} list\` shows them)`, EXIT.usage);
  return found.key;
}

/** The acting user from `--as` or `$PHASECTL_USER`; `CliError` (exit 2) when no such user exists. */
export async function actorOf(db: Database, args: CommandArgs, io: CliIO): Promise<Actor> {
  const found = await resolveActor(db, text(args.values.as) ?? io.env.PHASECTL_USER ?? null);
  if (!found.actor) throw new CliError(found.error, EXIT.usage);
  return found.actor;
}

/** The explanation as JSON-friendly data (its times with their zone, as every time phasectl prints). */
export function explanationJson(e: Explanation): Record<string, unknown> {
  const guards = e.guards.map((g) => ({ ...g, message: withZones(g.message) }));
  return { title: e.title, verdict: e.verdict, from: e.from, to: e.to, guards, changes: e.changes, notes: e.notes.map(withZones) };
}

function outcomeText(outcome: TransitionOutcome, actor: Actor): string {
  const e = outcome.explanation;
  if (outcome.verdict === 'unchanged') return withZones(`${formatVerdict(e)}\n${e.notes.map((n) => `  ${n}\n`).join('')}`);
  const lines = [`${formatVerdict(e)} by ${actor.name} at ${outcome.at === null ? '-' : cliTime(outcome.at)}`];
  for (const c of outcome.changes) lines.push(`  ${c.entity === 'phase' ? `phase ${c.phase}` : `${c.phase}/${c.activity}`}: ${c.from} -> ${c.to}`);
  for (const g of e.guards) if (g.result === 'unchecked') lines.push(`  ${formatGuard(g)}`);
  for (const n of e.notes) lines.push(`  note: ${n}`);
  return withZones(`${lines.join('\n')}\n`);
}

/**
 * Runs `transition` for the CLI: reads the target's status first and sends it as the
 * expected one, so a request that loses a race is refused naming the new state.
 * Exit 0 when done or already so, 4 when refused (every unmet condition printed).
 */
export async function runCliTransition(db: Database, args: CommandArgs, io: CliIO, transition: Transition): Promise<number> {
  const format = formatOf(args);
  const instance = await instanceOf(db, args);
  const actor = await actorOf(db, args, io);
  const seen = await loadInstance(db, instance, { lock: false });
  const phase = seen?.snapshot.phases.find((p) => p.name === transition.phase);
  const target = transition.kind === 'phase' ? phase : phase?.activities.find((a) => a.name === transition.activity);
  // A lost connection (TransitionError) is exit 5 (run it again), by `toCliError`.
  const outcome: TransitionOutcome = await runTransition(db, { instance, transition: { ...transition, expected: (target?.status ?? null) as never }, actor, source: 'cli' });
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ ...explanationJson(outcome.explanation), at: outcome.at === null ? null : cliTime(outcome.at), actor: actor.name, historyIds: outcome.historyIds }, null, 2)}\n`);
  } else if (outcome.verdict === 'refused') {
    io.stderr(withZones(formatExplanation(outcome.explanation, { onlyUnmet: true })) + `  (phasectl explain shows every condition)\n`);
  } else {
    io.stdout(outcomeText(outcome, actor));
  }
  return outcome.verdict === 'refused' ? EXIT.transitionRefused : EXIT.ok;
}

/** The exit codes of the transition commands, for their usage text. */
export const TRANSITION_EXITS = 'Exit codes: 0 done (or already so: nothing written), 4 refused (every unmet condition printed; nothing written),\n2 usage error, unknown cycle/report/user, no database or database error, 5 the connection was lost (run it again).';
