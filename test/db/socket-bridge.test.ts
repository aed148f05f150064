/**
 * The holder's socket bridge on a real PGlite folder, with real `pg` clients on its
 * socket: notifications reach the holder and listening clients (committed ones only),
 * a client's transaction has the one backend to itself and the holder's own work queues
 * behind it (and the other way round), a client gone mid-transaction is rolled back,
 * clients do not collide on statement names, and a closing holder hands the folder on.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { holderConnection } from '../../server/db/backends/shared-database';
import { MAX_SOCKET_PATH } from '../../server/db/backends/socket-path';
import { DatabaseError, openDatabase } from '../../server/db/database';
import type { Database, ShareEvent } from '../../server/db/database';

const root = mkdtempSync(join(tmpdir(), 'wp-bridge-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Resolves with the next value `take` accepts from the values pushed into the returned `push`. */
function inbox<T>(): { push: (v: T) => void; next: (what: string) => Promise<T>; seen: T[] } {
  const seen: T[] = [];
  const waiting: ((v: T) => void)[] = [];
  return {
    seen,
    push(v) {
      seen.push(v);
      waiting.shift()?.(v);
    },
    next(what) {
      const already = seen.length > 0 ? seen.shift() : undefined;
      if (already !== undefined) return Promise.resolve(already);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} within 10 s`)), 10_000);
        waiting.push((v) => {
          clearTimeout(timer);
          seen.splice(seen.indexOf(v), 1);
          resolve(v);
        });
      });
    },
  };
}

void describe('the embedded database shared over its socket', () => {
  let holder: Database;
  const clients: pg.Client[] = [];

  async function client(): Promise<pg.Client> {
    const socket = holder.sharing?.socket;
    assert.ok(socket);
    const connection = holderConnection(socket);
    assert.ok(connection);
    const c = new pg.Client(connection);
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
    return c;
  }

  before(async () => {
    holder = await openDatabase({ kind: 'embedded', folder: join(root, 'db') });
    await holder.exec('CREATE TABLE t (v int)');
  });
  after(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await holder.close();
  });

  void test('the holder says it holds the folder and where it serves it', () => {
    assert.equal(holder.sharing?.role, 'holder');
    assert.equal(holder.sharing?.holderPid, process.pid);
    assert.equal(holder.sharing?.socket, join(root, 'db', '.s.PGSQL.5432'));
  });

  void test('a committed NOTIFY reaches the holder and every listening client, wherever it was made; a rolled-back one nobody', async () => {
    const atHolder = inbox<string>();
    const stop = await holder.listen('chan', (n) => atHolder.push(n.payload));
    const listener = await client();
    const atListener = inbox<string>();
    listener.on('notification', (n) => atListener.push(n.payload ?? ''));
    await listener.query('LISTEN chan');
    const writer = await client();
    const atWriter = inbox<string>();
    writer.on('notification', (n) => atWriter.push(n.payload ?? ''));

    await writer.query('BEGIN');
    await writer.query("SELECT pg_notify('chan', 'from a client')");
    await writer.query('COMMIT');
    assert.equal(await atHolder.next('notification at the holder'), 'from a client');
    assert.equal(await atListener.next('notification at the listening client'), 'from a client');

    await holder.query("SELECT pg_notify('chan', 'from the holder')");
    assert.equal(await atHolder.next('notification at the holder'), 'from the holder');
    assert.equal(await atListener.next('notification at the listening client'), 'from the holder');

    await writer.query('BEGIN');
    await writer.query("SELECT pg_notify('chan', 'rolled back')");
    await writer.query('ROLLBACK');
    await holder.query("SELECT pg_notify('chan', 'marker')");
    assert.equal(await atHolder.next('notification at the holder'), 'marker');
    assert.equal(await atListener.next('notification at the listening client'), 'marker');
    assert.deepEqual(atWriter.seen, [], 'a client that did not LISTEN gets nothing');

    // A client's UNLISTEN must not stop the one backend listening for the holder.
    await listener.query('UNLISTEN chan');
    await writer.query("SELECT pg_notify('chan', 'after unlisten')");
    assert.equal(await atHolder.next('notification at the holder'), 'after unlisten');
    await stop();
  });

  // Were a query of one run inside the other's transaction (one backend, one session), it
  // would see that transaction's rows; run after its ROLLBACK, it sees none.
  void test('a client in a transaction has the backend to itself: the holder\'s query waits for its end', async () => {
    await holder.exec('TRUNCATE t');
    const c = await client();
    await c.query('BEGIN');
    await c.query('INSERT INTO t VALUES (1)');
    const counted = holder.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await c.query('INSERT INTO t VALUES (2)');
    await c.query('ROLLBACK');
    assert.equal((await counted).rows[0]?.n, 0);
  });

  void test('the holder in a transaction has the backend to itself: a client\'s query waits for its end', async () => {
    await holder.exec('TRUNCATE t');
    const c = await client();
    const box: { counted?: Promise<pg.QueryResult<{ n: number }>> } = {};
    await assert.rejects(
      holder.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
        box.counted = c.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
        await new Promise((resolve) => setTimeout(resolve, 100));
        await tx.query('INSERT INTO t VALUES (2)');
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.ok(box.counted);
    assert.equal((await box.counted).rows[0]?.n, 0);
  });

  void test('a client that goes away in the middle of a transaction is rolled back, and the backend is free again', async () => {
    await holder.exec('TRUNCATE t');
    const c = await client();
    await c.query('BEGIN');
    await c.query('INSERT INTO t VALUES (1), (2), (3)');
    (c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const rows = await holder.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
    assert.equal(rows.rows[0]?.n, 0);
    const other = await client();
    assert.deepEqual((await other.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
  });

  void test('a message larger than any socket chunk (an 8 MB parameter) arrives whole', async () => {
    const c = await client();
    const big = 'x'.repeat(8 << 20);
    assert.deepEqual((await c.query('SELECT length($1::text) AS n, $2::int AS after', [big, 7])).rows, [{ n: 8 << 20, after: 7 }]);
  });

  void test('two clients may prepare statements of the same name', async () => {
    const [a, b] = [await client(), await client()];
    for (let round = 0; round < 2; round++) {
      assert.deepEqual((await a.query({ name: 'same', text: 'SELECT $1::int + 1 AS v', values: [1] })).rows, [{ v: 2 }]);
      assert.deepEqual((await b.query({ name: 'same', text: 'SELECT $1::int + 100 AS v', values: [1] })).rows, [{ v: 101 }]);
    }
  });
});

void describe('opening a shared folder', () => {
  void test('a folder whose socket path would be too long is served from a private folder under the temp dir', async () => {
    const folder = join(root, 'x'.repeat(Math.max(1, MAX_SOCKET_PATH - root.length)), 'db');
    mkdirSync(folder, { recursive: true });
    const holder = await openDatabase({ kind: 'embedded', folder });
    try {
      const socket = holder.sharing?.socket ?? '';
      assert.ok(socket.startsWith(join(tmpdir(), 'wp-')) || socket.startsWith('/tmp/wp-'), socket);
      assert.ok(Buffer.byteLength(socket) <= MAX_SOCKET_PATH);
      const second = await openDatabase({ kind: 'embedded', folder });
      assert.equal(second.sharing?.role, 'client');
      assert.deepEqual((await second.query('SELECT 41 + 1 AS answer')).rows, [{ answer: 42 }]);
      await second.close();
      await holder.close();
      assert.ok(!existsSync(socket), 'the socket is removed');
    } finally {
      await holder.close();
    }
  });

  void test('a holder that cannot make its socket keeps the database, unshared, and says why', async () => {
    const folder = join(root, 'no-socket');
    // Something that is not a socket where the socket goes: listen() fails there.
    mkdirSync(join(folder, '.s.PGSQL.5432', 'in-the-way'), { recursive: true });
    const events: ShareEvent[] = [];
    const holder = await openDatabase({ kind: 'embedded', folder }, { onShareEvent: (e) => events.push(e) });
    try {
      assert.deepEqual((await holder.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
      assert.equal(holder.sharing?.socket, null);
      assert.equal(events[0]?.type, 'not-shared');
      await assert.rejects(openDatabase({ kind: 'embedded', folder }, { waitMs: 300 }), /is in use by this process, which did not share it within 300 ms \(it opened it already: close that first\)/);
    } finally {
      await holder.close();
    }
  });

  void test('when the holder closes, its idle clients get a clear error and opening again takes the folder', async () => {
    const folder = join(root, 'handover');
    const holder = await openDatabase({ kind: 'embedded', folder });
    const client = await openDatabase({ kind: 'embedded', folder });
    assert.equal(client.sharing?.role, 'client');
    assert.equal(client.description, `embedded ${folder} (shared by process ${process.pid})`);
    await holder.close();
    await assert.rejects(client.query('SELECT 1'), (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.match(error.message, new RegExp(`^process ${process.pid}, which held the embedded database in ${folder}, has closed it or exited .*: open it again$`));
      return true;
    });
    await client.close();
    const again = await openDatabase({ kind: 'embedded', folder });
    assert.equal(again.sharing?.role, 'holder');
    await again.close();
  });
});
