/** What-if on a database, nothing written: explanations and the allowed transitions of one instance. */
import { allowed, explain } from '../../core/index';
import type { Actor, AllowedTransition, Explanation, InstanceSnapshot, Transition } from '../../core/index';
import type { Database } from '../database';
import { noInstanceExplanation } from './execute';
import { hostColumns } from './host-tables';
import type { InstanceKey } from './instance';
import { loadInstance, withUserNames } from './load';

/** An instance as it stands (with user names for messages); null when it has no phase rows. */
export interface InstanceView {
  readonly snapshot: InstanceSnapshot;
  /** False when no synced definition is recorded for it: default rules apply. */
  readonly hasDefinition: boolean;
}

/** Reads an instance without locking it, with display names for the users it mentions. */
export async function viewInstance(db: Database, instance: InstanceKey): Promise<InstanceView | null> {
  const loaded = await loadInstance(db, instance, { lock: false });
  if (!loaded) return null;
  return { snapshot: await withUserNames(db, loaded.snapshot, (await hostColumns(db)).users), hasDefinition: loaded.hasDefinition };
}

/** Explains each of `transitions` on the instance as it stands now. Writes nothing. */
export async function explainOnDatabase(db: Database, instance: InstanceKey, transitions: readonly Transition[], actor: Actor): Promise<Explanation[]> {
  const view = await viewInstance(db, instance);
  return transitions.map((t) => (view ? explain(view.snapshot, t, actor) : noInstanceExplanation(t, instance)));
}

/** The transitions `actor` may make on the instance now (empty when it has no phases). Writes nothing. */
export async function allowedOnDatabase(db: Database, instance: InstanceKey, actor: Actor): Promise<AllowedTransition[]> {
  const view = await viewInstance(db, instance);
  return view ? allowed(view.snapshot, actor) : [];
}
