/** `phasectl history`: every status change of a (cycle, report), oldest first. */
import { readHistory } from '../../db/transitions/index';
import type { HistoryEntry } from '../../db/transitions/index';
import { EXIT, UsageError } from '../command';
import type { Command } from '../command';
import { DATABASE_OPTIONS, DATABASE_USAGE, withCliDatabase } from '../database-option';
import { formatOf, instanceOf } from '../transition-target';
import { cliTime } from '../times';

/** History rows as aligned text lines. */
export function formatHistoryText(entries: readonly HistoryEntry[]): string {
  if (entries.length === 0) return 'No transitions yet.\n';
  const rows = entries.map((h) => [
    cliTime(h.at),
    h.actor ?? (h.actorId === null ? '-' : `user ${h.actorId}`),
    h.activity === null ? `phase ${h.phase}` : `${h.phase}/${h.activity}`,
    `${h.from ?? '-'} -> ${h.to}`,
    h.source,
    h.reason ? `"${h.reason}"` : '',
  ]);
  // A reduce, not Math.max(...): a long history would overflow the call stack.
  const widths = rows[0]!.map((_, c) => rows.reduce((w, r) => Math.max(w, r[c]!.length), 0));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n') + '\n';
}

/** The command. */
export const historyCommand: Command = {
  name: 'history',
  summary: 'Show the transition history of a (cycle, report)',
  usage: `Usage: phasectl history --cycle C --report R [--limit N] [--format text|json] [--db <target>]

Every status change, oldest first: when, who, what, from -> to, from where, why.
  --limit <n>          only the latest n changes
${DATABASE_USAGE}
Exit codes: 0 shown, 2 usage error, unknown cycle/report, no database or database error.`,
  options: { cycle: { type: 'string' }, report: { type: 'string' }, limit: { type: 'string' }, format: { type: 'string', short: 'f', default: 'text' }, ...DATABASE_OPTIONS },
  run(args, io) {
    const format = formatOf(args);
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const limitText = args.values.limit;
    const limit = typeof limitText === 'string' ? Number(limitText) : undefined;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError(`--limit must be a positive whole number, not '${String(limitText)}'`);
    return withCliDatabase(args, io, async (db) => {
      const entries = await readHistory(db, await instanceOf(db, args), { limit });
      io.stdout(format === 'json' ? `${JSON.stringify({ history: entries.map((h) => ({ ...h, at: cliTime(h.at) })) }, null, 2)}\n` : formatHistoryText(entries));
      return EXIT.ok;
    }, { mustExist: true });
  },
};
