/**
 * Who acts in the editor: the `user` setting (a `users` id, email or name), else the
 * workspace's `git config user.email` when it names a user, else nobody.
 */
import type { Actor } from '../../core/index';
import type { ActingUser } from '../../../schemas/lsp-protocol';
import type { Database } from '../database';
import { resolveActor } from '../transitions/index';

/** The user as shown to the editor, and the actor the rules engine checks. */
export interface ActingUserResult {
  readonly user: ActingUser;
  readonly actor: Actor;
}

async function nobody(db: Database, problem: string | undefined): Promise<ActingUserResult> {
  const { actor } = await resolveActor(db, null);
  return { user: { id: null, name: actor!.name, role: null, source: 'none', ...(problem ? { problem } : {}) }, actor: actor! };
}

/** Resolves the acting user; never throws for a user that does not exist (it says why in `problem`). */
export async function resolveActingUser(db: Database, setting: string, gitEmail: string | null): Promise<ActingUserResult> {
  if (setting !== '') {
    const found = await resolveActor(db, setting);
    if (found.actor) return { user: { id: found.actor.id, name: found.actor.name, role: found.actor.role, source: 'setting' }, actor: found.actor };
    const fallback = await nobody(db, `workflowPhases.user: ${found.error}`);
    return { user: { ...fallback.user, name: setting, source: 'setting' }, actor: fallback.actor };
  }
  if (gitEmail !== null) {
    const found = await resolveActor(db, gitEmail);
    if (found.actor) return { user: { id: found.actor.id, name: found.actor.name, role: found.actor.role, source: 'git' }, actor: found.actor };
    return nobody(db, `git config user.email is '${gitEmail}', which names no user (${found.error}); set workflowPhases.user`);
  }
  return nobody(db, 'no acting user: set workflowPhases.user (a users id, email or name) or git config user.email');
}
