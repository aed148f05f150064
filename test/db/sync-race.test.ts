/**
 * `syncWorkflows` racing `runTransition` on the same instance, both orders, on PostgreSQL
 * and PGlite: whichever commits first, the other gives a clear answer and the database
 * never holds half of either. On PostgreSQL a transition commits between the sync's plan
 * and its write (for real, on another connection): the sync fails with a
 * `ConcurrentChangeError` naming what changed, writes nothing, and the CLI maps it to exit 5.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResolvedWorkflow } from '../../server/core/index';
import type { Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations/migrate';
import { ConcurrentChangeError } from '../../server/db/sync/apply';
import { contentHash } from '../../server/db/sync/content-hash';
import { syncWorkflows } from '../../server/db/sync/sync';
import type { SyncResult } from '../../server/db/sync/sync';
import { resolveActor, resolveInstance, runTransition } from '../../server/db/transitions/index';
import type { InstanceKey, TransitionOutcome } from '../../server/db/transitions/index';
import { CliError, EXIT } from '../../server/cli/command';
import { toCliError } from '../../server/cli/database-option';
import { waitFor } from '../transitions/helpers/wait-for';
import type { Backend } from './helpers/backends';
import { describeEachBackend } from './helpers/backends';
import { hooked, rowVersions } from './helpers/db-tools';
import { smallWorkflow } from './helpers/workflows';

const CLAIM = [{ cycle: '2026-Q4', reports: ['FR-Y-14Q'] }];

/** Two tasks per phase; test_report also has no activities and no dependency (a phase sync may remove). */
function before(): ResolvedWorkflow {
  const w = smallWorkflow('race', 2, (p) => (p.name === 'test_report' ? { ...p, activities: [], dependsOn: [] } : p));
  return { ...w, appliesTo: CLAIM };
}

/** What the synced edit does to the instance; each also changes a role in scoping. */
type Edit = 'remove-activity' | 'retype-activity' | 'remove-phase';

/** The edited workflow: planning's task_1 removed, or its task_2 retyped, or test_report removed. */
function edited(edit: Edit = 'remove-activity'): ResolvedWorkflow {
  const w = before();
  const phases = w.phases.filter((p) => edit !== 'remove-phase' || p.name !== 'test_report').map((p) => {
    if (p.name === 'planning' && edit === 'remove-activity') return { ...p, activities: p.activities.filter((a) => a.name !== 'task_1').map((a, i) => ({ ...a, order: i + 1 })) };
    if (p.name === 'planning' && edit === 'retype-activity') return { ...p, activities: p.activities.map((a) => (a.name === 'task_2' ? { ...a, type: 'REVIEW' as const } : a)) };
    if (p.name === 'scoping') return { ...p, activities: p.activities.map((a) => (a.name === 'task_1' ? { ...a, role: 'data_owner' as const } : a)) };
    return p;
  });
  return { ...w, phases };
}

interface Setup {
  readonly db: Database;
  readonly other: Database;
  readonly key: InstanceKey;
  move(on: Database, request: string): Promise<TransitionOutcome>;
}

/** A synced instance with planning started; `other` is a second connection (PostgreSQL) or the same database (PGlite: one connection). */
async function setUp(backend: Backend): Promise<Setup> {
  const target = await backend.freshTarget({ migrated: true });
  const { openDatabase } = await import('../../server/db/database');
  const db = await openDatabase(target);
  await migrate(db);
  await db.exec("INSERT INTO test_cycles (cycle_name) VALUES ('2026-Q4'); INSERT INTO reports (report_name) VALUES ('FR-Y-14Q'); INSERT INTO users (email, role) VALUES ('tess@example.com', 'tester')");
  assert.equal((await syncWorkflows(db, [{ workflow: before(), sourcePath: null }])).applied, true);
  const other = backend.kind === 'postgres' ? await openDatabase(target) : db;
  const key = (await resolveInstance(db, '2026-Q4', 'FR-Y-14Q')).key!;
  const tester = (await resolveActor(db, 'tess@example.com')).actor!;
  const move = (on: Database, request: string) => {
    const [kind, action, phase, activity] = request.split(' ');
    const transition = kind === 'phase' ? { kind: 'phase' as const, action: action as never, phase: phase! } : { kind: 'activity' as const, action: action as never, phase: phase!, activity: activity! };
    return runTransition(on, { instance: key, transition, actor: tester, source: 'race' });
  };
  assert.equal((await move(db, 'phase start planning')).verdict, 'allowed');
  return { db, other, key, move };
}

