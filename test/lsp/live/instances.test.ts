/**
 * The instance list and one instance in full, through the real server on PostgreSQL and
 * the embedded database: totals, the filters, keyset pages, the 9 phases with their
 * activities, who/when, SLA, and where each is defined in the open workspace.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  InstanceRequest,
  InstancesRequest,
  LiveErrorCodes,
  type InstanceDetail,
  type InstancesResult,
} from '../../../schemas/lsp-protocol';
import { describeEachBackend } from '../../db/helpers/backends';
import { positionOf } from '../client';
import { byName, connected, seeded, startLive, urlOf, workspace } from './helpers';

describeEachBackend('live instances', (backend) => {
  void test('lists the cycle and its instances, then drills down into one', { timeout: 180_000 }, async () => {
    const ws = workspace();
    const target = await backend.freshTarget();
    await seeded(target);
    const client = await startLive(ws.root, { url: urlOf(target), user: 'tess@example.com' });
    const status = await connected(client);
    assert.equal(status.kind, backend.kind);
    assert.deepEqual(status.user, { id: 1, name: 'tess@example.com', role: 'tester', source: 'setting' });

    const list = await client.request<InstancesResult>(InstancesRequest.method, {});
    assert.deepEqual(list.cycles.map((c) => [c.cycle, c.instances, c.inProgress, c.blocked, c.overdue]), [['2026-Q4', 2, 0, 0, 0]]);
    assert.deepEqual([...byName(list).keys()], ['2026-Q4/FR-2052a', '2026-Q4/FR-Y-14Q']);
    const first = list.instances[0]!;
    assert.deepEqual(
      { workflow: first.workflow, done: first.done, total: first.total, inProgress: first.inProgress, blocked: first.blocked, current: first.current },
      { workflow: 'regulatory-testing', done: 0, total: 9, inProgress: 0, blocked: 0, current: 'planning' },
    );
    assert.equal(list.nextCursor, null);

    const page1 = await client.request<InstancesResult>(InstancesRequest.method, { limit: 1 });
    assert.deepEqual(page1.instances.map((i) => i.report), ['FR-2052a']);
    assert.ok(page1.nextCursor);
    const page2 = await client.request<InstancesResult>(InstancesRequest.method, { limit: 1, cursor: page1.nextCursor });
    assert.deepEqual(page2.instances.map((i) => i.report), ['FR-Y-14Q']);
    assert.equal(page2.nextCursor, null);

    const detail = (await client.request<InstanceDetail | null>(InstanceRequest.method, { cycleId: first.cycleId, reportId: first.reportId }))!;
    assert.equal(detail.report, 'FR-2052a');
    assert.deepEqual(detail.phases.map((p) => p.name), ['planning', 'scoping', 'data_request', 'data_profiling', 'sample_selection', 'request_info', 'test_execution', 'observation_mgmt', 'test_report']);
    const planning = detail.phases[0]!;
    assert.deepEqual(
      { title: planning.title, status: planning.status, risk: planning.riskLevel, sla: planning.slaHours, due: planning.slaDue, progress: planning.progress },
      { title: 'Report Planning & Attribute Definition', status: 'NOT_STARTED', risk: 'medium', sla: 72, due: null, progress: { done: 0, total: 3 } },
    );
    assert.deepEqual(planning.activities.map((a) => `${a.name}:${a.type}:${a.status}:${a.required}`), [
      'start_planning:START:NOT_STARTED:true',
      'load_attributes:TASK:NOT_STARTED:true',
      'add_data_source:TASK:NOT_STARTED:false',
      'review_attributes:REVIEW:NOT_STARTED:true',
      'approve_attributes:APPROVAL:NOT_STARTED:true',
      'complete_planning:COMPLETE:NOT_STARTED:true',
    ]);
    // Where each is defined: the workspace's file, on the `workflow:` value and each `- name:`.
    assert.deepEqual(detail.definition, { uri: ws.uri, range: { start: positionOf(ws.text, 'regulatory-testing', 0, ws.text.indexOf('workflow:')), end: positionOf(ws.text, 'regulatory-testing', 18, ws.text.indexOf('workflow:')) } });
    assert.deepEqual(planning.definition?.range.start, positionOf(ws.text, 'planning', 0, ws.text.indexOf('- name: planning')));
    assert.deepEqual(planning.activities[1]!.definition?.range.start, positionOf(ws.text, 'load_attributes'));

    assert.equal(await client.request(InstanceRequest.method, { cycleId: first.cycleId, reportId: 999_999 }), null);
    await assert.rejects(client.request(InstanceRequest.method, { cycleId: 'x', reportId: 1 }), (e: { code: number; message: string }) => e.code === LiveErrorCodes.badRequest && /cycleId must be a whole number/.test(e.message));
    await assert.rejects(client.request(InstancesRequest.method, { cursor: 'nonsense' }), (e: { code: number }) => e.code === LiveErrorCodes.badRequest);
  });
});
