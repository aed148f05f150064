/** The live state of instances: every phase and activity, for `phasectl status` and the editor. */
import type { Queryable } from './database';
import { TS_FORMAT } from './transitions/load';

// As every time phasectl prints: ISO 8601 with microseconds and the zone (the columns hold UTC).
const ISO = `${TS_FORMAT}"Z"`;

/** One activity's state. */
export interface ActivityStatusRow {
  readonly name: string;
  readonly type: string;
  readonly status: string;
  readonly required: boolean;
}

/** One phase's state. */
export interface PhaseStatusRow {
  readonly name: string;
  readonly order: number;
  readonly status: string;
  readonly risk_level: string | null;
  readonly started_at: string | null;
  readonly completed_at: string | null;
  readonly activities: readonly ActivityStatusRow[];
}

/** One instance's state: `workflow` is null for rows no sync created (e.g. a legacy import). */
export interface InstanceStatus {
  readonly cycle: string;
  readonly report: string;
  readonly cycle_id: number;
  readonly report_id: number;
  readonly workflow: string | null;
  readonly phases: readonly PhaseStatusRow[];
}

/** A filter value that names no cycle or report. */
export interface UnknownFilter {
  readonly kind: 'cycle' | 'report';
  readonly value: string;
}


// A name first, then an id written as digits.
const FIND = {
  cycle: 'SELECT cycle_id AS id FROM test_cycles WHERE cycle_name = $1 OR cycle_id::text = $1 ORDER BY (cycle_name = $1) DESC LIMIT 1',
  report: 'SELECT id FROM reports WHERE report_name = $1 OR id::text = $1 ORDER BY (report_name = $1) DESC LIMIT 1',
};

async function filterId(q: Queryable, kind: 'cycle' | 'report', value: string | undefined): Promise<number | null | UnknownFilter> {
  if (value === undefined) return null;
  const r = await q.query<{ id: number }>(FIND[kind], [value]);
  return r.rows[0]?.id ?? { kind, value };
}

/** Reads the state of every instance, or of those matching `cycle` / `report` (id or name). */
export async function readStatus(q: Queryable, filter: { cycle?: string; report?: string } = {}): Promise<{ instances: InstanceStatus[]; unknown: UnknownFilter[] }> {
  const cycle = await filterId(q, 'cycle', filter.cycle);
  const report = await filterId(q, 'report', filter.report);
  const unknown = [cycle, report].filter((x): x is UnknownFilter => typeof x === 'object' && x !== null);
  if (unknown.length > 0) return { instances: [], unknown };
  const phases = await q.query<{
    cycle_id: number; report_id: number; cycle_name: string; report_name: string; workflow_name: string | null;
    phase_id: number; phase_name: string; phase_order: number; status: string; risk_level: string | null; started_at: string | null; completed_at: string | null;
  }>(
    `SELECT p.cycle_id, p.report_id, c.cycle_name, r.report_name, i.workflow_name,
            p.phase_id, p.phase_name, p.phase_order, p.status, p.risk_level,
            to_char(p.started_at, '${ISO}') AS started_at, to_char(p.completed_at, '${ISO}') AS completed_at
     FROM workflow_phases p
     JOIN test_cycles c ON c.cycle_id = p.cycle_id
     JOIN reports r ON r.id = p.report_id
     LEFT JOIN workflow_instances i ON i.cycle_id = p.cycle_id AND i.report_id = p.report_id
     WHERE ($1::int IS NULL OR p.cycle_id = $1) AND ($2::int IS NULL OR p.report_id = $2)
     ORDER BY c.cycle_name, r.report_name, p.phase_order, p.phase_id`,
    [cycle, report],
  );
  const activities = await q.query<{ phase_id: number; activity_name: string; activity_type: string; status: string; required: boolean }>(
    `SELECT a.phase_id, a.activity_name, a.activity_type, a.status, a.required
     FROM workflow_activities a JOIN workflow_phases p ON p.phase_id = a.phase_id
     WHERE ($1::int IS NULL OR p.cycle_id = $1) AND ($2::int IS NULL OR p.report_id = $2)
     ORDER BY a.phase_id, a.activity_order, a.activity_id`,
    [cycle, report],
  );
  const byPhase = new Map<number, ActivityStatusRow[]>();
  for (const a of activities.rows) {
    const list = byPhase.get(a.phase_id) ?? [];
    byPhase.set(a.phase_id, list);
    list.push({ name: a.activity_name, type: a.activity_type, status: a.status, required: a.required });
  }
  const instances: InstanceStatus[] = [];
  const byKey = new Map<string, PhaseStatusRow[]>();
  for (const p of phases.rows) {
    const k = `${p.cycle_id}/${p.report_id}`;
    let list = byKey.get(k);
    if (!list) {
      byKey.set(k, (list = []));
      instances.push({ cycle: p.cycle_name, report: p.report_name, cycle_id: p.cycle_id, report_id: p.report_id, workflow: p.workflow_name, phases: list });
    }
    list.push({
      name: p.phase_name, order: p.phase_order, status: p.status, risk_level: p.risk_level,
      started_at: p.started_at, completed_at: p.completed_at, activities: byPhase.get(p.phase_id) ?? [],
    });
  }
  return { instances, unknown: [] };
}
