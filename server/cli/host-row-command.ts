/**
 * `phasectl cycle add|list` and `phasectl report add|list`: the test cycles and reports of
 * a standalone database (one whose host tables Workflow Phases created itself). A host
 * application's tables are listed but never written.
 */
import type { Database } from '../db/database';
import { createMissingHostRows, HOST_NAME_MAX, hostOwnership, listHostRows } from '../db/host-rows';
import type { HostRow } from '../db/host-rows';
import { CliError, EXIT, UsageError } from './command';
import type { CliIO, Command, CommandArgs } from './command';
import { DATABASE_OPTIONS, DATABASE_USAGE, withCliDatabase } from './database-option';

/** The `add` and `list` sub-commands of a host table, shared by `cycle` and `user`. */
export const ADD_LIST = ['add', 'list'] as const;

/** The sub-command (`add` or `list`) and the rest of the positionals; `UsageError` otherwise. */
export function subCommandOf(args: CommandArgs): { sub: (typeof ADD_LIST)[number]; rest: readonly string[] } {
  const [sub, ...rest] = args.positionals;
  if (sub !== 'add' && sub !== 'list') throw new UsageError(sub === undefined ? 'missing sub-command (add or list)' : `unknown sub-command '${sub}' (use add or list)`);
  return { sub, rest };
}

/** The text|json `--format` of a list; `UsageError` otherwise. */
export function listFormatOf(args: CommandArgs): 'text' | 'json' {
  const format = args.values.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${String(format)}' (use text or json)`);
  return format;
}

/** Throws `CliError` (exit 2) unless the host tables are Workflow Phases' own. */
export async function requireStandalone(db: Database): Promise<void> {
  const ownership = await hostOwnership(db);
  if (!ownership.standalone) throw new CliError(ownership.reason, EXIT.usage);
}

/** Rows as an aligned table with a header; `empty` when there are none. */
export function formatRows(header: readonly string[], rows: readonly (readonly string[])[], empty: string): string {
  if (rows.length === 0) return `${empty}\n`;
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  return [header, ...rows].map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n') + '\n';
}

const WORDS = {
  cycle: { command: 'cycle', what: 'test cycle', plural: 'test cycles', table: 'test_cycles', example: '2026-Q4', key: 'cycles' },
  report: { command: 'report', what: 'report', plural: 'reports', table: 'reports', example: 'FR-Y-14Q', key: 'reports' },
} as const;

async function add(db: Database, kind: 'cycle' | 'report', names: readonly string[], io: CliIO): Promise<number> {
  const w = WORDS[kind];
  await requireStandalone(db);
  const created = await createMissingHostRows(db, kind === 'cycle' ? { cycles: names, reports: [] } : { cycles: [], reports: names });
  const byName = new Map((await listHostRows(db, kind)).map((r) => [r.name, r.id]));
  const fresh = new Set(created.map((c) => c.name));
  for (const name of [...new Set(names)]) {
    io.stdout(fresh.has(name) ? `created ${w.what} ${name} (id ${byName.get(name)})\n` : `${w.what} ${name} already exists (id ${byName.get(name)}): left as it is\n`);
  }
  return EXIT.ok;
}

function checkNames(kind: 'cycle' | 'report', names: readonly string[]): void {
  const w = WORDS[kind];
  if (names.length === 0) throw new UsageError(`give the name of at least one ${w.what}, e.g. phasectl ${w.command} add ${w.example}`);
  for (const name of names) {
    if (name.trim() === '') throw new UsageError(`a ${w.what} name cannot be empty`);
    if (name.length > HOST_NAME_MAX) throw new UsageError(`${w.what} name '${name.slice(0, 40)}…' is ${name.length} characters long; ${w.table} holds at most ${HOST_NAME_MAX}`);
  }
}

/** The `cycle` or `report` command. */
export function hostRowCommand(kind: 'cycle' | 'report'): Command {
  const w = WORDS[kind];
  return {
    name: w.command,
    summary: `Add or list ${w.plural} (standalone databases; a host application's ${w.table} is only read)`,
    usage: `Usage: phasectl ${w.command} add <name>... [--db <target>]
       phasectl ${w.command} list [--format text|json] [--db <target>]

add creates the ${w.plural} named that do not exist yet (existing ones are left as they are).
Only where Workflow Phases created ${w.table} itself (the embedded database, or a PostgreSQL
database without a host application): a host application's ${w.table} is never written.
${DATABASE_USAGE}
Exit codes: 0 done, 2 usage error, ${w.table} belongs to a host application, no database (list) or database error,
5 the database connection was lost (run it again).`,
    options: { format: { type: 'string', short: 'f', default: 'text' }, ...DATABASE_OPTIONS },
    run(args, io) {
      const { sub, rest } = subCommandOf(args);
      if (sub === 'add') {
        checkNames(kind, rest);
        return withCliDatabase(args, io, (db) => add(db, kind, rest, io));
      }
      const format = listFormatOf(args);
      if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
      return withCliDatabase(args, io, async (db) => {
        const rows: HostRow[] = await listHostRows(db, kind);
        io.stdout(format === 'json'
          ? `${JSON.stringify({ [w.key]: rows }, null, 2)}\n`
          : formatRows(['id', 'name'], rows.map((r) => [String(r.id), r.name ?? '-']), `No ${w.plural} yet: add one with \`phasectl ${w.command} add ${w.example}\`.`));
        return EXIT.ok;
      }, { mustExist: true });
    },
  };
}
