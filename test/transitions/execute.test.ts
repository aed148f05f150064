/**
 * Transitions on a real database (PostgreSQL and PGlite, same suite): the scripted walk
 * runs through `runTransition`, and after every step the rows equal what the pure engine
 * predicts, the history has exactly one row per status change, and refused or same-state
 * requests write nothing at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTransition, invariantViolations } from '../../server/core/index';
import type { Actor, InstanceSnapshot } from '../../server/core/index';
import type { Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations/migrate';
import { allowedOnDatabase, explainOnDatabase, loadInstance, readHistory, resolveActor, resolveInstance, runTransition } from '../../server/db/transitions/index';
import type { InstanceKey } from '../../server/db/transitions/index';
import { describeEachBackend } from '../db/helpers/backends';
import { seedInstances, seedUsers } from './helpers/seed';
import { STEPS, parse } from './scenario-steps';
import type { Who } from './scenario-steps';
import { ACTORS, WORKFLOW } from './workflow-fixture';

async function load(db: Database, key: InstanceKey): Promise<InstanceSnapshot> {
  const loaded = await loadInstance(db, key, { lock: false });
  assert.ok(loaded, 'instance exists');
  return loaded.snapshot;
}

async function actorsOf(db: Database): Promise<(who: Who) => Actor> {
  const found = new Map<Who, Actor>();
  for (const [who, fixture] of Object.entries(ACTORS)) {
    const lookup = await resolveActor(db, fixture.id === null ? null : fixture.name);
    assert.ok(lookup.actor, lookup.error);
    found.set(who as Who, lookup.actor);
  }
  const nora = await resolveActor(db, 'nora@example.com');
  found.set('unchecked', { ...nora.actor!, rolesChecked: false });
  return (who) => found.get(who)!;
}

/** Every row's `updated_at` of the instance, to prove a request wrote nothing. */
async function fingerprint(db: Database, key: InstanceKey): Promise<string> {
  const { rows } = await db.query<{ f: string }>(
    `SELECT string_agg(x, ',' ORDER BY x) AS f FROM (
       SELECT p.phase_id || ':' || p.status || ':' || COALESCE(p.updated_at::text, '') AS x FROM workflow_phases p WHERE p.cycle_id = $1 AND p.report_id = $2
       UNION ALL
       SELECT 'a' || a.activity_id || ':' || a.status || ':' || COALESCE(a.updated_at::text, '') FROM workflow_activities a JOIN workflow_phases p USING (phase_id)
        WHERE p.cycle_id = $1 AND p.report_id = $2
       UNION ALL
       SELECT 'h' || count(*) FROM workflow_transition_history WHERE cycle_id = $1 AND report_id = $2) AS parts`,
    [key.cycleId, key.reportId],
  );
  return rows[0]!.f;
}

