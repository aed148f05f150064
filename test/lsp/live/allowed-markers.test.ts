/**
 * `workflowPhases/allowed` offers exactly what the core's `allowed` offers, through the
 * real server on both backends: the START and COMPLETE markers move with their phase, so
 * "start activity start_planning" never stands next to "start phase planning", nor
 * "complete activity complete_planning" next to "complete phase planning". Walked
 * through a phase's life (fresh, started, work done, completed) and an instance written
 * before markers (its START left open while the phase runs: then completing it is offered).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AllowedRequest, InstancesRequest, TransitionRequest, type AllowedResult, type InstancesResult, type NodeRef, type TransitionResult } from '../../../schemas/lsp-protocol';
import { transitionTitle } from '../../../server/core/index';
import { openDatabase } from '../../../server/db/database';
import { allowedOnDatabase, resolveActor } from '../../../server/db/transitions/index';
import { describeEachBackend } from '../../db/helpers/backends';
import { byName, connected, seeded, startLive, urlOf, workspace } from './helpers';

const MARKERS = ['start_planning', 'complete_planning'];

describeEachBackend('allowed offers what the core offers', (backend) => {
  void test('no marker duplicates a phase transition; a START left open is offered', { timeout: 180_000 }, async () => {
    const ws = workspace();
    const target = await backend.freshTarget({ migrated: true });
    await seeded(target);
    // ada is `admin`: every role guard passes, so the walk is not stopped by roles.
    const client = await startLive(ws.root, { url: urlOf(target), user: 'ada@example.com' });
    await connected(client);
    const db = await openDatabase(target);
    try {
      const lookup = await resolveActor(db, 'ada@example.com');
      assert.ok(lookup.actor, lookup.error);
      const actor = lookup.actor;
      const list = await client.request<InstancesResult>(InstancesRequest.method, {});
      const instanceOf = (name: string) => {
        const i = byName(list).get(name)!;
        return { cycleId: i.cycleId, reportId: i.reportId };
      };

      /** The titles the server offers on `node`, after checking they are the core's `allowed` on the same rows. */
      const offered = async (node: NodeRef, step: string): Promise<string[]> => {
        const answer = await client.request<AllowedResult>(AllowedRequest.method, { node });
        const titles = answer.transitions.filter((t) => t.verdict === 'allowed').map((t) => t.title);
        const core = (await allowedOnDatabase(db, node, actor))
          .filter((a) => a.transition.phase === (node.phase ?? a.transition.phase))
          .filter((a) => node.activity === undefined || (a.transition.kind === 'activity' && a.transition.activity === node.activity))
          .map((a) => transitionTitle(a.transition));
        assert.deepEqual(titles, core, `${step}: the server offers what the core offers on ${JSON.stringify(node)}`);
        return titles;
      };
      const listedMarkers = async (node: NodeRef) =>
        (await client.request<AllowedResult>(AllowedRequest.method, { node })).transitions.filter((t) => t.activity !== null && MARKERS.includes(t.activity)).map((t) => `${t.title}: ${t.verdict}`);
      const run = async (node: NodeRef, action: string, reason?: string) => {
        const result = await client.request<TransitionResult>(TransitionRequest.method, { node, action, ...(reason ? { reason } : {}) });
        assert.equal(result.verdict, 'allowed', `${action} ${JSON.stringify(node)}: ${result.choice.unmet.join('; ')}`);
      };

      const fr = instanceOf('2026-Q4/FR-Y-14Q');
      const planning = { ...fr, phase: 'planning' };
      const on = (activity: string) => ({ ...planning, activity });

      // A fresh instance: the phase starts; its START marker is not a second way to say so.
      assert.deepEqual(await offered(fr, 'fresh'), ['start phase `planning`', 'skip phase `observation_mgmt`']);
      assert.deepEqual(await offered(planning, 'fresh'), ['start phase `planning`']);
      assert.deepEqual(await offered(on('start_planning'), 'fresh'), []);
      assert.deepEqual(await listedMarkers(planning), [], 'no marker transition is listed, allowed or refused');

      await run(planning, 'start');
      assert.deepEqual(await offered(planning, 'started'), ['start activity `load_attributes` of phase `planning`', 'skip activity `add_data_source` of phase `planning`']);
      assert.deepEqual(await listedMarkers(planning), []);

      for (const activity of ['load_attributes', 'review_attributes', 'approve_attributes']) {
        await run(on(activity), 'start');
        await run(on(activity), 'complete');
      }
      await run(on('add_data_source'), 'skip');
      // All work done: the phase completes; completing its COMPLETE marker would be the same thing.
      const done = await offered(planning, 'work done');
      assert.ok(done.includes('complete phase `planning`'), done.join(', '));
      assert.deepEqual(await listedMarkers(planning), []);

      await run(planning, 'complete');
      assert.deepEqual(await offered(planning, 'completed'), ['reopen phase `planning`']);
      assert.deepEqual(await offered(fr, 'completed'), ['reopen phase `planning`', 'start phase `scoping`', 'skip phase `observation_mgmt`']);

      // An instance written before markers: planning runs, its START was never completed.
      const other = { ...instanceOf('2026-Q4/FR-2052a'), phase: 'planning' };
      await run(other, 'start');
      await db.query(
        `UPDATE workflow_activities SET status = 'NOT_STARTED', completed_at = NULL, completed_by = NULL
          WHERE activity_name = 'start_planning' AND phase_id = (SELECT phase_id FROM workflow_phases WHERE cycle_id = $1 AND report_id = $2 AND phase_name = 'planning')`,
        [other.cycleId, other.reportId],
      );
      assert.deepEqual(await offered({ ...other, activity: 'start_planning' }, 'START left open'), ['complete activity `start_planning` of phase `planning`']);
      assert.deepEqual(await listedMarkers(other), ['complete activity `start_planning` of phase `planning`: allowed']);
    } finally {
      await db.close();
    }
  });
});
