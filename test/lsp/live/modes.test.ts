/**
 * How the server picks and switches its database: Restricted Mode connects to nothing;
 * with nothing configured there is no database until `createEmbedded` (or a sync) makes
 * the workspace's `.workflow-phases/`, which later sessions then use by themselves; the
 * acting user from `git config user.email`, then from the setting; settings re-read on
 * `workspace/didChangeConfiguration`, switching the database says "reload".
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import {
  CreateEmbeddedRequest,
  InitRequest,
  InstancesRequest,
  LiveErrorCodes,
  SyncRequest,
  type CreateEmbeddedResult,
  type InitResult,
  type InstancesResult,
  type SyncResultData,
} from '../../../schemas/lsp-protocol';
import { describeEachBackend } from '../../db/helpers/backends';
import { connected, seeded, startLive, urlOf, workspace } from './helpers';

const PHASECTL = join(__dirname, '..', '..', '..', 'dist', 'phasectl.js');
const noDatabase = (e: { code: number }) => e.code === LiveErrorCodes.noDatabase;

describeEachBackend('live modes', (backend) => {
  void test('Restricted Mode: no connection is made, nothing is created, requests say why', { timeout: 120_000 }, async () => {
    const ws = workspace();
    const target = backend.kind === 'postgres' ? await backend.freshTarget() : { kind: 'embedded' as const, folder: join(ws.root, 'never-created') };
    const client = await startLive(ws.root, { url: urlOf(target) }, { initializationOptions: { liveDatabase: false } });
    const status = await client.databaseStatus();
    assert.equal(status.state, 'none');
    assert.match(status.reason ?? '', /Restricted Mode/);
    await client.waitFor('the workspace scan', () => client.statuses.some((s) => s.files === 1 && s.quiescent));
    await assert.rejects(client.request(InstancesRequest.method, {}), (e: { code: number; message: string }) => noDatabase(e) && /Restricted Mode/.test(e.message));
    await assert.rejects(client.request(SyncRequest.method, {}), noDatabase);
    await assert.rejects(client.request(CreateEmbeddedRequest.method, {}), noDatabase);
    if (target.kind === 'embedded') {
      assert.equal(existsSync(target.folder!), false);
      assert.equal(existsSync(join(ws.root, '.workflow-phases')), false);
    } else {
      const admin = new pg.Client(target.url);
      await admin.connect();
      const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'workflow-phases%'");
      await admin.end();
      assert.equal(rows[0].n, 0);
    }
    assert.equal(client.databaseStatuses.every((s) => s.state === 'none'), true);
  });

  void test('the acting user: git config user.email, then the setting; switching databases says reload', { timeout: 120_000 }, async () => {
    const ws = workspace();
    execFileSync('git', ['init', '-q', ws.root]);
    execFileSync('git', ['config', 'user.email', 'tess@example.com'], { cwd: ws.root });
    const target = await backend.freshTarget({ migrated: true });
    await seeded(target);
    const client = await startLive(ws.root, { url: urlOf(target) });
    assert.deepEqual((await connected(client)).user, { id: 1, name: 'tess@example.com', role: 'tester', source: 'git' });

    await client.setConfiguration('workflowPhases', { database: { url: urlOf(target) }, user: 'olga@example.com' });
    assert.deepEqual((await client.databaseStatus((s) => s.user?.source === 'setting')).user, { id: 3, name: 'olga@example.com', role: 'report_owner', source: 'setting' });
    await client.setConfiguration('workflowPhases', { database: { url: urlOf(target) }, user: 'nobody@example.com' });
    const unknown = (await client.databaseStatus((s) => s.user?.name === 'nobody@example.com')).user!;
    assert.equal(unknown.id, null);
    assert.match(unknown.problem ?? '', /workflowPhases.user: no user 'nobody@example.com' in users/);

    const other = await backend.freshTarget({ migrated: true });
    await seeded(other);
    const mark = client.changes.length;
    await client.setConfiguration('workflowPhases', { database: { url: urlOf(other) }, user: '' });
    const status = await client.databaseStatus((s) => s.state === 'connected' && s.description.includes(other.kind === 'postgres' ? new URL(other.url).pathname : other.folder!));
    assert.equal(status.user?.source, 'git');
    assert.deepEqual(await client.nextChange((c) => c.reconnected, mark), { reconnected: true, instances: [] });
  });

  if (backend.kind !== 'postgres') return;

  void test('a client with only rootUri and workspace/configuration (no folder events) still gets the database', { timeout: 60_000 }, async () => {
    const ws = workspace();
    const target = await backend.freshTarget({ migrated: true });
    await seeded(target);
    const client = await startLive(ws.root, { url: urlOf(target) }, { capabilities: { workspace: { configuration: true } } });
    await connected(client);
    assert.equal((await client.request<InstancesResult>(InstancesRequest.method, {})).instances.length, 2);
    assert.deepEqual(client.logs.filter((l) => /failed/.test(l)), []);
  });
});

void test('an unreachable database: validation goes on, the status says why and when it retries; an explicit embedded folder is created', { timeout: 120_000 }, async () => {
  const ws = workspace();
  const client = await startLive(ws.root, { url: 'postgres://postgres@127.0.0.1:1/nowhere' });
  const down = await client.databaseStatus((s) => s.state === 'disconnected');
  assert.deepEqual([down.kind, down.label, down.description], ['postgres', '127.0.0.1:1', 'postgres postgres://postgres@127.0.0.1:1/nowhere']);
  assert.match(down.reason ?? '', /cannot reach PostgreSQL at 127\.0\.0\.1:1: connection refused/);
  assert.equal(down.retryInMs, 1000);
  const diagnostics = await client.open(ws.uri, ws.text.replace('name: scoping', 'name: scopign'));
  assert.deepEqual(diagnostics.map((d) => d.code), ['unknown-phase']);
  await assert.rejects(client.request(InstancesRequest.method, {}), (e: { code: number; message: string }) => noDatabase(e) && /connection refused/.test(e.message));
  // Retrying with backoff: the next attempt waits longer.
  await client.databaseStatus((s) => s.state === 'disconnected' && (s.retryInMs ?? 0) > 1000);

  const folder = join(ws.root, 'state', 'db');
  await client.setConfiguration('workflowPhases', { database: { url: 'embedded:state/db' }, user: '' });
  const up = await connected(client);
  assert.equal(up.description, `embedded ${folder}`);
  assert.equal(existsSync(join(folder, 'PG_VERSION')), true);
});

void test('nothing configured: no database until createEmbedded, which later sessions use; the folder is released on exit', { timeout: 180_000 }, async () => {
  const ws = workspace();
  const folder = join(ws.root, '.workflow-phases');
  const first = await startLive(ws.root, {});
  const none = await first.databaseStatus();
  assert.equal(none.state, 'none');
  assert.match(none.reason ?? '', /no database is configured/);
  await assert.rejects(first.request(InstancesRequest.method, {}), noDatabase);
  const made = await first.request<CreateEmbeddedResult>(CreateEmbeddedRequest.method, {});
  assert.deepEqual(made, { folder, created: true });
  const status = await connected(first);
  assert.deepEqual([status.kind, status.label, status.description], ['embedded', 'embedded', `embedded ${folder}`]);
  assert.equal(readFileSync(join(folder, '.gitignore'), 'utf8'), '*\n');
  assert.deepEqual(await first.request(CreateEmbeddedRequest.method, {}), { folder, created: false });
  await first.stop();
  // Released: another process can open it now.
  const status2 = spawnSync(process.execPath, [PHASECTL, 'status', '--db', `embedded:${folder}`], { encoding: 'utf8' });
  assert.equal(status2.status, 0, status2.stderr);

  const second = await startLive(ws.root, {});
  assert.equal((await connected(second)).kind, 'embedded');
  assert.deepEqual((await second.request<InstancesResult>(InstancesRequest.method, {})).instances, []);
});

void test('nothing configured: sync and init create the workspace\'s embedded database and write to it', { timeout: 180_000 }, async () => {
  const ws = workspace();
  const client = await startLive(ws.root, {});
  await client.databaseStatus((s) => s.state === 'none');
  await client.waitFor('the workspace scan', () => client.statuses.some((s) => s.files === 1 && s.quiescent));
  const sync = await client.request<SyncResultData>(SyncRequest.method, {});
  assert.equal(existsSync(join(ws.root, '.workflow-phases')), true);
  assert.equal(sync.applied, false);
  assert.deepEqual(sync.unknown.map((u) => u.value), ['2026-Q4', 'FR-Y-14Q', 'FR-2052a']);
  const init = await client.request<InitResult>(InitRequest.method, { createMissing: true });
  assert.equal(init.applied, true);
  assert.equal((await client.request<InstancesResult>(InstancesRequest.method, {})).instances.length, 2);
});
