import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, UsageError } from '../../server/cli/command';
import type { CliIO, CommandArgs } from '../../server/cli/command';
import { openCliDatabase, resolveDatabaseTarget } from '../../server/cli/database-option';
import { describeConnectionError } from '../../server/db/backends/connection-errors';
import { inspectFolderLock, tryAcquireFolderLock } from '../../server/db/backends/folder-lock';
import { openDatabase } from '../../server/db/database';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { ADMIN_URL, createTestDatabase, postgresReachable } from '../helpers/postgres';

const io = (env: Record<string, string> = {}): CliIO => ({ stdout: () => undefined, stderr: () => undefined, cwd: '/work/project', env });
const args = (db?: string): CommandArgs => ({ values: db === undefined ? {} : { db }, positionals: [] });

void describe('--db resolution', () => {
  const cases: [string, string | undefined, Record<string, string>, unknown][] = [
    ['default: embedded in ./.workflow-phases', undefined, {}, { kind: 'embedded', folder: '/work/project/.workflow-phases' }],
    ['DATABASE_URL', undefined, { DATABASE_URL: 'postgres://u@db:5433/wp' }, { kind: 'postgres', url: 'postgres://u@db:5433/wp' }],
    ['--db wins over DATABASE_URL', 'embedded:state', { DATABASE_URL: 'postgres://u@db/wp' }, { kind: 'embedded', folder: '/work/project/state' }],
    ['absolute embedded folder', 'embedded:/var/wp', {}, { kind: 'embedded', folder: '/var/wp' }],
    ['postgresql:// scheme', 'postgresql://u@h/d', {}, { kind: 'postgres', url: 'postgresql://u@h/d' }],
    ['bare "embedded"', 'embedded', {}, { kind: 'embedded', folder: '/work/project/.workflow-phases' }],
  ];
  for (const [name, db, env, want] of cases) {
    void test(name, () => assert.deepEqual(resolveDatabaseTarget(db, io(env)), want));
  }
  void test('a malformed --db is a usage error that hides the password', () => {
    assert.throws(() => resolveDatabaseTarget('mysql://me:secret@h/d', io()), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.doesNotMatch(e.message, /secret/);
      assert.match(e.message, /neither a postgres:\/\/ URL nor embedded:<folder>/);
      return true;
    });
    assert.throws(() => resolveDatabaseTarget('embedded:', io()), UsageError);
    assert.throws(() => resolveDatabaseTarget(undefined, io({ DATABASE_URL: 'sqlite:x' })), /DATABASE_URL is set but is not a postgres/);
  });
});

