import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations/migrate';
import { CHANGES_CHANNEL } from '../../server/db/notifications';
import type { ChangeNotification } from '../../server/db/notifications';
import { parseChangeNotification } from '../../server/db/notifications';
import { describeEachBackend } from './helpers/backends';

/** Collects notifications; `settle()` waits until a marker sent last has come back, so all before it are in. */
async function collect(db: Database): Promise<{ seen: ChangeNotification[]; settle(): Promise<void>; stop(): Promise<void> }> {
  const seen: ChangeNotification[] = [];
  let marker: (() => void) | null = null;
  const stop = await db.listen(CHANGES_CHANNEL, (n) => {
    if (n.payload === 'marker') marker?.();
    else {
      const parsed = parseChangeNotification(n.payload);
      assert.ok(parsed, `unreadable payload ${n.payload}`);
      seen.push(parsed);
    }
  });
  return {
    seen,
    stop,
    async settle() {
      const done = new Promise<void>((resolve) => (marker = resolve));
      await db.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, 'marker']);
      await done;
    },
  };
}

describeEachBackend('change notifications', (backend) => {
  void test('one notification per changed row, one per instance for multi-row statements, none for no-op updates', async () => {
    const db = await backend.freshDatabase({ migrated: true });
    await migrate(db);
    await db.query("INSERT INTO test_cycles (cycle_name) VALUES ('Q1'), ('Q2')");
    await db.query("INSERT INTO reports (report_name) VALUES ('R1')");
    const listener = await collect(db);

    const one = await db.query<{ phase_id: number }>(
      "INSERT INTO workflow_phases (cycle_id, report_id, phase_name, phase_order) VALUES (1, 1, 'planning', 1) RETURNING phase_id",
    );
    const planning = one.rows[0]!.phase_id;
    await listener.settle();
    assert.deepEqual(listener.seen.splice(0), [
      { table: 'workflow_phases', op: 'INSERT', cycle_id: 1, report_id: 1, phase_id: planning, activity_id: null, status: 'NOT_STARTED', rows: 1 },
    ]);

    // Several rows across two instances in one statement: one notification per instance.
    await db.query(`INSERT INTO workflow_phases (cycle_id, report_id, phase_name, phase_order)
      VALUES (1, 1, 'scoping', 2), (1, 1, 'data_request', 3), (2, 1, 'planning', 1)`);
    await listener.settle();
    const multi = listener.seen.splice(0);
    assert.equal(multi.length, 2);
    assert.deepEqual(multi[0], { table: 'workflow_phases', op: 'INSERT', cycle_id: 1, report_id: 1, phase_id: null, activity_id: null, status: null, rows: 2 });
    assert.equal(multi[1]?.cycle_id, 2);
    assert.equal(multi[1]?.rows, 1);

    const act = await db.query<{ activity_id: number }>(
      "INSERT INTO workflow_activities (phase_id, activity_name, activity_type, activity_order) VALUES ($1, 'Start', 'START', 1) RETURNING activity_id",
      [planning],
    );
    await db.query("UPDATE workflow_activities SET status = 'IN_PROGRESS' WHERE activity_id = $1", [act.rows[0]!.activity_id]);
    // An update that matches no row sends nothing.
    await db.query("UPDATE workflow_activities SET status = 'COMPLETED' WHERE activity_id = -1");
    await listener.settle();
    assert.deepEqual(listener.seen.splice(0), [
      { table: 'workflow_activities', op: 'INSERT', cycle_id: 1, report_id: 1, phase_id: planning, activity_id: act.rows[0]!.activity_id, status: 'NOT_STARTED', rows: 1 },
      { table: 'workflow_activities', op: 'UPDATE', cycle_id: 1, report_id: 1, phase_id: planning, activity_id: act.rows[0]!.activity_id, status: 'IN_PROGRESS', rows: 1 },
    ]);

    // Notifications are transactional: a rolled-back change sends nothing.
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query("UPDATE workflow_phases SET status = 'IN_PROGRESS' WHERE phase_id = $1", [planning]);
        throw new Error('abort');
      }),
      /abort/,
    );
    await listener.settle();
    assert.deepEqual(listener.seen, []);
    await listener.stop();
  });
});