async function close(s: Setup): Promise<void> {
  if (s.other !== s.db) await s.other.close();
  await s.db.close();
}

async function storedHash(db: Database): Promise<string> {
  return (await db.query<{ h: string }>("SELECT content_hash AS h FROM workflow_definitions WHERE workflow_name = 'race'")).rows[0]!.h;
}

async function statusOf(db: Database, phase: string, activity: string): Promise<string | undefined> {
  const { rows } = await db.query<{ status: string }>(
    'SELECT a.status FROM workflow_activities a JOIN workflow_phases p USING (phase_id) WHERE p.phase_name = $1 AND a.activity_name = $2',
    [phase, activity],
  );
  return rows[0]?.status;
}

describeEachBackend('sync racing a transition on the same instance', (backend) => {
  void test('the transition first: the sync refuses to lose its progress, nothing written', async () => {
    const s = await setUp(backend);
    try {
      assert.equal((await s.move(s.other, 'activity start planning task_1')).verdict, 'allowed');
      const versions = await rowVersions(s.db);
      const result = await syncWorkflows(s.db, [{ workflow: edited(), sourcePath: null }]);
      assert.equal(result.applied, false);
      assert.deepEqual(result.plan.instances[0]!.refused.map((r) => r.reason), ['remove-started-activity']);
      assert.deepEqual(await rowVersions(s.db), versions);
    } finally {
      await close(s);
    }
  });

  void test('the sync first: the transition is refused naming the missing activity, nothing written', async () => {
    const s = await setUp(backend);
    try {
      assert.equal((await syncWorkflows(s.db, [{ workflow: edited(), sourcePath: null }])).applied, true);
      const versions = await rowVersions(s.db);
      const outcome = await s.move(s.other, 'activity start planning task_1');
      assert.equal(outcome.verdict, 'refused');
      assert.deepEqual(outcome.explanation.guards.map((g) => g.message), ['phase planning has no activity `task_1` (did you mean `task_2`?)']);
      assert.deepEqual(await rowVersions(s.db), versions);
    } finally {
      await close(s);
    }
  });

  void test('both at once: one of the two consistent outcomes, never an error or half of either', async () => {
    const s = await setUp(backend);
    try {
      const [sync, moved] = await Promise.all([
        syncWorkflows(s.db, [{ workflow: edited(), sourcePath: null }]).catch((e: unknown) => e),
        s.move(s.other, 'activity start planning task_1'),
      ]);
      if (sync instanceof ConcurrentChangeError) {
        // PostgreSQL only: the transition committed between the sync's plan and its write.
        assert.equal(moved.verdict, 'allowed');
      } else {
        assert.ok(!(sync instanceof Error), String(sync));
        const r = sync as SyncResult;
        assert.equal(r.applied, moved.verdict !== 'allowed', 'exactly one of them changed the activity');
        assert.equal(await statusOf(s.db, 'planning', 'task_1'), r.applied ? undefined : 'IN_PROGRESS');
      }
    } finally {
      await close(s);
    }
  });

  if (backend.kind === 'postgres') {
    /** Runs the sync of `edited(edit)` with `during` called between its plan and its first write (on its own connection). */
    async function syncWith(s: Setup, edit: Edit, during: () => Promise<void>): Promise<unknown> {
      let fired = false;
      const racing = hooked(s.db, async (sql) => {
        // The plan is read; the next statement locks the instance for the write.
        if (!fired && sql.includes('FOR UPDATE OF p')) {
          fired = true;
          await during();
        }
      });
      const result = await syncWorkflows(racing, [{ workflow: edited(edit), sourcePath: null }]).catch((e: unknown) => e);
      assert.ok(fired, 'the race happened');
      return result;
    }

    const cases: [string, Edit, string[], string[], RegExp][] = [
      ['an activity it removes is started', 'remove-activity', [], ['activity start planning task_1'], /activity 'task_1' of phase 'planning' in 2026-Q4 \/ FR-Y-14Q was started \(now IN_PROGRESS\)/],
      ['an activity it retypes is started', 'retype-activity', ['activity start planning task_1', 'activity complete planning task_1'], ['activity start planning task_2'], /activity 'task_2' of phase 'planning' in 2026-Q4 \/ FR-Y-14Q was started \(now IN_PROGRESS\)/],
      ['a phase it removes is started', 'remove-phase', [], ['phase start test_report'], /phase 'test_report' in 2026-Q4 \/ FR-Y-14Q was started \(now IN_PROGRESS\)/],
    ];
    for (const [what, edit, setup, racing, message] of cases) {
      void test(`between the sync's plan and its write, ${what}: ConcurrentChangeError naming it, nothing written, exit 5`, async () => {
        const s = await setUp(backend);
        try {
          for (const r of setup) assert.equal((await s.move(s.db, r)).verdict, 'allowed', r);
          // A first sync plans against the same rows (the test's own check that it would be allowed).
          assert.equal((await syncWorkflows(s.db, [{ workflow: edited(edit), sourcePath: null }], { dryRun: true })).plan.summary.refused, 0);
          const hash = await storedHash(s.db);
          const error = await syncWith(s, edit, async () => {
            for (const r of racing) assert.equal((await s.move(s.other, r)).verdict, 'allowed', r);
          });
          assert.ok(error instanceof ConcurrentChangeError, `expected a ConcurrentChangeError, got ${String(error)}`);
          assert.match(error.message, message);
          assert.match(error.message, /^the database changed while syncing: .* after the plan was made; nothing was written — run the sync again$/);
          // Nothing of the sync was written: the old definition, the other edits not applied.
          assert.equal(await storedHash(s.db), hash);
          assert.equal(hash, contentHash(before()));
          const role = await s.db.query<{ role: string }>("SELECT a.role FROM workflow_activities a JOIN workflow_phases p USING (phase_id) WHERE p.phase_name = 'scoping' AND a.activity_name = 'task_1'");
          assert.deepEqual(role.rows, [{ role: 'tester' }]);
          // The CLI's answer: what changed, run it again, exit 5.
          const shown = toCliError(error);
          assert.ok(shown instanceof CliError);
          assert.equal(shown.exitCode, EXIT.retry);
          // Run again, the sync sees the progress and refuses to lose it.
          const again = await syncWorkflows(s.db, [{ workflow: edited(edit), sourcePath: null }]);
          assert.equal(again.applied, false);
          assert.ok(again.plan.summary.refused > 0);
        } finally {
          await close(s);
        }
      });
    }

    void test('a transition that waits on a sync removing its activity: refused once the sync commits, nothing written', async () => {
      const s = await setUp(backend);
      try {
        let running: Promise<TransitionOutcome> | null = null;
        let deleted = false;
        const racing = hooked(s.db, async (sql) => {
          // The sync has locked the instance and deleted the activity; a transition now waits for it.
          if (deleted && !running) {
            running = s.move(s.other, 'activity start planning task_1');
            await waitFor(s.db, "wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%' AND pid <> pg_backend_pid()", []);
          }
          if (sql.startsWith('DELETE FROM workflow_activities')) deleted = true;
        });
        assert.equal((await syncWorkflows(racing, [{ workflow: edited(), sourcePath: null }])).applied, true);
        assert.ok(running, 'the transition ran during the sync');
        const outcome = await (running as Promise<TransitionOutcome>);
        assert.equal(outcome.verdict, 'refused');
        assert.deepEqual(outcome.explanation.guards.map((g) => g.message), ['phase planning has no activity `task_1` (did you mean `task_2`?)']);
        assert.equal(await statusOf(s.db, 'planning', 'task_1'), undefined);
      } finally {
        await close(s);
      }
    });
  }
});
