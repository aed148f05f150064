/**
 * Activity orders are unique per phase, on both backends: a partial sync that keeps a
 * refused activity shifts the ones after it instead of doubling an order, the database
 * refuses a duplicate yet lets one statement swap two orders (sync's bulk reorder), and
 * the migration that adds the constraint renumbers the duplicates older syncs left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResolvedActivity, ResolvedWorkflow } from '../../server/core/index';
import type { Database, Queryable } from '../../server/db/database';
import { MIGRATIONS } from '../../server/db/migrations/generated-sql';
import { migrate } from '../../server/db/migrations/migrate';
import { syncWorkflows } from '../../server/db/sync/sync';
import { describeEachBackend } from './helpers/backends';
import { rowVersions } from './helpers/db-tools';
import { smallWorkflow } from './helpers/workflows';

const UNIQUE_ORDER = MIGRATIONS.find((m) => m.name === 'unique-activity-order')!;

/** The workflow for one instance (2026-Q4 / FR-Y-14Q), every phase START, task_1, task_2, COMPLETE. */
const twoTasks = (): ResolvedWorkflow => ({ ...smallWorkflow('orders', 2), appliesTo: [{ cycle: '2026-Q4', reports: ['FR-Y-14Q'] }] });

/** `w` with the activities of `phase` listed as `names` (list position is the order), optionally retyped. */
function listed(w: ResolvedWorkflow, phase: string, names: readonly string[], types: Readonly<Record<string, ResolvedActivity['type']>> = {}): ResolvedWorkflow {
  return {
    ...w,
    phases: w.phases.map((p) => {
      if (p.name !== phase) return p;
      const byName = new Map(p.activities.map((a) => [a.name, a]));
      return { ...p, activities: names.map((name, i) => ({ ...byName.get(name)!, type: types[name] ?? byName.get(name)!.type, order: i + 1 })) };
    }),
  };
}

/** `db` migrated with `migrations` only (an older database: a new embedded folder comes migrated, so it starts empty), with one cycle and report. */
async function migratedWithHost(db: Database, migrations = MIGRATIONS): Promise<Database> {
  if (migrations !== MIGRATIONS) await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await migrate(db, migrations);
  await db.query("INSERT INTO test_cycles (cycle_name) VALUES ('2026-Q4')");
  await db.query("INSERT INTO reports (report_name) VALUES ('FR-Y-14Q')");
  return db;
}

/** `name:order:status` of a phase's activities, by order then id. */
async function orders(db: Queryable, phase: string): Promise<string[]> {
  const rows = await db.query<{ activity_name: string; activity_order: number; status: string }>(
    `SELECT a.activity_name, a.activity_order, a.status FROM workflow_activities a JOIN workflow_phases p USING (phase_id)
      WHERE p.phase_name = $1 ORDER BY a.activity_order, a.activity_id`,
    [phase],
  );
  return rows.rows.map((r) => `${r.activity_name}:${r.activity_order}:${r.status}`);
}

async function duplicateOrders(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM (SELECT phase_id, activity_order FROM workflow_activities GROUP BY 1, 2 HAVING count(*) > 1) d',
  );
  return rows.rows[0]!.n;
}

async function setStatus(db: Queryable, phase: string, activity: string, status: string): Promise<void> {
  await db.query(
    'UPDATE workflow_activities SET status = $3 WHERE activity_name = $2 AND phase_id = (SELECT phase_id FROM workflow_phases WHERE phase_name = $1)',
    [phase, activity, status],
  );
}

