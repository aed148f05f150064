/**
 * The instance list and one instance in full, through the real server on PostgreSQL and
 * the embedded database: totals, the filters, keyset pages, the 9 phases with their
 * activities, who/when, SLA, and where each is defined in the open workspace.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import pg from 'pg';
import {
  InstanceRequest,
  InstancesRequest,
  LiveErrorCodes,
  TransitionRequest,
  type InstanceDetail,
  type InstancesResult,
} from '../../../schemas/lsp-protocol';
import { describeEachBackend } from '../../db/helpers/backends';
import { positionOf } from '../client';
import { EXAMPLE, byName, connected, seeded, startLive, urlOf, workspace } from './helpers';

/** The example, also applied to an earlier cycle: three instances in two cycles. */
const TWO_CYCLES = readFileSync(EXAMPLE, 'utf8').replace('applies_to:\n', 'applies_to:\n  - cycle: 2025-Q4\n    reports: [FR-Y-14Q]\n');
const names = (r: InstancesResult) => r.instances.map((i) => `${i.cycle}/${i.report}`);

describeEachBackend('live instances', (backend) => {
  void test('lists the cycle and its instances, then drills down into one', { timeout: 180_000 }, async () => {
    const ws = workspace();
    const target = await backend.freshTarget({ migrated: true });
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

  void test('pages across cycles, the filters, and totals as work moves on', { timeout: 180_000 }, async () => {
    const ws = workspace();
    const target = await backend.freshTarget({ migrated: true });
    await seeded(target, TWO_CYCLES);
    const client = await startLive(ws.root, { url: urlOf(target), user: 'tess@example.com' });
    await connected(client);
    const all = await client.request<InstancesResult>(InstancesRequest.method, {});
    assert.deepEqual(names(all), ['2025-Q4/FR-Y-14Q', '2026-Q4/FR-2052a', '2026-Q4/FR-Y-14Q']);
    assert.deepEqual(all.cycles.map((c) => [c.cycle, c.instances]), [['2025-Q4', 1], ['2026-Q4', 2]]);
    const seen: string[] = [];
    for (let cursor: string | null | undefined, pages = 0; cursor !== null; pages++) {
      assert.ok(pages < 5, 'the pages end');
      const page: InstancesResult = await client.request<InstancesResult>(InstancesRequest.method, { limit: 1, ...(cursor ? { cursor } : {}) });
      seen.push(...names(page));
      cursor = page.nextCursor;
    }
    assert.deepEqual(seen, names(all));
    const second = all.cycles[1]!;
    assert.deepEqual(names(await client.request<InstancesResult>(InstancesRequest.method, { cycleId: second.cycleId })), ['2026-Q4/FR-2052a', '2026-Q4/FR-Y-14Q']);

    // tess starts planning of 2026-Q4/FR-Y-14Q through its START activity (a marker: it completes
    // with the phase), then starts load_attributes and blocks it.
    const fr = byName(all).get('2026-Q4/FR-Y-14Q')!;
    const on = (activity: string) => ({ cycleId: fr.cycleId, reportId: fr.reportId, phase: 'planning', activity });
    for (const step of [{ node: on('start_planning'), action: 'start' }, { node: on('load_attributes'), action: 'start' }, { node: on('load_attributes'), action: 'block', reason: 'waiting for the CDO' }]) {
      assert.equal((await client.request<{ verdict: string }>(TransitionRequest.method, step)).verdict, 'allowed');
    }
    for (const filter of ['in-progress', 'blocked', 'mine']) {
      const list = await client.request<InstancesResult>(InstancesRequest.method, { filter });
      assert.deepEqual(names(list), ['2026-Q4/FR-Y-14Q'], filter);
      assert.deepEqual(list.cycles.map((c) => [c.cycle, c.instances, c.inProgress, c.blocked]), [['2026-Q4', 1, 1, 1]], filter);
      assert.deepEqual([list.instances[0]!.inProgress, list.instances[0]!.blocked, list.instances[0]!.current], [1, 1, 'planning'], filter);
    }
    // ed (test_executive) started nothing, but planning, in progress, has review_attributes waiting for his role.
    await client.setConfiguration('workflowPhases', { database: { url: urlOf(target) }, user: 'ed@example.com' });
    await client.databaseStatus((s) => s.user?.name === 'ed@example.com');
    assert.deepEqual(names(await client.request<InstancesResult>(InstancesRequest.method, { filter: 'mine' })), ['2026-Q4/FR-Y-14Q']);
    // dora (data_owner): nothing of hers anywhere.
    await client.setConfiguration('workflowPhases', { database: { url: urlOf(target) }, user: 'dora@example.com' });
    await client.databaseStatus((s) => s.user?.name === 'dora@example.com');
    assert.deepEqual(names(await client.request<InstancesResult>(InstancesRequest.method, { filter: 'mine' })), []);

    if (target.kind !== 'postgres') return;
    // Started four days ago, against a 72-hour SLA: overdue.
    const admin = new pg.Client(target.url);
    await admin.connect();
    await admin.query("UPDATE workflow_phases SET started_at = LOCALTIMESTAMP - interval '96 hours' WHERE cycle_id = $1 AND report_id = $2 AND phase_name = 'planning'", [fr.cycleId, fr.reportId]);
    await admin.end();
    const late = await client.request<InstancesResult>(InstancesRequest.method, { filter: 'in-progress' });
    assert.deepEqual([late.cycles[0]!.overdue, late.instances[0]!.overdue], [1, 1]);
    const detail = (await client.request<InstanceDetail>(InstanceRequest.method, { cycleId: fr.cycleId, reportId: fr.reportId }));
    assert.equal(detail.phases[0]!.overdue, true);
    assert.equal(detail.overdue, 1);
    assert.ok(Date.parse(detail.phases[0]!.slaDue!) < Date.now());
  });
});
