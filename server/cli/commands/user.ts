/** `phasectl user add|list`: the users of a standalone database (`--as` names one of them). */
import { isMember, ROLES } from '../../core/index';
import { createUser, HOST_NAME_MAX, listUsers } from '../../db/host-rows';
import { EXIT, UsageError } from '../command';
import type { Command } from '../command';
import { DATABASE_OPTIONS, DATABASE_USAGE, withCliDatabase } from '../database-option';
import { formatRows, listFormatOf, requireStandalone, subCommandOf } from '../host-row-command';

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

function checkLength(what: string, value: string | null): void {
  if (value !== null && value.length > HOST_NAME_MAX) throw new UsageError(`the ${what} is ${value.length} characters long; users holds at most ${HOST_NAME_MAX}`);
}

/** The command. */
export const userCommand: Command = {
  name: 'user',
  summary: "Add or list users (standalone databases; a host application's users is only read)",
  usage: `Usage: phasectl user add [<email>] [--email EMAIL] [--name NAME] [--role ROLE] [--db <target>]
       phasectl user list [--format text|json] [--db <target>]

add creates a user (an email, a name, or both) unless one with that email exists. The
role decides which activities the user may move: ${Object.keys(ROLES).join(', ')}.
\`--as\` and $PHASECTL_USER name a user by id, email or name.
Only where Workflow Phases created the users table itself: a host application's users is never written.
${DATABASE_USAGE}
Exit codes: 0 done, 2 usage error, users belongs to a host application, no database (list) or database error,
5 the database connection was lost (run it again).`,
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, format: { type: 'string', short: 'f', default: 'text' }, ...DATABASE_OPTIONS },
  run(args, io) {
    const { sub, rest } = subCommandOf(args);
    if (sub === 'list') {
      const format = listFormatOf(args);
      if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
      return withCliDatabase(args, io, async (db) => {
        const users = await listUsers(db);
        io.stdout(format === 'json'
          ? `${JSON.stringify({ users }, null, 2)}\n`
          : formatRows(['id', 'email', 'name', 'role'], users.map((u) => [String(u.id), u.email ?? '-', u.name ?? '-', u.role ?? '-']), 'No users yet: add one with `phasectl user add ana@example.com --name "Ana Tester" --role tester`.'));
        return EXIT.ok;
      }, { mustExist: true });
    }
    if (rest.length > 1) throw new UsageError(`unexpected argument '${rest[1]}'`);
    const given = text(args.values.email);
    if (rest[0] !== undefined && given !== null && rest[0] !== given) throw new UsageError('give the email once: as an argument or with --email');
    const email = text(rest[0]) ?? given;
    const name = text(args.values.name);
    const role = text(args.values.role);
    if (email === null && name === null) throw new UsageError('give an email, a name (--name), or both');
    if (role !== null && !isMember(ROLES, role)) throw new UsageError(`unknown role '${role}' (use ${Object.keys(ROLES).join(', ')})`);
    checkLength('email', email);
    checkLength('name', name);
    return withCliDatabase(args, io, async (db) => {
      await requireStandalone(db);
      const result = await createUser(db, { email, name, role });
      const who = [email, name === null ? null : `"${name}"`].filter(Boolean).join(' ');
      io.stdout(result.created
        ? `created user ${who}${role ? ` (${role})` : ''} (id ${result.id}); act as them with --as ${email ?? result.id}\n`
        : `a user with email ${email} already exists (id ${result.id}): left as it is\n`);
      return EXIT.ok;
    });
  },
};
