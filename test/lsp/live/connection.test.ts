/**
 * The PostgreSQL connection of the real server: the password asked for with
 * `workflowPhases/password` (answered, refused then asked once more, `PGPASSWORD` for a
 * client without the request) and never logged; the two-connection budget counted in
 * pg_stat_activity, the query connection released when idle; the database going away and
 * coming back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { InstancesRequest, type InstancesResult } from '../../../schemas/lsp-protocol';
import { describeEachBackend } from '../../db/helpers/backends';
import { startPasswordProxy } from '../../helpers/password-proxy';
import { connected, seeded, startLive, workspace } from './helpers';

const SERVER_CONNECTIONS = "application_name IN ('workflow-phases language server', 'workflow-phases change feed')";

/** The server's connections to `url`'s database, by application_name. */
async function serverConnections(url: string): Promise<string[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows } = await client.query<{ application_name: string }>(
      `SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND ${SERVER_CONNECTIONS} ORDER BY application_name`,
    );
    return rows.map((r) => r.application_name);
  } finally {
    await client.end();
  }
}

/** `url` with its port changed (to go through the proxy). */
function viaPort(url: string, port: number): string {
  const u = new URL(url);
  u.port = String(port);
  return u.toString();
}

describeEachBackend('live connection', (backend) => {
  if (backend.kind !== 'postgres') return;

  void test('the password is asked for, used for both connections, and never logged', { timeout: 120_000 }, async () => {
    const target = await backend.freshTarget({ migrated: true });
    if (target.kind !== 'postgres') return;
    await seeded(target);
    const proxy = await startPasswordProxy(Number(new URL(target.url).port || 5432), 'open sesame');
    try {
      const url = viaPort(target.url, proxy.port);
      const client = await startLive(workspace().root, { url }, { password: () => ({ password: 'open sesame' }) });
      await connected(client);
      const u = new URL(url);
      assert.deepEqual(client.passwordRequests, [{ url, host: '127.0.0.1', port: proxy.port, user: 'postgres', database: u.pathname.slice(1), previousFailed: false }]);
      const list = await client.request<InstancesResult>(InstancesRequest.method, {});
      assert.equal(list.instances.length, 2);
      assert.ok(proxy.attempts.length >= 2 && proxy.attempts.every((p) => p === 'open sesame'), 'the pool and the feed both logged in with it');
      await client.stop();
      assert.ok(!client.stderr.includes('sesame') && !client.logs.some((l) => l.includes('sesame')), 'the password is not in the logs');
    } finally {
      await proxy.close();
    }
  });

  void test('a refused password is asked for once more, then the status says why', { timeout: 120_000 }, async () => {
    const target = await backend.freshTarget({ migrated: true });
    if (target.kind !== 'postgres') return;
    await seeded(target);
    const proxy = await startPasswordProxy(Number(new URL(target.url).port || 5432), 'right');
    try {
      const wrong = await startLive(workspace().root, { url: viaPort(target.url, proxy.port) }, { password: (p) => ({ password: p.previousFailed ? 'still wrong' : 'wrong' }) });
      const status = await wrong.databaseStatus((s) => s.state === 'disconnected');
      assert.match(status.reason ?? '', /PostgreSQL at 127\.0\.0\.1:\d+ refused user 'postgres': wrong password or not allowed \(28P01\)/);
      assert.equal(status.retryInMs, undefined, 'a wrong password is not retried by itself');
      assert.deepEqual(wrong.passwordRequests.map((p) => p.previousFailed), [false, true]);
      assert.deepEqual(proxy.attempts, ['wrong', 'still wrong']);

      const second = await startLive(workspace().root, { url: viaPort(target.url, proxy.port) }, { password: (p) => ({ password: p.previousFailed ? 'right' : 'wrong' }) });
      await connected(second);
      assert.deepEqual(second.passwordRequests.map((p) => p.previousFailed), [false, true]);

      // A client without the request: the server falls back on PGPASSWORD, which pg reads.
      const plain = await startLive(workspace().root, { url: viaPort(target.url, proxy.port) }, { env: { PGPASSWORD: 'right' } });
      await connected(plain);
      assert.equal(plain.passwordRequests.length, 0);
    } finally {
      await proxy.close();
    }
  });

  void test('two connections at most; the query connection closes when idle and comes back', { timeout: 120_000 }, async () => {
    const target = await backend.freshTarget({ migrated: true });
    if (target.kind !== 'postgres') return;
    await seeded(target);
    const client = await startLive(workspace().root, { url: target.url }, { env: { WORKFLOW_PHASES_IDLE_MS: '300' } });
    await connected(client);
    const lists = await Promise.all(Array.from({ length: 8 }, () => client.request<InstancesResult>(InstancesRequest.method, {})));
    assert.ok(lists.every((l) => l.instances.length === 2));
    const busy = await serverConnections(target.url);
    assert.ok(busy.length <= 2 && busy.includes('workflow-phases change feed'), busy.join(', '));
    // Idle: only the LISTEN connection stays.
    for (let seen = busy; seen.length !== 1; seen = await serverConnections(target.url)) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await serverConnections(target.url), ['workflow-phases change feed']);
    assert.equal((await client.request<InstancesResult>(InstancesRequest.method, {})).instances.length, 2);
  });

  void test('the database going away and coming back: disconnected, connected, and a reload signal', { timeout: 120_000 }, async () => {
    const target = await backend.freshTarget({ migrated: true });
    if (target.kind !== 'postgres') return;
    await seeded(target);
    const client = await startLive(workspace().root, { url: target.url });
    await connected(client);
    const mark = client.databaseStatuses.length;
    const admin = new pg.Client(target.url);
    await admin.connect();
    try {
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND ${SERVER_CONNECTIONS}`);
    } finally {
      await admin.end();
    }
    const reload = await client.nextChange((c) => c.reconnected);
    assert.deepEqual(reload.instances, []);
    const states = client.databaseStatuses.slice(mark).map((s) => s.state);
    assert.deepEqual([...new Set(states)], ['disconnected', 'connected']);
    const down = client.databaseStatuses.slice(mark).find((s) => s.state === 'disconnected')!;
    assert.match(down.reason ?? '', /the database connection was lost \(.*terminat.*\); reconnecting/i);
    assert.ok(typeof down.retryInMs === 'number');
    // Queries work again (the pool opened a new connection).
    assert.equal((await client.request<InstancesResult>(InstancesRequest.method, {})).instances.length, 2);
  });
});
