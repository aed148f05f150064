/**
 * The change feed through the real server: a change committed by another process
 * (`phasectl`, on PostgreSQL, and on the embedded folder the server holds and shares) or by
 * hand (an UPDATE of several rows) arrives as one batched `workflowPhases/changed` per
 * transaction, naming the instance and the changed rows.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { InstanceRequest, InstancesRequest, TransitionRequest, type InstanceDetail, type InstancesResult } from '../../../schemas/lsp-protocol';
import { openDatabase } from '../../../server/db/database';
import { describeEachBackend } from '../../db/helpers/backends';
import { byName, connected, seeded, startLive, urlOf, workspace } from './helpers';

const PHASECTL = join(__dirname, '..', '..', '..', 'dist', 'phasectl.js');

describeEachBackend('live change feed', (backend) => {
  void test('a transition reaches workflowPhases/changed as one notification per transaction', { timeout: 120_000 }, async () => {
    const ws = workspace();
    const target = await backend.freshTarget({ migrated: true });
    await seeded(target);
    const client = await startLive(ws.root, { url: urlOf(target), user: 'tess@example.com' });
    await connected(client);
    const fr = byName(await client.request<InstancesResult>(InstancesRequest.method, {})).get('2026-Q4/FR-Y-14Q')!;
    const before = (await client.request<InstanceDetail>(InstanceRequest.method, { cycleId: fr.cycleId, reportId: fr.reportId }));
    const planning = before.phases[0]!;
    const mark = client.changes.length;
    // Starting the START activity writes the activity and its phase: two statements, one transaction.
    const r = await client.request<{ verdict: string }>(TransitionRequest.method, { node: { cycleId: fr.cycleId, reportId: fr.reportId, phase: 'planning', activity: 'start_planning' }, action: 'start' });
    assert.equal(r.verdict, 'allowed');
    const change = await client.nextChange((c) => c.instances.some((i) => i.activityIds.length > 0), mark);
    assert.deepEqual(change, {
      reconnected: false,
      instances: [{ cycleId: fr.cycleId, reportId: fr.reportId, phaseIds: [planning.phaseId], activityIds: [planning.activities[0]!.activityId], all: false }],
    });
  });

  if (backend.kind === 'embedded') {
    void test('phasectl works on the embedded folder the server holds, and its change reaches the client', { timeout: 120_000 }, async () => {
      const ws = workspace();
      const target = await backend.freshTarget({ migrated: true });
      await seeded(target);
      const client = await startLive(ws.root, { url: urlOf(target) });
      await connected(client);
      const fr = byName(await client.request<InstancesResult>(InstancesRequest.method, {})).get('2026-Q4/FR-2052a')!;
      const detail = (await client.request<InstanceDetail>(InstanceRequest.method, { cycleId: fr.cycleId, reportId: fr.reportId }));
      const mark = client.changes.length;
      // Not spawnSync: the server is the holder serving phasectl, and this process only watches.
      const run = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, [PHASECTL, 'phase', 'start', 'planning', '--cycle', '2026-Q4', '--report', 'FR-2052a', '--as', 'tess@example.com', '--db', urlOf(target)]);
        let output = '';
        child.stdout.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr.on('data', (c: Buffer) => (output += c.toString()));
        child.on('exit', (code) => resolve({ code, output }));
      });
      assert.equal(run.code, 0, run.output);
      const change = await client.nextChange((c) => c.instances.length > 0, mark);
      // Starting the phase completes its START activity in the same transaction (issue 12).
      assert.deepEqual(change.instances, [{ cycleId: fr.cycleId, reportId: fr.reportId, phaseIds: [detail.phases[0]!.phaseId], activityIds: [detail.phases[0]!.activities[0]!.activityId], all: false }]);
      const after = (await client.request<InstanceDetail>(InstanceRequest.method, { cycleId: fr.cycleId, reportId: fr.reportId }));
      assert.equal(after.phases[0]!.status, 'IN_PROGRESS');
      assert.equal((await client.databaseStatus()).state, 'connected');
    });
    return;
  }

  void test('a change made by another process reaches the client: phasectl, then an UPDATE of many rows', { timeout: 120_000 }, async () => {
    const ws = workspace();
    const target = await backend.freshTarget({ migrated: true });
    await seeded(target);
    const client = await startLive(ws.root, { url: urlOf(target) });
    await connected(client);
    const fr = byName(await client.request<InstancesResult>(InstancesRequest.method, {})).get('2026-Q4/FR-2052a')!;
    const detail = (await client.request<InstanceDetail>(InstanceRequest.method, { cycleId: fr.cycleId, reportId: fr.reportId }));
    const mark = client.changes.length;
    const run = spawnSync(process.execPath, [PHASECTL, 'phase', 'start', 'planning', '--cycle', '2026-Q4', '--report', 'FR-2052a', '--as', 'tess@example.com', '--db', urlOf(target)], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const change = await client.nextChange((c) => c.instances.length > 0, mark);
    // Starting the phase completes its START activity in the same transaction (issue 12).
    assert.deepEqual(change.instances, [{ cycleId: fr.cycleId, reportId: fr.reportId, phaseIds: [detail.phases[0]!.phaseId], activityIds: [detail.phases[0]!.activities[0]!.activityId], all: false }]);

    const db = await openDatabase(target);
    try {
      const next = client.changes.length;
      await db.query("UPDATE workflow_activities SET description = 'edited by hand' WHERE phase_id = $1", [detail.phases[1]!.phaseId]);
      const bulk = await client.nextChange((c) => c.instances.length > 0, next);
      assert.deepEqual(bulk.instances, [{ cycleId: fr.cycleId, reportId: fr.reportId, phaseIds: [], activityIds: [], all: true }]);
    } finally {
      await db.close();
    }
  });
});
