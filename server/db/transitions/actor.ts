/** The acting user: a `users` row found by id, email or name. */
import type { Actor } from '../../core/index';
import type { Database } from '../database';
import { hostColumns } from './host-tables';
import { idOf } from './instance';

/** An actor, or why none could be found. */
export type ActorLookup = { readonly actor: Actor; readonly error?: undefined } | { readonly actor?: undefined; readonly error: string };

interface UserRow {
  user_id: number;
  email?: string | null;
  name?: string | null;
  role?: string | null;
}

/**
 * Finds the user `who` names (a numeric `user_id`, an email, or a name; email and
 * name ignore case). `who` null or empty: nobody known (role rules then fail where
 * they apply). Never throws for a user that does not exist: returns `error`.
 */
export async function resolveActor(db: Database, who: string | number | null | undefined): Promise<ActorLookup> {
  const columns = (await hostColumns(db)).users;
  const rolesChecked = columns.role;
  if (who === null || who === undefined || String(who).trim() === '') {
    // A fresh embedded database has no users at all: nobody could ever hold a role there.
    const { rows } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM users) AS any');
    if (rolesChecked && !rows[0]?.any) {
      return { actor: { id: null, name: 'nobody (no acting user given)', role: null, rolesChecked: false, uncheckedReason: 'the users table is empty' } };
    }
    return { actor: { id: null, name: 'nobody (no acting user given)', role: null, rolesChecked } };
  }
  const text = String(who).trim();
  const select = ['user_id', columns.email ? 'email' : null, columns.name ? 'name' : null, columns.role ? 'role' : null].filter(Boolean).join(', ');
  const params: unknown[] = [];
  const where: string[] = [];
  const id = idOf(text);
  if (id !== null) where.push(`user_id = $${params.push(id)}::int`);
  if (columns.email || columns.name) {
    const n = params.push(text);
    if (columns.email) where.push(`lower(email) = lower($${n})`);
    if (columns.name) where.push(`lower(name) = lower($${n})`);
  }
  const { rows } = await db.query<UserRow>(
    `SELECT ${select} FROM users WHERE ${where.length > 0 ? where.join(' OR ') : 'false'} ORDER BY user_id LIMIT 3`,
    params,
  );
  const by = ['user_id', columns.email ? 'email' : '', columns.name ? 'name' : ''].filter(Boolean).join(', ');
  if (rows.length === 0) return { error: `no user '${text}' in users (looked up by ${by})` };
  const exact = rows.find((r) => String(r.user_id) === text) ?? (rows.length === 1 ? rows[0] : undefined);
  if (!exact) return { error: `'${text}' matches ${rows.length} users (${rows.map((r) => r.user_id).join(', ')}): give the user id or email` };
  return {
    actor: {
      id: exact.user_id,
      name: exact.email ?? exact.name ?? `user ${exact.user_id}`,
      role: exact.role ?? null,
      rolesChecked,
    },
  };
}