void describe('opening PostgreSQL: clear errors, exit code 2', () => {
  void test('unreachable server: the message names host and port', async () => {
    await assert.rejects(openCliDatabase(args('postgres://postgres:hunter2@127.0.0.1:1/wp'), io()), (e: unknown) => {
      assert.ok(e instanceof CliError);
      assert.equal(e.exitCode, 2);
      assert.equal(e.message, 'cannot reach PostgreSQL at 127.0.0.1:1: connection refused (is the server running and listening there?)');
      return true;
    });
  });

  void test('unknown host', async () => {
    await assert.rejects(openCliDatabase(args('postgres://u@no-such-host.invalid:5432/wp'), io()), /cannot reach PostgreSQL at no-such-host.invalid:5432: unknown host/);
  });

  void test('a database that does not exist', async (t) => {
    if (!(await postgresReachable())) return t.skip('no PostgreSQL');
    const url = new URL(ADMIN_URL);
    url.pathname = '/wp_no_such_database';
    await assert.rejects(openCliDatabase(args(url.toString()), io()), (e: unknown) => {
      assert.ok(e instanceof CliError);
      assert.match(e.message, /has no database 'wp_no_such_database'/);
      return true;
    });
  });

  // The PostgreSQL here trusts every local connection, so a wrong password is provoked with
  // a stand-in server speaking the protocol: it asks for a password and rejects it as
  // PostgreSQL does (SQLSTATE 28P01). The real pg driver talks to it.
  void test('wrong password: a clear message naming host, port and user, never the password', async () => {
    const server = createServer((socket) => {
      let greeted = false;
      socket.on('data', () => {
        if (!greeted) {
          greeted = true;
          const ask = Buffer.alloc(9);
          ask.write('R', 0);
          ask.writeInt32BE(8, 1);
          ask.writeInt32BE(3, 5); // AuthenticationCleartextPassword
          socket.write(ask);
          return;
        }
        const fields = Buffer.from('SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "app"\0\0');
        const error = Buffer.alloc(5);
        error.write('E', 0);
        error.writeInt32BE(4 + fields.length, 1);
        socket.end(Buffer.concat([error, fields]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await assert.rejects(openCliDatabase(args(`postgres://app:s3cret@127.0.0.1:${port}/wp`), io()), (e: unknown) => {
        assert.ok(e instanceof CliError);
        assert.equal(e.exitCode, 2);
        assert.equal(e.message, `PostgreSQL at 127.0.0.1:${port} refused user 'app': wrong password or not allowed (28P01)`);
        return true;
      });
    } finally {
      server.close();
    }
  });

  void test('the password never appears in messages built from driver errors', () => {
    const error = Object.assign(new Error('connect failed for postgres://app:s3cret@db.example:6543/wp'), { code: 'XX000' });
    const mapped = describeConnectionError(error, 'postgres://app:s3cret@db.example:6543/wp');
    assert.doesNotMatch(mapped.message, /s3cret/);
    assert.match(mapped.message, /^cannot open PostgreSQL at db.example:6543: connect failed for postgres:\/\/app:\*\*\*@db.example:6543\/wp$/);
  });

  void test('a database whose tables conflict with the schema: exit 2, the migration and the clash named', async (t) => {
    const created = await createTestDatabase('option_conflict');
    if (created === null) return t.skip('no PostgreSQL');
    try {
      const client = new pg.Client({ connectionString: created.url });
      await client.connect();
      await client.query('CREATE TABLE workflow_activities (id TEXT PRIMARY KEY)');
      await client.end();
      await assert.rejects(openCliDatabase(args(created.url), io()), (e: unknown) => {
        assert.ok(e instanceof CliError);
        assert.equal(e.exitCode, 2);
        assert.match(e.message, /^migration 0001-unified-workflow cannot run: relation "workflow_activities" already exists — this database already has tables that conflict/);
        return true;
      });
    } finally {
      await created.drop();
    }
  });

  void test('a reachable server opens and migrates', async (t) => {
    const created = await createTestDatabase('option_ok');
    if (created === null) return t.skip('no PostgreSQL');
    try {
      const { db, migration } = await openCliDatabase(args(created.url), io());
      assert.equal(db.kind, 'postgres');
      assert.ok((migration?.applied.length ?? 0) > 0);
      await db.close();
    } finally {
      await created.drop();
    }
  });
});

void describe('the embedded folder', () => {
  void test('created with a .gitignore, migrated, held, and opened a second time through the holder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wp-option-'));
    try {
      const folder = join(root, '.workflow-phases');
      const { db } = await openCliDatabase(args(), { ...io(), cwd: root });
      assert.equal(db.kind, 'embedded');
      assert.equal(db.sharing?.role, 'holder');
      assert.ok(existsSync(join(folder, '.gitignore')));
      const count = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM workflow_phases');
      assert.equal(count.rows[0]?.n, 0);
      const state = inspectFolderLock(folder);
      assert.ok(state.state === 'held' && state.self && state.address !== null, JSON.stringify(state));
      assert.equal(tryAcquireFolderLock(folder), null);
      const second = await openDatabase({ kind: 'embedded', folder });
      assert.equal(second.sharing?.role, 'client');
      assert.equal(second.description, `embedded ${folder} (shared by process ${process.pid})`);
      await second.query("INSERT INTO test_cycles (cycle_name) VALUES ('through the holder')");
      assert.deepEqual((await db.query('SELECT cycle_name FROM test_cycles')).rows, [{ cycle_name: 'through the holder' }]);
      await second.close();
      await db.close();
      assert.deepEqual(inspectFolderLock(folder), { state: 'free' });
      const again = tryAcquireFolderLock(folder);
      assert.ok(again);
      again.release();
      assert.ok(!existsSync(join(folder, 'phasectl.lock')));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  void test('a lock file left by a process that is gone is taken over', () => {
    const folder = mkdtempSync(join(tmpdir(), 'wp-lock-'));
    try {
      writeFileSync(join(folder, 'phasectl.lock'), '999999999');
      assert.deepEqual(inspectFolderLock(folder), { state: 'free' });
      const lock = tryAcquireFolderLock(folder);
      assert.ok(lock);
      lock.release();
      assert.ok(!existsSync(join(folder, 'phasectl.lock')));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
