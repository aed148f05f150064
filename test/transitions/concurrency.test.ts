/**
 * Concurrency on real PostgreSQL: 32 connections racing for the same phase start and
 * the same activity completion (exactly one winner, the others refused naming the new
 * state), a mixed workload across connections (no error reaches a caller, the history
 * replays to the final state), a provoked deadlock (retried, never shown), and a
 * connection killed mid-transition (nothing half-written). A sync racing a transition on
 * the same instance is in test/db/sync-race.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { allowed, applyChanges, freshSnapshot, invariantViolations } from '../../server/core/index';
import type { Actor, Transition } from '../../server/core/index';
import { openDatabase } from '../../server/db/database';
import type { Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations/migrate';
import { loadInstance, readHistory, resolveActor, runTransition, TransitionError } from '../../server/db/transitions/index';
import type { InstanceKey, TransitionOutcome } from '../../server/db/transitions/index';
import { createTestDatabase } from '../helpers/postgres';
import type { TestDatabase } from '../helpers/postgres';
import { seedInstances, seedUsers } from './helpers/seed';
import { waitFor } from './helpers/wait-for';
import { WORKFLOW } from './workflow-fixture';

const RACERS = 32;

void describe('transitions under concurrency [postgres]', async () => {
  const created = await createTestDatabase('transitions_concurrency', { migrated: true });
  if (created === null) {
    void test('PostgreSQL is not reachable', { skip: 'no PostgreSQL (set DATABASE_URL)' }, () => undefined);
    return;
  }
  const testDb: TestDatabase = created;
  const connections: Database[] = [];
  let db: Database;
  let admin: Actor;
  let tester: Actor;
  let reportIds: number[];
  let cycleId: number;

  before(async () => {
    db = await openDatabase({ kind: 'postgres', url: testDb.url });
    await migrate(db);
    await seedUsers(db);
    ({ cycleId, reportIds } = await seedInstances(db, WORKFLOW, 'race', ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8']));
    admin = (await resolveActor(db, 'ada@example.com')).actor!;
    tester = (await resolveActor(db, 'tess@example.com')).actor!;
    // Each racer is its own process-like client: its own pool and connection.
    for (let i = 0; i < RACERS; i++) connections.push(await openDatabase({ kind: 'postgres', url: testDb.url }));
  });
  after(async () => {
    for (const c of connections) await c.close();
    await db.close();
    await testDb.drop();
  });

  const key = (i: number): InstanceKey => ({ cycleId, reportId: reportIds[i]! });
  const race = (instance: InstanceKey, transition: Transition, actor: Actor) =>
    Promise.all(connections.map((c) => runTransition(c, { instance, transition, actor, source: 'race' })));

  void test(`${RACERS} connections start the same phase, having seen it NOT_STARTED: one wins, the others are told it is already so, by whom`, async () => {
    const outcomes = await race(key(0), { kind: 'phase', action: 'start', phase: 'planning', expected: 'NOT_STARTED' }, tester);
    const winners = outcomes.filter((o) => o.verdict === 'allowed');
    assert.equal(winners.length, 1);
    for (const loser of outcomes.filter((o) => o.verdict !== 'allowed')) {
      assert.equal(loser.verdict, 'unchanged');
      assert.match(loser.explanation.notes[0] ?? '', /^phase planning is already IN_PROGRESS \(started by tess@example.com at \d{4}-.+\): nothing to do$/);
    }
    const history = await readHistory(db, key(0));
    assert.deepEqual(history.map((h) => [h.phase, h.activity, h.from, h.to]), [['planning', null, 'NOT_STARTED', 'IN_PROGRESS'], ['planning', 'start_planning', 'NOT_STARTED', 'COMPLETED']]);
  });

  void test(`${RACERS} connections start the same phase without saying what they saw: the same answer`, async () => {
    const outcomes = await race(key(1), { kind: 'phase', action: 'start', phase: 'planning' }, tester);
    assert.deepEqual(outcomes.map((o) => o.verdict).sort(), ['allowed', ...Array<string>(RACERS - 1).fill('unchanged')]);
    assert.equal((await readHistory(db, key(1))).length, 2);
  });

  void test(`${RACERS} connections complete the same activity: one wins, history consistent; a request the race made stale is refused naming the new state`, async () => {
    for (const [kind, action, activity] of [['phase', 'start', null], ['activity', 'start', 'load_attributes']] as const) {
      const transition = kind === 'phase' ? { kind, action, phase: 'planning' } : { kind, action, phase: 'planning', activity: activity };
      const o = await runTransition(db, { instance: key(2), transition, actor: tester, source: 'setup' });
      assert.equal(o.verdict, 'allowed');
    }
    const outcomes = await race(key(2), { kind: 'activity', action: 'complete', phase: 'planning', activity: 'load_attributes', expected: 'IN_PROGRESS' }, tester);
    assert.equal(outcomes.filter((o) => o.verdict === 'allowed').length, 1);
    for (const loser of outcomes.filter((o) => o.verdict !== 'allowed')) {
      assert.equal(loser.verdict, 'unchanged');
      assert.match(loser.explanation.notes[0] ?? '', /activity `load_attributes` is already COMPLETED \(completed by tess@example.com at .+\): nothing to do/);
    }
    const stale = await runTransition(db, { instance: key(2), transition: { kind: 'activity', action: 'block', phase: 'planning', activity: 'load_attributes', reason: 'late', expected: 'IN_PROGRESS' }, actor: tester, source: 'race' });
    assert.equal(stale.verdict, 'refused');
    assert.match(stale.explanation.guards.at(-1)!.message, /activity `load_attributes` is now COMPLETED \(completed by tess@example.com at .+\), no longer IN_PROGRESS/);
    const history = await readHistory(db, key(2));
    assert.equal(history.filter((h) => h.activity === 'load_attributes' && h.to === 'COMPLETED').length, 1);
    assert.equal(history.length, 4);
  });

  void test('a mixed workload on shared instances: no error reaches a caller, invariants hold, the history replays to the final state', async () => {
    const instances = [key(3), key(4), key(5)];
    const outcomes: TransitionOutcome[] = [];
    await Promise.all(connections.map(async (c, n) => {
      for (let step = 0; step < 12; step++) {
        const instance = instances[(n + step) % instances.length]!;
        const loaded = await loadInstance(c, instance, { lock: false });
        const options = allowed(loaded!.snapshot, admin).filter((o) => o.transition.action === 'start' || o.transition.action === 'complete');
        if (options.length === 0) continue;
        const pick = options[(n * 7 + step) % options.length]!;
        outcomes.push(await runTransition(c, { instance, transition: { ...pick.transition, expected: pick.from as never }, actor: admin, source: 'mixed' }));
      }
    }));
    assert.ok(outcomes.filter((o) => o.verdict === 'allowed').length > 20, 'enough transitions went through');
    for (const instance of instances) {
      const final = (await loadInstance(db, instance, { lock: false }))!.snapshot;
      assert.deepEqual(invariantViolations(final), []);
      // Replaying the history, in order, on a fresh instance gives exactly the final statuses.
      let replay = freshSnapshot(WORKFLOW, instance.cycleId, instance.reportId);
      for (const h of await readHistory(db, instance)) {
        replay = applyChanges(replay, [{ entity: h.entity, phase: h.phase, activity: h.activity, from: h.from!, to: h.to, reason: h.reason }], h.actorId, h.at);
      }
      const statuses = (s: typeof replay) => s.phases.map((p) => [p.status, ...p.activities.map((a) => a.status)].join(' '));
      assert.deepEqual(statuses(replay), statuses(final));
    }
  });

  void test('a deadlock with another writer is retried inside, never shown', async () => {
    const other = new pg.Client({ connectionString: testDb.url });
    await other.connect();
    try {
      // The other writer locks the last phase first and then wants the first: the reverse
      // of our order. Its long deadlock_timeout makes our session the one that detects it.
      await other.query("SET deadlock_timeout = '30s'");
      await other.query('BEGIN');
      await other.query("SELECT 1 FROM workflow_phases WHERE cycle_id = $1 AND report_id = $2 AND phase_name = 'test_report' FOR UPDATE", [cycleId, reportIds[6]]);
      const ours = runTransition(db, { instance: key(6), transition: { kind: 'phase', action: 'start', phase: 'planning' }, actor: tester, source: 'deadlock' });
      await waitFor(db, "wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%' AND pid <> $1", [(other as unknown as { processID: number }).processID]);
      const theirs = other.query("UPDATE workflow_phases SET updated_at = now() WHERE cycle_id = $1 AND report_id = $2 AND phase_name = 'planning'", [cycleId, reportIds[6]]);
      // Our transaction is chosen as the victim, retried, and then waits for theirs to commit.
      await theirs;
      await other.query('COMMIT');
      const outcome = await ours.catch((error: unknown) => error);
      assert.ok(!(outcome instanceof Error), `an error reached the caller: ${String(outcome)}`);
      assert.equal((outcome as TransitionOutcome).verdict, 'allowed');
      assert.ok((outcome as TransitionOutcome).attempts >= 2, 'it was retried');
    } finally {
      await other.end();
    }
  });

  void test('a connection killed in the middle of a transition leaves nothing half-written', async () => {
    const instance = key(7);
    const blocker = new pg.Client({ connectionString: testDb.url });
    await blocker.connect();
    try {
      // Hold the acting user's row: the transition's write statement updates the activity and
      // phase rows, then its foreign-key checks wait for that row — it stops half-way.
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM users WHERE user_id = $1 FOR UPDATE', [tester.id]);
      const running = runTransition(db, { instance, transition: { kind: 'activity', action: 'start', phase: 'planning', activity: 'start_planning' }, actor: tester, source: 'kill' });
      const pid = await waitFor(db, "wait_event_type = 'Lock' AND query LIKE '%WITH activities AS%' AND pid <> pg_backend_pid()", []);
      await db.query('SELECT pg_terminate_backend($1)', [pid]);
      const error = await running.then(() => null, (e: unknown) => e);
      assert.ok(error instanceof TransitionError, `expected a TransitionError, got ${String(error)}`);
      assert.equal(error.committed, 'no');
      assert.match(error.message, /connection was lost during the transition .*rolled back, nothing was written/);
      await blocker.query('ROLLBACK');
    } finally {
      await blocker.end();
    }
    const snapshot = (await loadInstance(db, instance, { lock: false }))!.snapshot;
    assert.equal(snapshot.phases[0]!.status, 'NOT_STARTED');
    assert.equal(snapshot.phases[0]!.activities[0]!.status, 'NOT_STARTED');
    assert.equal(snapshot.phases[0]!.startedAt, null);
    assert.equal((await readHistory(db, instance)).length, 0);
    // The pool dropped the dead connection: the same database object works again.
    const again = await runTransition(db, { instance, transition: { kind: 'activity', action: 'start', phase: 'planning', activity: 'start_planning' }, actor: tester, source: 'kill' });
    assert.equal(again.verdict, 'allowed');
    assert.equal((await readHistory(db, instance)).length, 2);
  });
});
