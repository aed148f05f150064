/** Reads an instance's transition history, oldest first. */
import type { Database } from '../database';
import { hostColumns } from './host-tables';
import type { InstanceKey } from './instance';
import { TS_FORMAT } from './load';

/** One history row, with the actor's display name when known. */
export interface HistoryEntry {
  readonly id: number;
  readonly at: string;
  readonly entity: 'phase' | 'activity';
  readonly phase: string;
  readonly activity: string | null;
  readonly from: string | null;
  readonly to: string;
  readonly actorId: number | null;
  readonly actor: string | null;
  readonly reason: string | null;
  readonly source: string;
}

interface Row {
  history_id: number;
  at: string;
  entity: 'phase' | 'activity';
  phase_name: string;
  activity_name: string | null;
  from_status: string | null;
  to_status: string;
  actor_id: number | null;
  actor: string | null;
  reason: string | null;
  source: string;
}

/** The history of one instance, oldest first; `limit` keeps only the latest rows. */
export async function readHistory(db: Database, key: InstanceKey, options: { limit?: number } = {}): Promise<HistoryEntry[]> {
  const users = (await hostColumns(db)).users;
  const label = users.email && users.name ? 'COALESCE(u.email, u.name)' : users.email ? 'u.email' : users.name ? 'u.name' : 'NULL';
  const { rows } = await db.query<Row>(
    `SELECT * FROM (
       SELECT h.history_id, to_char(h.at, '${TS_FORMAT}') AS at, h.entity, h.phase_name, h.activity_name, h.from_status, h.to_status,
              h.actor_id, ${label} AS actor, h.reason, h.source
         FROM workflow_transition_history h LEFT JOIN users u ON u.user_id = h.actor_id
        WHERE h.cycle_id = $1 AND h.report_id = $2
        ORDER BY h.history_id DESC LIMIT $3) AS latest
     ORDER BY history_id`,
    [key.cycleId, key.reportId, options.limit ?? 1_000_000],
  );
  return rows.map((r) => ({
    id: r.history_id,
    at: r.at,
    entity: r.entity,
    phase: r.phase_name,
    activity: r.activity_name,
    from: r.from_status,
    to: r.to_status,
    actorId: r.actor_id,
    actor: r.actor,
    reason: r.reason,
    source: r.source,
  }));
}
