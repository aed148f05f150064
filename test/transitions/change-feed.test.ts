/**
 * The live change feed on PostgreSQL and PGlite: a transition made by another connection
 * arrives as typed change events, filtered by cycle; on PostgreSQL, after its listening
 * connection is terminated the feed says so, reconnects, and delivers again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../../server/core/index';
import { openChangeFeed } from '../../server/db/change-feed';
import type { ChangeFeedEvent, ChangeFeedSource } from '../../server/db/change-feed';
import { openDatabase } from '../../server/db/database';
import type { Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations/migrate';
import { resolveActor, runTransition } from '../../server/db/transitions/index';
import { describeEachBackend } from '../db/helpers/backends';
import { seedInstances, seedUsers } from './helpers/seed';
import { WORKFLOW } from './workflow-fixture';

/** Events as they come, and a way to wait for the next one that matches. */
function eventQueue() {
  const events: ChangeFeedEvent[] = [];
  let waiter: { match: (e: ChangeFeedEvent) => boolean; resolve: (e: ChangeFeedEvent) => void } | null = null;
  return {
    events,
    push(e: ChangeFeedEvent) {
      events.push(e);
      if (waiter?.match(e)) {
        const w = waiter;
        waiter = null;
        w.resolve(e);
      }
    },
    /** The first event from `from` on that matches (waits for it when none has arrived yet). */
    next(match: (e: ChangeFeedEvent) => boolean, from = 0): Promise<ChangeFeedEvent> {
      const seen = events.slice(from).find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => (waiter = { match, resolve }));
    },
  };
}

const isChange = (status: string, table = 'workflow_phases') => (e: ChangeFeedEvent) => e.type === 'change' && e.change.table === table && e.change.status === status;

describeEachBackend('change feed', (backend) => {
  void test('a transition made by another connection arrives as typed change events, filtered by cycle', { timeout: 120_000 }, async () => {
    const target = await backend.freshTarget({ migrated: true });
    const db = await openDatabase(target);
    let writer: Database = db;
    try {
      await migrate(db);
      await seedUsers(db);
      const { cycleId, reportIds } = await seedInstances(db, WORKFLOW, 'C1', ['R1']);
      const other = await seedInstances(db, WORKFLOW, 'C2', ['R2']);
      const source: ChangeFeedSource = target.kind === 'postgres' ? { kind: 'postgres', url: target.url } : { kind: 'embedded', database: db };
      // On PostgreSQL the writer is another pool, so the change crosses connections.
      if (target.kind === 'postgres') writer = await openDatabase(target);
      const tester: Actor = (await resolveActor(db, 'tess@example.com')).actor!;
      const queue = eventQueue();
      const feed = await openChangeFeed(source, (e) => queue.push(e), { cycleId });
      try {
        await runTransition(writer, { instance: { cycleId: other.cycleId, reportId: other.reportIds[0]! }, transition: { kind: 'phase', action: 'start', phase: 'planning' }, actor: tester, source: 'test' });
        const outcome = await runTransition(writer, { instance: { cycleId, reportId: reportIds[0]! }, transition: { kind: 'activity', action: 'start', phase: 'planning', activity: 'start_planning' }, actor: tester, source: 'test' });
        assert.equal(outcome.verdict, 'allowed');
        const phase = await queue.next(isChange('IN_PROGRESS'));
        // Starting the START activity starts the phase and completes the marker: two rows, two events.
        const activity = await queue.next(isChange('COMPLETED', 'workflow_activities'));
        assert.ok(phase.type === 'change' && activity.type === 'change');
        assert.deepEqual({ ...phase.change, phase_id: 0 }, { table: 'workflow_phases', op: 'UPDATE', cycle_id: cycleId, report_id: reportIds[0], phase_id: 0, activity_id: null, status: 'IN_PROGRESS', rows: 1 });
        assert.equal(activity.change.phase_id, phase.change.phase_id);
        assert.ok(activity.change.activity_id !== null);
        assert.ok(queue.events.every((e) => e.type !== 'change' || e.change.cycle_id === cycleId), 'only the cycle asked for');
      } finally {
        await feed.close();
      }
    } finally {
      if (writer !== db) await writer.close();
      await db.close();
    }
  });

  if (backend.kind !== 'postgres') return;

  void test('after its connection is terminated the feed reconnects, says so, and delivers again', { timeout: 120_000 }, async () => {
    const target = await backend.freshTarget({ migrated: true });
    assert.equal(target.kind, 'postgres');
    if (target.kind !== 'postgres') return;
    const db = await openDatabase(target);
    try {
      await migrate(db);
      await seedUsers(db);
      const { cycleId, reportIds } = await seedInstances(db, WORKFLOW, 'C1', ['R1']);
      const tester: Actor = (await resolveActor(db, 'tess@example.com')).actor!;
      const queue = eventQueue();
      const feed = await openChangeFeed({ kind: 'postgres', url: target.url }, (e) => queue.push(e), { backoff: { initialMs: 20, maxMs: 200 } });
      try {
        const { rows } = await db.query<{ n: number }>(
          "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'workflow-phases change feed'",
        );
        assert.equal(rows[0]!.n, 1, 'the feed holds one dedicated connection');
        const down = await queue.next((e) => e.type === 'disconnected');
        assert.ok(down.type === 'disconnected' && /terminat/i.test(down.error), JSON.stringify(down));
        const up = await queue.next((e) => e.type === 'reconnected');
        assert.ok(up.type === 'reconnected' && up.attempts >= 1);
        const mark = queue.events.length;
        await runTransition(db, { instance: { cycleId, reportId: reportIds[0]! }, transition: { kind: 'phase', action: 'start', phase: 'planning' }, actor: tester, source: 'test' });
        const change = await queue.next(isChange('IN_PROGRESS'), mark);
        assert.equal(change.type, 'change');
        // The phase and its START activity change in one statement: their events may come in either order.
        assert.deepEqual(queue.events.slice(0, 3).map((e) => e.type), ['disconnected', 'reconnected', 'change']);
      } finally {
        await feed.close();
      }
    } finally {
      await db.close();
    }
  });

  void test('a feed on an unreachable server fails with a clear error', async () => {
    await assert.rejects(openChangeFeed({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/nowhere' }, () => undefined), /cannot reach PostgreSQL at 127.0.0.1:1: connection refused/);
  });
});
