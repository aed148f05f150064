/**
 * The embedded folder's lock: stale locks (a crash, an older phasectl's pid file, an
 * empty or garbage file) are taken over, live ones never, a release removes only its own
 * lock, and under a stampede of real processes no two ever hold it at once.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectFolderLock, tryAcquireFolderLock } from '../../server/db/backends/folder-lock';
import { joinWaitQueue } from '../../server/db/backends/wait-queue';
import { openDatabase } from '../../server/db/database';
import { bundleScript } from './helpers/bundle';

const folders: string[] = [];
after(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

function freshFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'wp-lock-'));
  folders.push(folder);
  return folder;
}

/** A lock directory as a process with this pid would have made it. */
function lockOf(folder: string, pid: number, address?: string): void {
  mkdirSync(join(folder, 'phasectl.lock'));
  writeFileSync(join(folder, 'phasectl.lock', `owner-${pid}-0a1b2c`), '{}');
  if (address !== undefined) writeFileSync(join(folder, 'phasectl.lock', `address-${pid}-0a1b2c`), address);
}

function exitCode(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

void describe('the embedded folder lock', () => {
  void test('a lock left by a dead process is taken over; a live holder is never', () => {
    const dead = freshFolder();
    lockOf(dead, 999_999_999, '/nowhere/.s.PGSQL.5432');
    assert.deepEqual(inspectFolderLock(dead), { state: 'free' });
    assert.ok(!existsSync(join(dead, 'phasectl.lock')));

    const live = freshFolder();
    lockOf(live, process.ppid);
    assert.deepEqual(inspectFolderLock(live), { state: 'held', pid: process.ppid, address: null, self: false, legacy: false });
    assert.equal(tryAcquireFolderLock(live), null);
    assert.ok(existsSync(join(live, 'phasectl.lock', `owner-${process.ppid}-0a1b2c`)));
  });

  void test('an older phasectl\'s pid file: live is respected, dead is taken over', () => {
    const folder = freshFolder();
    writeFileSync(join(folder, 'phasectl.lock'), String(process.ppid));
    assert.deepEqual(inspectFolderLock(folder), { state: 'held', pid: process.ppid, address: null, self: false, legacy: true });
    writeFileSync(join(folder, 'phasectl.lock'), '999999999');
    assert.deepEqual(inspectFolderLock(folder), { state: 'free' });
  });

  void test('an empty or garbage lock file is stale once it is old enough not to be one being written', () => {
    for (const content of ['', 'not a pid\n\0\0']) {
      const folder = freshFolder();
      const path = join(folder, 'phasectl.lock');
      writeFileSync(path, content);
      assert.deepEqual(inspectFolderLock(folder), { state: 'unsure' }, 'a fresh one may be mid-write');
      assert.ok(existsSync(path));
      const old = new Date(Date.now() - 5_000);
      utimesSync(path, old, old);
      assert.deepEqual(inspectFolderLock(folder), { state: 'free' });
      const lock = tryAcquireFolderLock(folder);
      assert.ok(lock);
      lock.release();
    }
  });

  void test('a release removes only its own lock', () => {
    const folder = freshFolder();
    const first = tryAcquireFolderLock(folder);
    assert.ok(first);
    first.release();
    const second = tryAcquireFolderLock(folder);
    assert.ok(second);
    first.release();
    assert.equal(inspectFolderLock(folder).state, 'held');
    second.release();
    assert.deepEqual(inspectFolderLock(folder), { state: 'free' });
  });

  void test('waiting for a holder that does not share names it and the lock, then gives up', async () => {
    const folder = freshFolder();
    lockOf(folder, process.ppid);
    const said: string[] = [];
    await assert.rejects(openDatabase({ kind: 'embedded', folder }, { waitMs: 1_200, onWait: (m) => said.push(m) }), (error: Error) => {
      assert.match(error.message, new RegExp(`in use by process ${process.ppid}, which did not share it within 1 s \\(lock ${join(folder, 'phasectl.lock')}\\)`));
      return true;
    });
    assert.deepEqual(said, [`waiting for process ${process.ppid}, which holds the embedded database in ${folder} and is opening or closing it (lock ${join(folder, 'phasectl.lock')})`]);
  });

  void test('with no holder to connect to, waiters take the folder first come, first served', async () => {
    const folder = join(freshFolder(), 'db');
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const holder = await openDatabase({ kind: 'embedded', folder }, { serve: false });
    const order: string[] = [];
    const waiters: Promise<void>[] = [];
    for (const name of ['first', 'second', 'third']) {
      waiters.push(
        openDatabase({ kind: 'embedded', folder }, { serve: false }).then(async (db) => {
          order.push(name);
          assert.equal(db.sharing?.role, 'holder');
          await sleep(50);
          await db.close();
        }),
      );
      await sleep(200);
    }
    await holder.close();
    await Promise.all(waiters);
    assert.deepEqual(order, ['first', 'second', 'third']);
  });

  void test('the wait queue is first come, first served and skips the dead', () => {
    const folder = freshFolder();
    mkdirSync(join(folder, 'phasectl.queue'));
    writeFileSync(join(folder, 'phasectl.queue', `000000000000001-000000-999999999-dead`), '');
    const first = joinWaitQueue(folder);
    const second = joinWaitQueue(folder);
    assert.equal(first.ahead(), 0);
    assert.equal(second.ahead(), 1);
    first.leave();
    assert.equal(second.ahead(), 0);
    second.leave();
  });

  void test('30 processes start together on a stale lock: never two hold it at once', async () => {
    const script = await bundleScript(join(__dirname, 'helpers', 'lock-contender.ts'));
    const stale: [string, (folder: string) => Promise<void> | void][] = [
      ['left by a killed holder', async (folder) => {
        const crash = spawn(process.execPath, [script, folder, '/dev/null', '0', 'crash']);
        await exitCode(crash);
      }],
      ['an older phasectl\'s pid file of a dead process', (folder) => writeFileSync(join(folder, 'phasectl.lock'), '999999999')],
      ['an old empty file', (folder) => {
        writeFileSync(join(folder, 'phasectl.lock'), '');
        utimesSync(join(folder, 'phasectl.lock'), new Date(0), new Date(0));
      }],
    ];
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      const [what, makeStale] = stale[round % stale.length] ?? stale[0]!;
      const folder = freshFolder();
      // The crash round leaves a real stale lock: a lock directory whose owner was killed.
      await makeStale(folder);
      assert.ok(existsSync(join(folder, 'phasectl.lock')), `round ${round}: a stale lock is there (${what})`);
      const log = join(folder, 'holders.log');
      writeFileSync(log, '');
      const startAt = String(Date.now() + 2_500);
      const children = Array.from({ length: 30 }, () => spawn(process.execPath, [script, folder, log, startAt], { stdio: 'ignore' }));
      const codes = await Promise.all(children.map(exitCode));
      assert.deepEqual(codes.filter((c) => c !== 0), [], `round ${round}: every contender exits 0`);
      const lines = readFileSync(log, 'utf8').trim().split('\n');
      assert.equal(lines.length, 60, `round ${round} (${what}): 30 enters and 30 leaves`);
      for (let i = 0; i < lines.length; i += 2) {
        const [enter, leave] = [lines[i] ?? '', lines[i + 1] ?? ''];
        assert.match(enter, /^enter \d+$/, `round ${round} (${what}), line ${i + 1}: ${lines.slice(Math.max(0, i - 2), i + 3).join(' | ')}`);
        assert.equal(leave, enter.replace('enter', 'leave'), `round ${round} (${what}): overlap at line ${i + 2}: ${lines.slice(Math.max(0, i - 2), i + 3).join(' | ')}`);
      }
      assert.deepEqual(inspectFolderLock(folder), { state: 'free' }, `round ${round}: the last holder released it`);
    }
  });
});