describeEachBackend('transitions', (backend) => {
  void test('the scripted walk: every transition and refusal, START/COMPLETE semantics, reopen, history', async () => {
    const db = await backend.freshDatabase({ migrated: true });
    await migrate(db);
    await seedUsers(db);
    await seedInstances(db, WORKFLOW, '2026-Q4', ['FR-Y-14Q']);
    const found = await resolveInstance(db, '2026-Q4', 'FR-Y-14Q');
    assert.ok(found.key, found.error);
    const key = found.key;
    const actorOf = await actorsOf(db);
    let written = 0;
    for (const [i, [who, request, verdict, reason, expected]] of STEPS.entries()) {
      const before = await load(db, key);
      const beforePrint = await fingerprint(db, key);
      const transition = parse(request, reason, expected);
      const outcome = await runTransition(db, { instance: key, transition, actor: actorOf(who), source: 'test' });
      const label = `step ${i + 1} (${who}: ${request})`;
      assert.equal(outcome.verdict, verdict, `${label}: ${outcome.explanation.guards.map((g) => `${g.result} ${g.message}`).join('\n')}`);
      const after = await load(db, key);
      assert.deepEqual(invariantViolations(after), [], label);
      if (verdict !== 'allowed') {
        assert.equal(await fingerprint(db, key), beforePrint, `${label}: nothing written`);
        assert.deepEqual(outcome.historyIds, []);
        continue;
      }
      const predicted = applyTransition(before, transition, actorOf(who), outcome.at!);
      assert.deepEqual(after, predicted.snapshot, `${label}: the rows are what the engine predicts`);
      assert.deepEqual(outcome.explanation.guards.map((g) => g.id), predicted.explanation.guards.map((g) => g.id));
      assert.equal(outcome.historyIds.length, outcome.changes.length, label);
      written += outcome.changes.length;
    }

    const history = await readHistory(db, key);
    assert.equal(history.length, written);
    const first = history.slice(0, 2).map((h) => [h.entity, h.phase, h.activity, h.from, h.to, h.actor]);
    assert.deepEqual(first, [
      ['phase', 'planning', null, 'NOT_STARTED', 'IN_PROGRESS', 'tess@example.com'],
      ['activity', 'planning', 'start_planning', 'NOT_STARTED', 'COMPLETED', 'tess@example.com'],
    ]);
    const reopen = history.find((h) => h.entity === 'phase' && h.from === 'COMPLETED');
    assert.equal(reopen?.reason, 'late attribute');
    assert.equal(reopen?.actor, 'ed@example.com');
    const revision = history.find((h) => h.to === 'REVISION_REQUESTED');
    assert.equal(revision?.reason, 'attribute 12 is missing');

    const { rows } = await db.query<{ phase_name: string; progress: unknown; started_by: number; completed_at: Date | null }>(
      "SELECT phase_name, phase_metadata->'progress' AS progress, started_by, completed_at FROM workflow_phases WHERE cycle_id = $1 AND report_id = $2 AND phase_name IN ('planning', 'scoping') ORDER BY phase_order",
      [key.cycleId, key.reportId],
    );
    assert.deepEqual(rows.map((r) => [r.phase_name, r.progress]), [
      ['planning', { completed: 5, skipped: 1, total: 6 }],
      ['scoping', { completed: 4, skipped: 0, total: 4 }],
    ]);
    assert.ok(rows.every((r) => r.completed_at !== null));
  });

  void test('unknown instance, unknown user, ambiguous and numeric user lookups', async () => {
    const db = await backend.freshDatabase({ migrated: true });
    await migrate(db);
    const users = await seedUsers(db);
    await seedInstances(db, WORKFLOW, 'C1', ['R1']);
    assert.match((await resolveInstance(db, 'C1', 'nope')).error ?? '', /no report 'nope' in reports/);
    assert.match((await resolveInstance(db, 'C9', 'R1')).error ?? '', /no test cycle 'C9' in test_cycles/);
    assert.deepEqual((await resolveInstance(db, '1', '1')).key, { cycleId: 1, reportId: 1 });
    assert.equal((await resolveActor(db, String(users.owner.id))).actor?.role, 'report_owner');
    assert.equal((await resolveActor(db, 'TESS@example.com')).actor?.id, users.tester.id);
    assert.equal((await resolveActor(db, 'olga')).actor?.id, users.owner.id);
    assert.match((await resolveActor(db, 'ghost')).error ?? '', /no user 'ghost' in users \(looked up by user_id, email, name\)/);
    await db.query("INSERT INTO users (email, name) VALUES ('t2@example.com', 'tess')");
    assert.match((await resolveActor(db, 'tess')).error ?? '', /matches 2 users/);
    const nobody = await resolveActor(db, null);
    const outcome = await runTransition(db, { instance: { cycleId: 1, reportId: 99 }, transition: { kind: 'phase', action: 'start', phase: 'planning' }, actor: nobody.actor!, source: 'test' });
    assert.equal(outcome.verdict, 'refused');
    assert.match(outcome.explanation.guards[0]!.message, /cycle 1, report 99 has no workflow phases/);
    // What-if on the database writes nothing and says the same as the engine.
    const tess = (await resolveActor(db, 'tess@example.com')).actor!;
    assert.deepEqual((await allowedOnDatabase(db, { cycleId: 1, reportId: 1 }, tess)).map((o) => `${o.transition.kind} ${o.transition.action} ${o.transition.phase}`), [
      'phase start planning', 'phase skip data_profiling',
    ]);
    const [missing, skip] = await explainOnDatabase(db, { cycleId: 1, reportId: 1 }, [
      { kind: 'phase', action: 'start', phase: 'scoping' },
      { kind: 'phase', action: 'skip', phase: 'data_profiling', reason: 'profiled last cycle' },
    ], tess);
    assert.equal(missing?.verdict, 'refused');
    assert.equal(skip?.verdict, 'allowed');
    assert.deepEqual(await allowedOnDatabase(db, { cycleId: 1, reportId: 99 }, tess), []);
    assert.equal((await readHistory(db, { cycleId: 1, reportId: 1 })).length, 0);
  });

  void test('without a role column in users, role rules are reported as not checked', async () => {
    const db = await backend.freshDatabase({ migrated: true });
    await migrate(db);
    await db.query('ALTER TABLE users DROP COLUMN role');
    await db.query("INSERT INTO users (email, name) VALUES ('olga@example.com', 'olga')");
    await seedInstances(db, WORKFLOW, 'C1', ['R1']);
    const olga = (await resolveActor(db, 'olga')).actor!;
    assert.equal(olga.rolesChecked, false);
    const key = { cycleId: 1, reportId: 1 };
    // Starting the START activity starts the phase (and completes the marker); then the work.
    for (const activity of ['start_planning', 'load_attributes']) {
      const outcome = await runTransition(db, { instance: key, transition: { kind: 'activity', action: 'start', phase: 'planning', activity }, actor: olga, source: 'test' });
      assert.equal(outcome.verdict, 'allowed', outcome.explanation.guards.map((g) => g.message).join('\n'));
    }
    const last = await runTransition(db, { instance: key, transition: { kind: 'activity', action: 'complete', phase: 'planning', activity: 'load_attributes' }, actor: olga, source: 'test' });
    const role = last.explanation.guards.find((g) => g.id === 'role');
    assert.equal(role?.result, 'unchecked');
    assert.match(role?.message ?? '', /role not checked: `load_attributes` is for `tester`, but users have no role column/);
  });
});
