/**
 * Migration 0004 on both backends: a database written before START became a marker (a
 * phase IN_PROGRESS or COMPLETED with its START activity NOT_STARTED or IN_PROGRESS) is
 * brought into line, with one history row per START completed, and its work can begin.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invariantViolations } from '../../server/core/index';
import { openDatabase } from '../../server/db/database';
import { MIGRATIONS } from '../../server/db/migrations/generated-sql';
import { migrate } from '../../server/db/migrations/migrate';
import { loadInstance, readHistory, resolveActor, runTransition } from '../../server/db/transitions/index';
import type { InstanceKey } from '../../server/db/transitions/index';
import { describeEachBackend } from '../db/helpers/backends';
import { seedInstances, seedUsers } from './helpers/seed';
import { WORKFLOW } from './workflow-fixture';

describeEachBackend('migration 0004: START markers', (backend) => {
  void test('in-progress phases with an open START activity: completed, one history row each, work can begin', async (t) => {
    // An embedded folder starts from the shipped, fully migrated template: in memory it starts blank.
    const db = backend.kind === 'embedded' ? await openDatabase({ kind: 'embedded', folder: null }) : await backend.freshDatabase();
    if (backend.kind === 'embedded') t.after(() => db.close());
    await migrate(db, MIGRATIONS.filter((m) => m.version < 4));
    const users = await seedUsers(db);
    const { cycleId, reportIds } = await seedInstances(db, WORKFLOW, '2026-Q4', ['A', 'B', 'C', 'D']);
    const key = (i: number): InstanceKey => ({ cycleId, reportId: reportIds[i]! });
    // As the engine left them before markers: A started by `phase start`, B through its START activity.
    const setPlanning = (i: number, phase: string, start: string) => db.query(
      `WITH p AS (UPDATE workflow_phases SET status = $3, started_at = '2026-11-26 09:00', started_by = $4
                   WHERE cycle_id = $1 AND report_id = $2 AND phase_name = 'planning' RETURNING phase_id)
       UPDATE workflow_activities SET status = $5::text, started_at = CASE WHEN $5::text = 'NOT_STARTED' THEN NULL ELSE TIMESTAMP '2026-11-26 09:00' END
        WHERE activity_type = 'START' AND phase_id = (SELECT phase_id FROM p)`,
      [cycleId, reportIds[i], phase, users.tester.id, start],
    );
    await setPlanning(0, 'IN_PROGRESS', 'NOT_STARTED');
    await setPlanning(1, 'IN_PROGRESS', 'IN_PROGRESS');
    await setPlanning(3, 'COMPLETED', 'COMPLETED');
    const tester = (await resolveActor(db, users.tester.email)).actor!;
    const work = { kind: 'activity', action: 'start', phase: 'planning', activity: 'load_attributes' } as const;
    const before = await runTransition(db, { instance: key(0), transition: work, actor: tester, source: 'test' });
    assert.equal(before.verdict, 'refused', 'the open marker blocks the work before the migration');
    assert.match(before.explanation.guards.find((g) => g.result === 'fail')!.message, /required activity `start_planning` is NOT_STARTED/);

    const report = await migrate(db);
    assert.ok(report.applied.some((m) => m.version === 4), JSON.stringify(report.applied));

    for (const [i, from] of [[0, 'NOT_STARTED'], [1, 'IN_PROGRESS']] as const) {
      const snapshot = (await loadInstance(db, key(i), { lock: false }))!.snapshot;
      assert.deepEqual(invariantViolations(snapshot), []);
      assert.equal(snapshot.phases[0]!.activities[0]!.status, 'COMPLETED');
      const history = await readHistory(db, key(i));
      assert.deepEqual(history.map((h) => [h.phase, h.activity, h.from, h.to, h.actorId, h.source, h.reason]), [
        ['planning', 'start_planning', from, 'COMPLETED', null, 'migration', 'START is a marker: completed with its phase (migration 0004)'],
      ]);
      const progress = await db.query<{ progress: unknown }>("SELECT phase_metadata->'progress' AS progress FROM workflow_phases WHERE cycle_id = $1 AND report_id = $2 AND phase_name = 'planning'", [cycleId, reportIds[i]]);
      assert.deepEqual(progress.rows[0]!.progress, { completed: 1, skipped: 0, total: 6 });
    }
    // Untouched: a NOT_STARTED instance, and one already in line.
    for (const i of [2, 3]) assert.deepEqual(await readHistory(db, key(i)), []);
    assert.equal((await loadInstance(db, key(2), { lock: false }))!.snapshot.phases[0]!.activities[0]!.status, 'NOT_STARTED');

    const after = await runTransition(db, { instance: key(0), transition: work, actor: tester, source: 'test' });
    assert.equal(after.verdict, 'allowed');
    assert.deepEqual((await migrate(db)).applied, [], 'a second run does nothing');
  });
});
