/**
 * Transitions through the real server on PostgreSQL and the embedded database: what the
 * acting user may do and why not the rest (the engine's own sentences), a transition
 * allowed and one refused, a lost race (a stale `expected`, and on PostgreSQL two editors
 * at once), a reason that is required, and the history the transitions wrote.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AllowedRequest,
  ExplainRequest,
  HistoryRequest,
  InstancesRequest,
  LiveErrorCodes,
  TransitionRequest,
  type AllowedResult,
  type ExplainResult,
  type HistoryEntryData,
  type InstancesResult,
  type TransitionResult,
} from '../../../schemas/lsp-protocol';
import { describeEachBackend } from '../../db/helpers/backends';
import { byName, connected, seeded, startLive, urlOf, workspace } from './helpers';

describeEachBackend('live transitions', (backend) => {
  void test('allowed and refused with reasons, a transition, a stale expected status, history', { timeout: 180_000 }, async () => {
    const ws = workspace();
    const target = await backend.freshTarget({ migrated: true });
    await seeded(target);
    const client = await startLive(ws.root, { url: urlOf(target), user: 'tess@example.com' });
    await connected(client);
    const list = await client.request<InstancesResult>(InstancesRequest.method, {});
    const fr = byName(list).get('2026-Q4/FR-Y-14Q')!;
    const key = { cycleId: fr.cycleId, reportId: fr.reportId };

    const allowed = await client.request<AllowedResult>(AllowedRequest.method, { node: key });
    assert.equal(allowed.user.name, 'tess@example.com');
    const verdicts = allowed.transitions.map((t) => t.verdict);
    assert.deepEqual(verdicts, [...verdicts].sort((a, b) => (a === 'allowed' ? 0 : 1) - (b === 'allowed' ? 0 : 1)), 'allowed ones first');
    const titles = allowed.transitions.filter((t) => t.verdict === 'allowed').map((t) => t.title);
    // observation_mgmt is skippable in the example: allowed, with a reason still to be given.
    // The START activity moves with its phase (issue 12): starting the phase is offered once, not again as the marker's start or complete.
    assert.deepEqual(titles, ['start phase `planning`', 'skip phase `observation_mgmt`']);
    const skip = allowed.transitions.find((t) => t.title === 'skip phase `observation_mgmt`')!;
    assert.equal(skip.needsReason, true);
    assert.deepEqual(skip.changes, [{ entity: 'phase', phase: 'observation_mgmt', activity: null, from: 'NOT_STARTED', to: 'SKIPPED', reason: null }]);
    const scoping = allowed.transitions.find((t) => t.title === 'start phase `scoping`')!;
    assert.equal(scoping.verdict, 'refused');
    assert.deepEqual(scoping.unmet, ['scoping: depends on `planning`, which is NOT_STARTED']);

    const started = await client.request<TransitionResult>(TransitionRequest.method, { node: { ...key, phase: 'planning' }, action: 'start', expected: 'NOT_STARTED' });
    assert.equal(started.verdict, 'allowed');
    assert.deepEqual(started.changes, [
      { entity: 'phase', phase: 'planning', activity: null, from: 'NOT_STARTED', to: 'IN_PROGRESS', reason: null },
      { entity: 'activity', phase: 'planning', activity: 'start_planning', from: 'NOT_STARTED', to: 'COMPLETED', reason: null },
    ]);
    assert.ok(started.at && !Number.isNaN(Date.parse(started.at)));
    const planning = started.instance!.phases[0]!;
    assert.equal(planning.status, 'IN_PROGRESS');
    assert.equal(planning.started?.by, 'tess@example.com');
    assert.ok(planning.slaDue && Date.parse(planning.slaDue) - Date.parse(planning.started.at) === 72 * 3600_000, 'due 72 hours after the start');

    // The user saw NOT_STARTED and asks to start it: it is already so, by whom (issue 12: the same answer for the same situation).
    const again = await client.request<TransitionResult>(TransitionRequest.method, { node: { ...key, phase: 'planning' }, action: 'start', expected: 'NOT_STARTED' });
    assert.equal(again.verdict, 'unchanged');
    assert.equal(again.changes.length, 0);
    assert.match(again.choice.notes.join('\n'), /^phase planning is already IN_PROGRESS \(started by tess@example.com at \d{4}-\d\d-\d\dT[\d:.]+Z\): nothing to do$/);
    // Asking for something else on the state it saw: refused, naming the new state.
    const stale = await client.request<TransitionResult>(TransitionRequest.method, { node: { ...key, phase: 'planning' }, action: 'skip', reason: 'not needed', expected: 'NOT_STARTED' });
    assert.equal(stale.verdict, 'refused');
    assert.equal(stale.changes.length, 0);
    assert.match(stale.choice.unmet.join('\n'), /^phase planning is now IN_PROGRESS \(started by tess@example.com at \d{4}-\d\d-\d\dT[\d:.]+Z\), no longer NOT_STARTED as when the request was made$/);

    const complete = await client.request<TransitionResult>(TransitionRequest.method, { node: { ...key, phase: 'planning' }, action: 'complete' });
    assert.equal(complete.verdict, 'refused');
    assert.ok(complete.choice.unmet.includes('planning: required activity `load_attributes` is NOT_STARTED (it must be COMPLETED)'), complete.choice.unmet.join('\n'));

    const explained = await client.request<ExplainResult>(ExplainRequest.method, { node: { ...key, phase: 'planning', activity: 'review_attributes' }, action: 'start' });
    assert.equal(explained.explanations.length, 1);
    assert.equal(explained.explanations[0]!.verdict, 'refused');
    assert.ok(explained.explanations[0]!.unmet.some((m) => /is for `test_executive`; tess@example.com is `tester`/.test(m)), explained.explanations[0]!.unmet.join('\n'));

    // A reopen (after completing is impossible here) or a block needs a reason: asked for, not refused.
    const block = allowed.transitions.find((t) => t.action === 'block');
    assert.ok(block && block.needsReason);
    await assert.rejects(
      client.request(TransitionRequest.method, { node: { ...key, phase: 'planning', activity: 'start_planning' }, action: 'block' }),
      (e: { code: number; message: string }) => e.code === LiveErrorCodes.badRequest && /needs a reason/.test(e.message),
    );
    await assert.rejects(
      client.request(TransitionRequest.method, { node: { ...key, phase: 'planing' }, action: 'start' }),
      (e: { code: number; message: string }) => e.code === LiveErrorCodes.notFound && /no phase `planing`.*did you mean `planning`/.test(e.message),
    );

    const history = await client.request<{ entries: HistoryEntryData[] }>(HistoryRequest.method, key);
    assert.deepEqual(history.entries.map((h) => [h.entity, h.phase, h.from, h.to, h.actor, h.source]), [
      ['phase', 'planning', 'NOT_STARTED', 'IN_PROGRESS', 'tess@example.com', 'live-test'],
      ['activity', 'planning', 'NOT_STARTED', 'COMPLETED', 'tess@example.com', 'live-test'],
    ]);
  });

  if (backend.kind !== 'postgres') return;

  void test('two editors start the same phase at once: exactly one wins, the other is told it is already so, by whom', { timeout: 180_000 }, async () => {
    const ws = workspace();
    const target = await backend.freshTarget({ migrated: true });
    await seeded(target);
    const alice = await startLive(ws.root, { url: urlOf(target), user: 'tess@example.com' });
    const bob = await startLive(ws.root, { url: urlOf(target), user: 'ed@example.com' });
    await Promise.all([connected(alice), connected(bob)]);
    const fr = byName(await alice.request<InstancesResult>(InstancesRequest.method, {})).get('2026-Q4/FR-2052a')!;
    const request = { node: { cycleId: fr.cycleId, reportId: fr.reportId, phase: 'planning' }, action: 'start', expected: 'NOT_STARTED' };
    const results = await Promise.all([alice.request<TransitionResult>(TransitionRequest.method, request), bob.request<TransitionResult>(TransitionRequest.method, request)]);
    assert.deepEqual(results.map((r) => r.verdict).sort(), ['allowed', 'unchanged']);
    const loser = results.find((r) => r.verdict === 'unchanged')!;
    assert.match(loser.choice.notes[0]!, /^phase planning is already IN_PROGRESS \(started by (tess|ed)@example.com at .*\): nothing to do$/);
    assert.equal(loser.instance!.phases[0]!.status, 'IN_PROGRESS');
  });
});
