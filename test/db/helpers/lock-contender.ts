/**
 * One contender of the many-process lock test (bundled and run with plain node):
 * `lock-contender <folder> <log> <startAtMs> [crash]`. Waits until `startAtMs`, then
 * takes the folder's lock as fast as it can, appends `enter <pid>` to the shared log,
 * holds the lock a few milliseconds, appends `leave <pid>` and releases it. With
 * `crash` it takes the lock and kills itself instead, leaving a stale lock behind.
 */
import { appendFileSync } from 'node:fs';
import { inspectFolderLock, tryAcquireFolderLock } from '../../../server/db/backends/folder-lock';

const [folder = '', log = '', startAt = '0', mode = ''] = process.argv.slice(2);

function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Hold the lock without yielding: overlaps show up in the log.
  }
}

async function main(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  for (;;) {
    if (inspectFolderLock(folder).state === 'free') {
      const lock = tryAcquireFolderLock(folder);
      if (lock !== null) {
        if (mode === 'crash') process.kill(process.pid, 'SIGKILL');
        appendFileSync(log, `enter ${process.pid}\n`);
        busy(3);
        appendFileSync(log, `leave ${process.pid}\n`);
        lock.release();
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
  }
}

void main();
