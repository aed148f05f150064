/**
 * A lock file that keeps two processes from opening the same embedded database folder
 * (PGlite has no shared-memory locking; two writers would corrupt it).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseError } from '../database';

/** A held lock; `release()` is idempotent. */
export interface FolderLock {
  release(): void;
}

const LOCK_NAME = 'phasectl.lock';

function holder(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isFinite(pid) ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Takes the lock on `folder` (creating the folder), waiting up to `waitMs` for another
 * process to let go. A lock left by a process that no longer runs is taken over.
 */
export async function acquireFolderLock(folder: string, waitMs = 10_000): Promise<FolderLock> {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, LOCK_NAME);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      let held = true;
      return {
        release() {
          if (!held) return;
          held = false;
          rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') {
        throw new DatabaseError('bad-target', `cannot use ${folder} for the embedded database: ${(error as Error).message}`, error);
      }
    }
    const pid = holder(path);
    if (pid !== null && pid !== process.pid && !alive(pid)) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const who = pid === process.pid ? 'this process' : pid === null ? 'another process' : `process ${pid}`;
      throw new DatabaseError('in-use', `the embedded database in ${folder} is in use by ${who} (only one process can open it at a time)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
