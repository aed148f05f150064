/** `phasectl watch`: print phase and activity changes as they happen (LISTEN; on the embedded database, through its holder). */
import { openChangeFeed } from '../../db/change-feed';
import type { ChangeFeedEvent } from '../../db/change-feed';
import type { Database } from '../../db/database';
import type { ChangeNotification } from '../../db/notifications';
import { hostColumns, resolveCycle, resolveReport } from '../../db/transitions/index';
import { CliError, EXIT, UsageError } from '../command';
import type { Command } from '../command';
import { DATABASE_OPTIONS, DATABASE_USAGE, resolveDatabaseTarget, withCliDatabase } from '../database-option';

/** Names for the ids in change payloads, looked up once each. */
class Names {
  private readonly cache = new Map<string, Promise<string>>();
  constructor(private readonly db: Database) {}

  private lookup(key: string, sql: string, id: number, fallback: string): Promise<string> {
    let found = this.cache.get(key);
    if (!found) {
      found = this.db.query<{ name: string | null }>(sql, [id]).then((r) => r.rows[0]?.name ?? fallback, () => fallback);
      this.cache.set(key, found);
    }
    return found;
  }

  async of(c: ChangeNotification): Promise<{ cycle: string; report: string; phase: string | null; activity: string | null }> {
    const columns = await hostColumns(this.db);
    const [cycle, report, phase, activity] = await Promise.all([
      columns.cycleName ? this.lookup(`c${c.cycle_id}`, 'SELECT cycle_name AS name FROM test_cycles WHERE cycle_id = $1', c.cycle_id, `cycle ${c.cycle_id}`) : `cycle ${c.cycle_id}`,
      columns.reportName ? this.lookup(`r${c.report_id}`, 'SELECT report_name AS name FROM reports WHERE id = $1', c.report_id, `report ${c.report_id}`) : `report ${c.report_id}`,
      c.phase_id === null ? null : this.lookup(`p${c.phase_id}`, 'SELECT phase_name AS name FROM workflow_phases WHERE phase_id = $1', c.phase_id, `phase ${c.phase_id}`),
      c.activity_id === null ? null : this.lookup(`a${c.activity_id}`, 'SELECT activity_name AS name FROM workflow_activities WHERE activity_id = $1', c.activity_id, `activity ${c.activity_id}`),
    ]);
    return { cycle, report, phase, activity };
  }
}

/** The command. */
export const watchCommand: Command = {
  name: 'watch',
  summary: 'Print phase and activity changes as they happen',
  usage: `Usage: phasectl watch [--cycle C] [--report R] [--format text|json] [--count N] [--db postgres://…]

Listens for changes (PostgreSQL LISTEN/NOTIFY) and prints one line each (JSON lines with
--format json) until interrupted. When the connection drops it reconnects and says so:
changes made meanwhile were missed (run \`phasectl status\` to reload). On the embedded
database it watches through the process holding the folder, or holds (and shares) it itself.
  --count <n>          stop after n changes
${DATABASE_USAGE}
Exit codes: 0 stopped, 2 usage error, unknown cycle/report or unreachable database.`,
  options: { cycle: { type: 'string' }, report: { type: 'string' }, format: { type: 'string', short: 'f', default: 'text' }, count: { type: 'string' }, ...DATABASE_OPTIONS },
  run(args, io) {
    const format = args.values.format;
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${String(format)}' (use text or json)`);
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const count = typeof args.values.count === 'string' ? Number(args.values.count) : Infinity;
    if (count !== Infinity && (!Number.isInteger(count) || count < 1)) throw new UsageError(`--count must be a positive whole number, not '${String(args.values.count)}'`);
    const target = resolveDatabaseTarget(typeof args.values.db === 'string' ? args.values.db : undefined, io);
    return withCliDatabase(args, io, async (db) => {
      const filter = await filterOf(db, args.values.cycle, args.values.report);
      const names = new Names(db);
      let seen = 0;
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      // Lines are printed in arrival order even though name lookups are asynchronous.
      let printing = Promise.resolve();
      const onEvent = (e: ChangeFeedEvent) => {
        const at = new Date().toISOString();
        printing = printing.then(async () => {
          if (seen >= count) return;
          io.stdout(await render(e, at, format, names));
          if (e.type === 'change' && ++seen >= count) stop();
        });
      };
      const feed = await openChangeFeed(target.kind === 'postgres' ? { kind: 'postgres', url: target.url } : { kind: 'embedded', database: db }, onEvent, filter);
      const onSignal = () => stop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      io.stderr(`phasectl watch: watching ${db.description} for changes${count !== Infinity ? ` (${count})` : ''} — Ctrl-C to stop\n`);
      try {
        await stopped;
        await printing;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await feed.close();
      }
      return EXIT.ok;
    });
  },
};

async function filterOf(db: Database, cycle: unknown, report: unknown): Promise<{ cycleId?: number; reportId?: number }> {
  const filter: { cycleId?: number; reportId?: number } = {};
  if (typeof cycle === 'string') {
    const id = await resolveCycle(db, cycle);
    if (typeof id === 'string') throw new CliError(id, EXIT.usage);
    filter.cycleId = id;
  }
  if (typeof report === 'string') {
    const id = await resolveReport(db, report);
    if (typeof id === 'string') throw new CliError(id, EXIT.usage);
    filter.reportId = id;
  }
  return filter;
}

async function render(e: ChangeFeedEvent, at: string, format: 'text' | 'json', names: Names): Promise<string> {
  if (e.type !== 'change') {
    if (format === 'json') return `${JSON.stringify({ ...e, received_at: at })}\n`;
    return e.type === 'disconnected'
      ? `${at}  connection lost (${e.error}); reconnecting in ${e.retryInMs} ms\n`
      : `${at}  reconnected after ${(e.downMs / 1000).toFixed(1)} s: changes made meanwhile were missed (phasectl status shows the current state)\n`;
  }
  const c = e.change;
  const n = await names.of(c);
  if (format === 'json') return `${JSON.stringify({ type: 'change', received_at: at, ...c, cycle: n.cycle, report: n.report, phase: n.phase, activity: n.activity })}\n`;
  const what = c.rows > 1 || c.phase_id === null
    ? `${c.rows} ${c.table === 'workflow_phases' ? 'phase' : 'activity'} rows ${c.op === 'INSERT' ? 'added' : 'changed'} (reload)`
    : `${c.table === 'workflow_phases' ? `phase ${n.phase}` : `${n.phase ?? `phase ${c.phase_id}`}/${n.activity}`}  ${c.op === 'INSERT' ? 'added ' : ''}${c.status}`;
  return `${at}  ${n.cycle} / ${n.report}  ${what}\n`;
}