describeEachBackend('activity orders', (backend) => {
  void test('sync --allow-partial after removing an in-progress activity: it keeps its place, the ones after it shift', async () => {
    const db = await migratedWithHost(await backend.freshDatabase());
    await syncWorkflows(db, [{ workflow: twoTasks(), sourcePath: null }]);
    await setStatus(db, 'planning', 'task_1', 'IN_PROGRESS');
    const without = listed(twoTasks(), 'planning', ['start_planning', 'task_2', 'complete_planning']);

    const partial = await syncWorkflows(db, [{ workflow: without, sourcePath: null }], { allowPartial: true });
    assert.equal(partial.applied, true);
    assert.equal(partial.plan.summary.refused, 1);
    assert.deepEqual(await orders(db, 'planning'), ['start_planning:1:NOT_STARTED', 'task_1:2:IN_PROGRESS', 'task_2:3:NOT_STARTED', 'complete_planning:4:NOT_STARTED']);
    assert.equal(await duplicateOrders(db), 0);

    // The next sync plans the same places: the refusal again, and nothing to move.
    const again = await syncWorkflows(db, [{ workflow: without, sourcePath: null }], { allowPartial: true });
    assert.deepEqual(again.plan.summary, { create: 0, update: 0, delete: 0, refused: 1 });

    // A new activity where the kept one was goes after it, and so does everything behind.
    const added = listed(
      { ...without, phases: without.phases.map((p) => (p.name === 'planning' ? { ...p, activities: [...p.activities, { ...p.activities[1]!, name: 'task_3' }] } : p)) },
      'planning',
      ['start_planning', 'task_3', 'task_2', 'complete_planning'],
    );
    await syncWorkflows(db, [{ workflow: added, sourcePath: null }], { allowPartial: true });
    assert.deepEqual(await orders(db, 'planning'), [
      'start_planning:1:NOT_STARTED', 'task_1:2:IN_PROGRESS', 'task_3:3:NOT_STARTED', 'task_2:4:NOT_STARTED', 'complete_planning:5:NOT_STARTED',
    ]);
    assert.equal(await duplicateOrders(db), 0);
  });

  void test('sync --allow-partial with a started activity that cannot be retyped: it keeps its order, the others move around it', async () => {
    const db = await migratedWithHost(await backend.freshDatabase());
    await syncWorkflows(db, [{ workflow: twoTasks(), sourcePath: null }]);
    await setStatus(db, 'scoping', 'task_1', 'COMPLETED');
    // task_1 retyped (refused: it is COMPLETED) and listed after task_2, which would take its order 2.
    const moved = listed(twoTasks(), 'scoping', ['start_scoping', 'task_2', 'task_1', 'complete_scoping'], { task_1: 'REVIEW' });
    const partial = await syncWorkflows(db, [{ workflow: moved, sourcePath: null }], { allowPartial: true });
    assert.equal(partial.applied, true);
    assert.deepEqual(partial.plan.instances[0]!.refused.map((r) => `${r.reason} ${r.activity}`), ['retype-started-activity task_1']);
    assert.deepEqual(await orders(db, 'scoping'), ['start_scoping:1:NOT_STARTED', 'task_1:2:COMPLETED', 'task_2:3:NOT_STARTED', 'complete_scoping:4:NOT_STARTED']);
    assert.equal(await duplicateOrders(db), 0);
  });

  void test('a sync that swaps two activities writes them in one statement under the unique order', async () => {
    const db = await migratedWithHost(await backend.freshDatabase());
    await syncWorkflows(db, [{ workflow: twoTasks(), sourcePath: null }]);
    const swapped = listed(twoTasks(), 'planning', ['start_planning', 'task_2', 'task_1', 'complete_planning']);
    const result = await syncWorkflows(db, [{ workflow: swapped, sourcePath: null }]);
    assert.equal(result.applied, true);
    assert.deepEqual(result.plan.summary, { create: 0, update: 2, delete: 0, refused: 0 });
    assert.deepEqual(await orders(db, 'planning'), ['start_planning:1:NOT_STARTED', 'task_2:2:NOT_STARTED', 'task_1:3:NOT_STARTED', 'complete_planning:4:NOT_STARTED']);
  });

  void test('the database refuses a second activity with the same order in a phase, and lets one statement swap two', async () => {
    const db = await migratedWithHost(await backend.freshDatabase());
    await syncWorkflows(db, [{ workflow: twoTasks(), sourcePath: null }]);
    const planning = (await db.query<{ phase_id: number }>("SELECT phase_id FROM workflow_phases WHERE phase_name = 'planning'")).rows[0]!.phase_id;
    await assert.rejects(
      db.query("INSERT INTO workflow_activities (phase_id, activity_name, activity_type, activity_order) VALUES ($1, 'late', 'TASK', 2)", [planning]),
      /workflow_activities_phase_order_key/,
    );
    await assert.rejects(db.query("UPDATE workflow_activities SET activity_order = 2 WHERE phase_id = $1 AND activity_name = 'task_2'", [planning]), /workflow_activities_phase_order_key/);
    await db.query(
      "UPDATE workflow_activities SET activity_order = CASE activity_name WHEN 'task_1' THEN 3 ELSE 2 END WHERE phase_id = $1 AND activity_name IN ('task_1', 'task_2')",
      [planning],
    );
    assert.deepEqual(await orders(db, 'planning'), ['start_planning:1:NOT_STARTED', 'task_2:2:NOT_STARTED', 'task_1:3:NOT_STARTED', 'complete_planning:4:NOT_STARTED']);
  });

  void test('the migration renumbers the duplicates an older sync left: the older row keeps its place, the ones after it shift', async () => {
    const db = await migratedWithHost(await backend.freshDatabase(), MIGRATIONS.filter((m) => m.version < UNIQUE_ORDER.version));
    await syncWorkflows(db, [{ workflow: twoTasks(), sourcePath: null }]);
    // What a partial sync used to leave: task_2 moved onto the order of the kept task_1.
    await db.query(`UPDATE workflow_activities SET activity_order = 2 WHERE activity_name = 'task_2' AND phase_id = (SELECT phase_id FROM workflow_phases WHERE phase_name = 'planning')`);
    await db.query(`UPDATE workflow_activities SET activity_order = 3 WHERE activity_name = 'complete_planning'`);
    // Gaps are kept where nothing collides.
    await db.query(
      `UPDATE workflow_activities a SET activity_order = CASE a.activity_name WHEN 'task_1' THEN 3 WHEN 'task_2' THEN 3 WHEN 'complete_scoping' THEN 7 ELSE 1 END
        FROM workflow_phases p WHERE p.phase_id = a.phase_id AND p.phase_name = 'scoping'`,
    );
    const older = async (phase: string) =>
      (await db.query<{ activity_name: string }>(
        `SELECT a.activity_name FROM workflow_activities a JOIN workflow_phases p USING (phase_id)
          WHERE p.phase_name = $1 AND a.activity_name IN ('task_1', 'task_2') ORDER BY a.activity_id LIMIT 1`,
        [phase],
      )).rows[0]!.activity_name;
    const [olderPlanning, olderScoping] = [await older('planning'), await older('scoping')];
    const younger = (name: string) => (name === 'task_1' ? 'task_2' : 'task_1');
    const untouched = (await rowVersions(db)).filter((v) => v.startsWith('workflow_activities'));
    assert.equal(await duplicateOrders(db), 2);

    const report = await migrate(db);
    assert.deepEqual(report.applied.map((m) => m.name), ['unique-activity-order']);
    assert.deepEqual(await orders(db, 'planning'), [
      'start_planning:1:NOT_STARTED', `${olderPlanning}:2:NOT_STARTED`, `${younger(olderPlanning)}:3:NOT_STARTED`, 'complete_planning:4:NOT_STARTED',
    ]);
    assert.deepEqual(await orders(db, 'scoping'), [
      'start_scoping:1:NOT_STARTED', `${olderScoping}:3:NOT_STARTED`, `${younger(olderScoping)}:4:NOT_STARTED`, 'complete_scoping:7:NOT_STARTED',
    ]);
    assert.equal(await duplicateOrders(db), 0);
    const now = new Set(await rowVersions(db));
    assert.equal(untouched.filter((v) => now.has(v)).length, untouched.length - 3, 'only the three renumbered rows were written');
  });
});
