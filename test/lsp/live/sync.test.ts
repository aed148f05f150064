/**
 * Plan, sync and init through the real server on PostgreSQL and the embedded database:
 * the workspace's files (a broken one skipped and listed), unknown cycles and reports,
 * init creating them on a standalone database, an unchanged re-plan, a refused sync after
 * the open document drops a started activity, and a host application's tables left alone.
 */
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  InitRequest,
  InstancesRequest,
  LiveErrorCodes,
  PlanRequest,
  SyncRequest,
  TransitionRequest,
  type InitResult,
  type InstancesResult,
  type PlanResult,
  type SyncResultData,
} from '../../../schemas/lsp-protocol';
import { openDatabase } from '../../../server/db/database';
import { migrate } from '../../../server/db/migrations/migrate';
import { seedUsers } from '../../transitions/helpers/seed';
import { describeEachBackend } from '../../db/helpers/backends';
import { uriOf } from '../client';
import { EXAMPLE, byName, connected, startLive, urlOf, workspace } from './helpers';

const BROKEN = join(EXAMPLE, '..', 'broken', 'misspelt-phase.phases.yaml');

describeEachBackend('live sync', (backend) => {
  void test('plan lists unknown cycles, init creates them and the instances, a dropped started activity is refused', { timeout: 180_000 }, async () => {
    const ws = workspace();
    copyFileSync(BROKEN, join(ws.root, 'misspelt.phases.yaml'));
    const target = await backend.freshTarget({ migrated: true });
    const db = await openDatabase(target);
    await migrate(db);
    await seedUsers(db);
    await db.close();
    const client = await startLive(ws.root, { url: urlOf(target), user: 'tess@example.com' });
    await connected(client);
    await client.waitFor('the workspace scan', () => client.statuses.some((s) => s.files === 2 && s.quiescent));

    const plan = await client.request<PlanResult>(PlanRequest.method, {});
    assert.deepEqual(plan.files, [ws.uri]);
    assert.deepEqual(plan.skipped, [{ uri: uriOf(join(ws.root, 'misspelt.phases.yaml')), errors: 1 }]);
    assert.deepEqual(plan.unknown.map((u) => [u.kind, u.value, u.workflow, u.uri]), [
      ['cycle', '2026-Q4', 'regulatory-testing', ws.uri],
      ['report', 'FR-Y-14Q', 'regulatory-testing', ws.uri],
      ['report', 'FR-2052a', 'regulatory-testing', ws.uri],
    ]);
    assert.deepEqual(plan.instances, []);

    const init = await client.request<InitResult>(InitRequest.method, { createMissing: true });
    assert.equal(init.applied, true);
    assert.deepEqual(init.created, [{ kind: 'cycle', name: '2026-Q4' }, { kind: 'report', name: 'FR-2052a' }, { kind: 'report', name: 'FR-Y-14Q' }]);
    assert.deepEqual(init.instances.map((i) => `${i.cycle}/${i.report}`).sort(), ['2026-Q4/FR-2052a', '2026-Q4/FR-Y-14Q']);
    assert.ok(init.instances.every((i) => i.changes[0]!.action === 'create' && i.changes[0]!.entity === 'instance'));
    assert.equal(init.summary.refused, 0);

    const list = await client.request<InstancesResult>(InstancesRequest.method, {});
    assert.equal(list.instances.length, 2);
    const again = await client.request<PlanResult>(PlanRequest.method, { uri: ws.uri });
    assert.deepEqual(again.unchanged, ['regulatory-testing']);
    assert.deepEqual(again.summary, { create: 0, update: 0, delete: 0, refused: 0 });

    // Start `load_attributes`, then drop it from the open document: sync refuses, naming the row.
    const fr = byName(list).get('2026-Q4/FR-Y-14Q')!;
    // Starting the START activity starts the phase and completes the marker (issue 12); then the work.
    for (const [activity, action] of [['start_planning', 'start'], ['load_attributes', 'start']] as const) {
      const r = await client.request<{ verdict: string; choice: { unmet: string[] } }>(TransitionRequest.method, { node: { cycleId: fr.cycleId, reportId: fr.reportId, phase: 'planning', activity }, action });
      assert.equal(r.verdict, 'allowed', r.choice.unmet.join('\n'));
    }
    await client.open(ws.uri, ws.text.replace('      - {name: load_attributes, type: TASK, role: tester}\n', ''));
    const refused = await client.request<SyncResultData>(SyncRequest.method, { uri: ws.uri });
    assert.equal(refused.applied, false);
    assert.deepEqual(refused.instances.flatMap((i) => i.refused.map((r) => [i.report, r.reason, r.phase, r.activity, r.status])), [['FR-Y-14Q', 'remove-started-activity', 'planning', 'load_attributes', 'IN_PROGRESS']]);
    const partial = await client.request<SyncResultData>(SyncRequest.method, { uri: ws.uri, allowPartial: true });
    assert.equal(partial.applied, true);
    assert.deepEqual(partial.instances.flatMap((i) => i.changes.filter((c) => c.action === 'delete').map((c) => `${i.report}:${c.activity}`)), ['FR-2052a:load_attributes']);
  });

  void test('createMissing leaves a host application\'s tables alone', { timeout: 120_000 }, async () => {
    const ws = workspace();
    const target = await backend.freshTarget({ migrated: true });
    const db = await openDatabase(target);
    await migrate(db);
    // A host application's test_cycles has columns of its own.
    await db.exec('ALTER TABLE test_cycles ADD COLUMN owner TEXT');
    await db.close();
    const client = await startLive(ws.root, { url: urlOf(target) });
    await connected(client);
    await client.waitFor('the workspace scan', () => client.statuses.some((s) => s.files === 1 && s.quiescent));
    await assert.rejects(
      client.request(InitRequest.method, { createMissing: true }),
      (e: { code: number; message: string }) => e.code === LiveErrorCodes.badRequest && /test_cycles belongs to a host application/.test(e.message),
    );
    const init = await client.request<InitResult>(InitRequest.method, {});
    assert.equal(init.applied, false);
    assert.equal(init.unknown.length, 3);
  });
});
