import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { progressOf } from '../../server/core/index';
import type { ResolvedWorkflow } from '../../server/core/index';
import type { Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations/migrate';
import { CHANGES_CHANNEL } from '../../server/db/notifications';
import { syncWorkflows } from '../../server/db/sync/sync';
import { loadInstance, resolveActor, runTransition } from '../../server/db/transitions/index';
import { PROGRESS_KEY } from '../../server/db/transitions/write';
import { describeEachBackend } from './helpers/backends';
import { counting, counts, hooked, rowVersions } from './helpers/db-tools';
import { exampleWorkflow, smallWorkflow } from './helpers/workflows';

async function seedHost(db: Database): Promise<void> {
  await db.query("INSERT INTO test_cycles (cycle_name) VALUES ('2026-Q4'), ('2027-Q1')");
  await db.query("INSERT INTO reports (report_name) VALUES ('FR-Y-14Q'), ('FR-2052a'), ('CCAR')");
}

async function fresh(open: () => Promise<Database>): Promise<Database> {
  const db = await open();
  await migrate(db);
  await seedHost(db);
  return db;
}

const activityCount = (w: ResolvedWorkflow) => w.phases.reduce((n, p) => n + p.activities.length, 0);

function editActivities(w: ResolvedWorkflow, phase: string, edit: (a: ResolvedWorkflow['phases'][number]['activities']) => ResolvedWorkflow['phases'][number]['activities']): ResolvedWorkflow {
  return { ...w, phases: w.phases.map((p) => (p.name === phase ? { ...p, activities: edit(p.activities).map((a, i) => ({ ...a, order: i + 1 })) } : p)) };
}

describeEachBackend('sync', (backend) => {
  void test('a fresh sync creates every instance at once; an unchanged re-sync is one round trip and writes nothing', async () => {
    const db = await fresh(() => backend.freshDatabase({ migrated: true }));
    const workflow = exampleWorkflow();
    const first = await syncWorkflows(db, [{ workflow, sourcePath: 'examples/regulatory-testing.phases.yaml' }], { syncedBy: 'tester' });
    assert.equal(first.applied, true);
    const perInstance = 1 + 9 + activityCount(workflow);
    assert.deepEqual(first.plan.summary, { create: 2 * perInstance, update: 0, delete: 0, refused: 0 });
    assert.deepEqual(await counts(db), {
      workflow_instances: 2, workflow_phases: 18, workflow_activities: 2 * activityCount(workflow), workflow_definitions: 1, workflow_transition_history: 0,
    });
    const stored = await db.query<{ synced_by: string; definition: { name: string } }>('SELECT synced_by, definition FROM workflow_definitions');
    assert.equal(stored.rows[0]?.synced_by, 'tester');
    assert.equal(stored.rows[0]?.definition.name, 'regulatory-testing');

    const before = await rowVersions(db);
    const notes: string[] = [];
    const stop = await db.listen(CHANGES_CHANNEL, (n) => notes.push(n.payload));
    const counter = counting(db);
    const again = await syncWorkflows(counter.db, [{ workflow, sourcePath: 'examples/regulatory-testing.phases.yaml' }]);
    assert.equal(counter.count(), 1, 'an unchanged re-sync is one round trip');
    assert.deepEqual(again.unchanged, ['regulatory-testing']);
    assert.equal(again.applied, false);
    assert.deepEqual(await rowVersions(db), before, 'nothing was written');

    // Forced: every row compared, still nothing written and no notification.
    const forced = await syncWorkflows(db, [{ workflow, sourcePath: 'examples/regulatory-testing.phases.yaml' }], { force: true });
    assert.deepEqual(forced.plan.summary, { create: 0, update: 0, delete: 0, refused: 0 });
    assert.deepEqual(await rowVersions(db), before, 'nothing was written');
    await db.query("SELECT pg_notify($1, 'end')", [CHANGES_CHANNEL]);
    for (let i = 0; i < 100 && !notes.includes('end'); i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(notes, ['end']);
    await stop();
  });

  void test('edits: adds, updates and deletes only what changed', async () => {
    const db = await fresh(() => backend.freshDatabase({ migrated: true }));
    const before = { ...smallWorkflow('edits', 2), appliesTo: [{ cycle: '2026-Q4', reports: ['CCAR'] }] };
    await syncWorkflows(db, [{ workflow: before, sourcePath: null }]);
    const versions = await rowVersions(db);
    let after = editActivities(before, 'scoping', (acts) => [acts[0]!, { ...acts[1]!, role: 'data_owner' }, acts[3]!]);
    after = editActivities(after, 'planning', (acts) => [acts[0]!, acts[1]!, { name: 'extra', type: 'REVIEW', order: 0, role: 'test_executive', required: false, description: 'added' }, acts[2]!, acts[3]!]);
    after = { ...after, phases: after.phases.map((p) => (p.name === 'test_report' ? { ...p, riskLevel: 'high' } : p)) };
    const result = await syncWorkflows(db, [{ workflow: after, sourcePath: null }]);
    assert.equal(result.applied, true);
    assert.deepEqual(result.plan.summary, { create: 1, update: 5, delete: 1, refused: 0 });
    const rows = await db.query<{ phase_name: string; activity_name: string; activity_order: number; role: string | null }>(
      `SELECT p.phase_name, a.activity_name, a.activity_order, a.role FROM workflow_activities a JOIN workflow_phases p USING (phase_id)
       WHERE p.phase_name IN ('planning', 'scoping') ORDER BY p.phase_order, a.activity_order`,
    );
    assert.deepEqual(rows.rows.map((r) => `${r.phase_name}.${r.activity_order}.${r.activity_name}.${r.role}`), [
      'planning.1.start_planning.null', 'planning.2.task_1.tester', 'planning.3.extra.test_executive', 'planning.4.task_2.tester', 'planning.5.complete_planning.null',
      'scoping.1.start_scoping.null', 'scoping.2.task_1.data_owner', 'scoping.3.complete_scoping.null',
    ]);
    const risk = await db.query<{ risk_level: string; meta: { definition: { title: string } } }>("SELECT risk_level, phase_metadata AS meta FROM workflow_phases WHERE phase_name = 'test_report'");
    assert.equal(risk.rows[0]?.risk_level, 'high');
    assert.equal(risk.rows[0]?.meta.definition.title, 'Test Report Generation');
    // Rows the edit did not touch kept their version.
    const now = new Set(await rowVersions(db));
    const kept = versions.filter((v) => now.has(v) && v.startsWith('workflow_activities')).length;
    assert.equal(kept, 9 * 4 - 5, 'all activities but the 4 updated (2 reordered per phase) and the deleted one keep their row version');
  });

  void test("phase_metadata: the file's metadata at the top level, keys sync did not write are kept", async () => {
    const db = await fresh(() => backend.freshDatabase({ migrated: true }));
    const withMeta = (metadata: Record<string, unknown>) => ({
      ...smallWorkflow('meta', 1, (p) => (p.name === 'planning' ? { ...p, metadata } : p)),
      appliesTo: [{ cycle: '2026-Q4', reports: ['CCAR'] }],
    });
    await syncWorkflows(db, [{ workflow: withMeta({ owner: 'a', region: 'eu' }), sourcePath: null }]);
    const read = async () =>
      (await db.query<{ m: Record<string, unknown> }>("SELECT phase_metadata AS m FROM workflow_phases WHERE phase_name = 'planning'")).rows[0]!.m;
    const first = await read();
    assert.equal(first.owner, 'a');
    assert.equal(first.region, 'eu');
    // A legacy import (or the host application) adds its own key.
    await db.query(`UPDATE workflow_phases SET phase_metadata = (phase_metadata::jsonb || '{"legacy_score": 7}')::json WHERE phase_name = 'planning'`);
    const result = await syncWorkflows(db, [{ workflow: withMeta({ owner: 'b' }), sourcePath: null }]);
    assert.deepEqual(result.plan.summary, { create: 0, update: 1, delete: 0, refused: 0 });
    const after = await read();
    assert.equal(after.owner, 'b');
    assert.equal(after.legacy_score, 7);
    assert.equal('region' in after, false);
    assert.deepEqual((after.definition as { metadata: unknown }).metadata, { owner: 'b' });
  });

  void test('progress in phase_metadata: written for created phases, recounted when sync adds or deletes activities, as the transitions engine writes it', async () => {
    const db = await fresh(() => backend.freshDatabase({ migrated: true }));
    const before = { ...smallWorkflow('progress', 2), appliesTo: [{ cycle: '2026-Q4', reports: ['CCAR'] }] };
    await syncWorkflows(db, [{ workflow: before, sourcePath: null }]);
    const key = { cycleId: 1, reportId: 3 };
    const stored = async () => new Map(
      (await db.query<{ phase_name: string; m: Record<string, unknown> }>('SELECT phase_name, phase_metadata AS m FROM workflow_phases WHERE cycle_id = $1 AND report_id = $2', [key.cycleId, key.reportId]))
        .rows.map((r) => [r.phase_name, r.m[PROGRESS_KEY]]),
    );
    // What the transitions engine counts for the stored rows.
    const expected = async () => new Map((await loadInstance(db, key, { lock: false }))!.snapshot.phases.map((p) => [p.name, progressOf(p)]));
    assert.deepEqual(await stored(), await expected());
    assert.deepEqual((await stored()).get('planning'), { completed: 0, skipped: 0, total: 4 });

    // The engine moves planning along (and writes its own progress), then the definition changes.
    const { actor } = await resolveActor(db, null);
    // Starting the phase completes its START activity.
    assert.equal((await runTransition(db, { instance: key, transition: { kind: 'phase', action: 'start', phase: 'planning' }, actor: actor!, source: 'test' })).verdict, 'allowed');
    assert.deepEqual((await stored()).get('planning'), { completed: 1, skipped: 0, total: 4 });
    const versions = await rowVersions(db);
    let after = editActivities(before, 'planning', (acts) => [acts[0]!, acts[1]!, { name: 'extra', type: 'TASK', order: 0, role: 'tester', required: false, description: null }, { name: 'more', type: 'TASK', order: 0, role: 'tester', required: true, description: null }, acts[3]!]);
    after = editActivities(after, 'scoping', (acts) => [acts[0]!, acts[1]!, acts[3]!]);
    after = editActivities(after, 'test_report', (acts) => [acts[0]!, { ...acts[1]!, description: 'only described' }, acts[2]!, acts[3]!]);
    const result = await syncWorkflows(db, [{ workflow: after, sourcePath: null }]);
    assert.equal(result.applied, true);
    assert.deepEqual(result.plan.summary, { create: 2, update: 3, delete: 2, refused: 0 });
    const now = await stored();
    assert.deepEqual(now, await expected());
    assert.deepEqual(now.get('planning'), { completed: 1, skipped: 0, total: 5 });
    assert.deepEqual(now.get('scoping'), { completed: 0, skipped: 0, total: 3 });
    // A phase whose activity counts did not move (test_report: a description changed) is not written.
    const phaseVersions = async () => (await rowVersions(db)).filter((v) => v.startsWith('workflow_phases'));
    const kept = new Set(await phaseVersions());
    assert.equal(versions.filter((v) => v.startsWith('workflow_phases') && kept.has(v)).length, 9 - 2, 'only planning and scoping were written');

    // The next transition on planning starts from the recounted progress.
    assert.equal((await runTransition(db, { instance: key, transition: { kind: 'activity', action: 'start', phase: 'planning', activity: 'task_1' }, actor: actor!, source: 'test' })).verdict, 'allowed');
    assert.equal((await runTransition(db, { instance: key, transition: { kind: 'activity', action: 'complete', phase: 'planning', activity: 'task_1' }, actor: actor!, source: 'test' })).verdict, 'allowed');
    assert.deepEqual((await stored()).get('planning'), { completed: 2, skipped: 0, total: 5 });
  });

  void test('refusals write nothing; --allow-partial writes the rest and keeps the refused rows', async () => {
    const db = await fresh(() => backend.freshDatabase({ migrated: true }));
    const before = { ...smallWorkflow('refusals', 2), appliesTo: [{ cycle: '2026-Q4', reports: ['FR-Y-14Q'] }] };
    await syncWorkflows(db, [{ workflow: before, sourcePath: null }]);
    await db.query("UPDATE workflow_activities SET status = 'IN_PROGRESS' WHERE activity_name = 'task_1' AND phase_id = (SELECT phase_id FROM workflow_phases WHERE phase_name = 'planning')");
    const after = editActivities(editActivities(before, 'planning', (acts) => acts.filter((a) => a.name !== 'task_1')), 'scoping', (acts) => acts.filter((a) => a.name !== 'task_1'));
    const versions = await rowVersions(db);

    const refused = await syncWorkflows(db, [{ workflow: after, sourcePath: null }]);
    assert.equal(refused.applied, false);
    assert.equal(refused.plan.summary.refused, 1);
    assert.match(refused.plan.instances[0]!.refused[0]!.message, /activity 'task_1' of phase 'planning' \(activity_id \d+\) is IN_PROGRESS: removing it would lose its progress/);
    assert.deepEqual(await rowVersions(db), versions, 'nothing was written');

    const partial = await syncWorkflows(db, [{ workflow: after, sourcePath: null }], { allowPartial: true });
    assert.equal(partial.applied, true);
    const names = await db.query<{ phase_name: string; activity_name: string; status: string }>(
      "SELECT p.phase_name, a.activity_name, a.status FROM workflow_activities a JOIN workflow_phases p USING (phase_id) WHERE a.activity_name = 'task_1' ORDER BY p.phase_order",
    );
    assert.deepEqual(names.rows.map((r) => `${r.phase_name}:${r.status}`).slice(0, 2), ['planning:IN_PROGRESS', 'data_request:NOT_STARTED']);
    // A partial sync is never "unchanged": the next run plans again and still refuses.
    const next = await syncWorkflows(db, [{ workflow: after, sourcePath: null }]);
    assert.deepEqual(next.unchanged, []);
    assert.equal(next.plan.summary.refused, 1);
  });

  void test('an applies_to cycle or report that does not exist: named, nothing written', async () => {
    const db = await fresh(() => backend.freshDatabase({ migrated: true }));
    const w = { ...smallWorkflow('unknown', 1), appliesTo: [{ cycle: '2026-Q4', reports: ['FR-Y-14Q', 'NOPE'] }, { cycle: 99, reports: [1] }] };
    const result = await syncWorkflows(db, [{ workflow: w, sourcePath: null }]);
    assert.equal(result.applied, false);
    assert.deepEqual(result.unknown, [
      { workflow: 'unknown', kind: 'report', value: 'NOPE' },
      { workflow: 'unknown', kind: 'cycle', value: 99 },
    ]);
    assert.deepEqual(await counts(db), { workflow_instances: 0, workflow_phases: 0, workflow_activities: 0, workflow_definitions: 0, workflow_transition_history: 0 });
  });

  void test('names with quotes and SQL in them are stored verbatim', async () => {
    const db = await fresh(() => backend.freshDatabase({ migrated: true }));
    const evil = `o'brien"; DROP TABLE workflow_phases; --`;
    await db.query('INSERT INTO test_cycles (cycle_name) VALUES ($1)', [evil]);
    await db.query('INSERT INTO reports (report_name) VALUES ($1)', [`R'); DELETE FROM reports; --`]);
    const w = editActivities({ ...smallWorkflow(evil, 1), appliesTo: [{ cycle: evil, reports: [`R'); DELETE FROM reports; --`] }] }, 'planning', (acts) =>
      acts.map((a) => (a.type === 'TASK' ? { ...a, name: `it's "quoted" \\ ; --`, description: `$1 $$ '' ""` } : a)),
    );
    const result = await syncWorkflows(db, [{ workflow: w, sourcePath: `it's.phases.yaml` }]);
    assert.equal(result.applied, true);
    const a = await db.query<{ activity_name: string; description: string }>("SELECT activity_name, description FROM workflow_activities WHERE activity_type = 'TASK' ORDER BY activity_id LIMIT 1");
    assert.deepEqual(a.rows[0], { activity_name: `it's "quoted" \\ ; --`, description: `$1 $$ '' ""` });
    const i = await db.query<{ workflow_name: string }>('SELECT workflow_name FROM workflow_instances');
    assert.deepEqual(i.rows, [{ workflow_name: evil }]);
    assert.equal((await syncWorkflows(db, [{ workflow: w, sourcePath: `it's.phases.yaml` }])).unchanged.length, 1);
  });

  void test('a failure in the middle of apply leaves no partial instance', async () => {
    const db = await fresh(() => backend.freshDatabase({ migrated: true }));
    const w = { ...smallWorkflow('broken', 3), appliesTo: [{ cycle: '2026-Q4', reports: ['FR-Y-14Q', 'CCAR'] }] };
    const failing = hooked(db, (sql) => (sql.includes('INSERT INTO workflow_activities') ? Promise.reject(new Error('disk on fire')) : Promise.resolve()));
    await assert.rejects(syncWorkflows(failing, [{ workflow: w, sourcePath: null }]), /disk on fire/);
    assert.deepEqual(await counts(db), { workflow_instances: 0, workflow_phases: 0, workflow_activities: 0, workflow_definitions: 0, workflow_transition_history: 0 });
    // And the database is still usable: the same sync now succeeds.
    assert.equal((await syncWorkflows(db, [{ workflow: w, sourcePath: null }])).applied, true);
    assert.equal((await counts(db)).workflow_phases, 18);
  });

  if (backend.kind === 'postgres') {
    void test('two syncs of the same workflow at once: one creates the rows, the other finds them there', async () => {
      const target = await backend.freshTarget({ migrated: true });
      const { openDatabase } = await import('../../server/db/database');
      const [a, b] = [await openDatabase(target), await openDatabase(target)];
      try {
        await migrate(a);
        await seedHost(a);
        const w = { ...smallWorkflow('racing', 5), appliesTo: [{ cycle: '2026-Q4', reports: ['FR-Y-14Q', 'FR-2052a', 'CCAR'] }] };
        const results = await Promise.all([syncWorkflows(a, [{ workflow: w, sourcePath: null }]), syncWorkflows(b, [{ workflow: w, sourcePath: null }])]);
        const creates = results.map((r) => r.plan.summary.create).sort((x, y) => x - y);
        assert.deepEqual(creates, [0, 3 * (1 + 9 + 9 * 7)]);
        assert.deepEqual(await counts(a), { workflow_instances: 3, workflow_phases: 27, workflow_activities: 27 * 7, workflow_definitions: 1, workflow_transition_history: 0 });
      } finally {
        await a.close();
        await b.close();
      }
    });

    void test('a connection terminated in the middle of apply (pg_terminate_backend) leaves no partial instance', async () => {
      const target = await backend.freshTarget({ migrated: true });
      const { openDatabase } = await import('../../server/db/database');
      const db = await openDatabase(target);
      try {
        await migrate(db);
        await seedHost(db);
        const admin = new pg.Client({ connectionString: target.kind === 'postgres' ? target.url : '' });
        await admin.connect();
        const w = { ...smallWorkflow('dropped', 3), appliesTo: [{ cycle: '2026-Q4', reports: ['FR-Y-14Q', 'CCAR'] }] };
        let killed = false;
        const dropping = hooked(db, async (sql, tx) => {
          if (!killed && sql.includes('INSERT INTO workflow_activities')) {
            killed = true;
            const pid = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
            await admin.query('SELECT pg_terminate_backend($1)', [pid]);
          }
        });
        await assert.rejects(syncWorkflows(dropping, [{ workflow: w, sourcePath: null }]), /terminat|Connection|ended/i);
        assert.ok(killed);
        await admin.end();
        // The pool replaces the dead connection; the phases written before the kill are gone.
        assert.deepEqual(await counts(db), { workflow_instances: 0, workflow_phases: 0, workflow_activities: 0, workflow_definitions: 0, workflow_transition_history: 0 });
        assert.equal((await syncWorkflows(db, [{ workflow: w, sourcePath: null }])).applied, true);
      } finally {
        await db.close();
      }
    });
  }
});
