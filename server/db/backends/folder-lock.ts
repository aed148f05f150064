/**
 * The lock that keeps two processes from opening one embedded database folder (PGlite has
 * no cross-process locking; two writers would corrupt it).
 *
 * The lock is a directory, `<folder>/phasectl.lock`, that always holds its owner's entry
 * `owner-<pid>-<nonce>`. It is created whole by renaming a staged directory onto the
 * name, which succeeds only when nothing (or an empty directory) is there. Nothing but
 * the owner, or a process that found the owner's pid dead, removes an owner entry, and
 * the directory itself is only ever removed with `rmdir`, which fails unless it is empty:
 * so a takeover of a stale lock cannot remove a lock another process has just made, and
 * a release cannot remove anyone else's. The holder's address (where it serves the
 * database) is `address-<pid>-<nonce>` beside its owner entry.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseError } from '../database';

/** The lock's name inside the folder. */
export const LOCK_NAME = 'phasectl.lock';

/** An empty or unreadable lock file younger than this may be one being written: wait. */
const GARBAGE_CHECK_MS = 1_000;

/** Lock ids (`<pid>-<nonce>`) this process holds: its own pid in any other id is a previous process's. */
const heldHere = new Set<string>();

/** Who holds a folder, as seen now. */
export type LockState =
  | { readonly state: 'free' }
  | {
      readonly state: 'held';
      readonly pid: number;
      /** The socket the holder serves the database on; null while it opens or closes (or never shares). */
      readonly address: string | null;
      /** Held by this process. */
      readonly self: boolean;
      /** A plain pid file from an older phasectl, which never shares. */
      readonly legacy: boolean;
    }
  /** An empty or garbage lock file that may still be being written: look again shortly. */
  | { readonly state: 'unsure' };

/** A held lock. */
export interface FolderLock {
  /** The lock's path, for messages. */
  readonly path: string;
  /** Records where the database is served (null: not served, e.g. while closing). */
  setAddress(socket: string | null): void;
  /** Lets go of the lock (idempotent); never removes a lock another process made. */
  release(): void;
}

/** The path of the lock of `folder`. */
export function lockPath(folder: string): string {
  return join(folder, LOCK_NAME);
}

/** Whether a process with this pid runs (EPERM: it runs under another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

function ignoring(codes: readonly string[], work: () => void): void {
  try {
    work();
  } catch (error) {
    if (!codes.includes(codeOf(error) ?? '')) throw error;
  }
}

/** A lock id is the owner's pid and a random nonce; it is live while that pid runs (and, for our pid, while we hold it). */
function idAlive(id: string): boolean {
  const pid = Number(id.split('-')[0]);
  if (pid === process.pid) return heldHere.has(id);
  return processAlive(pid);
}

const OWNER = /^owner-(\d+-[0-9a-f]+)$/;
const ENTRY = /^(?:owner|address)-(\d+-[0-9a-f]+)(?:\.tmp)?$/;

function fail(folder: string, error: unknown): never {
  throw new DatabaseError('bad-target', `cannot use ${folder} for the embedded database (lock ${lockPath(folder)}): ${(error as Error).message}`, error);
}

/**
 * Looks at the lock of `folder` and clears it when it is stale: a lock whose owner no
 * longer runs, an empty or garbage lock file older than a second, a lock directory with
 * no owner. Never removes a live lock, even one made while it looks.
 */
export function inspectFolderLock(folder: string): LockState {
  const path = lockPath(folder);
  let entries: string[];
  try {
    entries = readdirSync(path);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') return { state: 'free' };
    if (code === 'ENOTDIR') return inspectLegacyFile(folder);
    return fail(folder, error);
  }
  for (const name of entries) {
    const id = OWNER.exec(name)?.[1];
    if (id !== undefined && idAlive(id)) {
      let address: string | null = null;
      try {
        address = readFileSync(join(path, `address-${id}`), 'utf8') || null;
      } catch {
        // Not serving (yet, or any more).
      }
      return { state: 'held', pid: Number(id.split('-')[0]), address, self: heldHere.has(id), legacy: false };
    }
  }
  // No live owner: remove what the dead owners (or garbage) left, then the directory if it
  // is empty. An owner entry made meanwhile has a fresh id, so it is never among these,
  // and it keeps the directory from being removed.
  for (const name of entries) {
    const id = ENTRY.exec(name)?.[1];
    if (id !== undefined && idAlive(id)) continue;
    rmSync(join(path, name), { force: true, recursive: true });
  }
  ignoring(['ENOENT', 'ENOTEMPTY', 'EEXIST'], () => rmdirSync(path));
  return inspectAfterClearing(folder);
}

function inspectAfterClearing(folder: string): LockState {
  try {
    statSync(lockPath(folder));
    // Someone made a new lock while we cleared the old one: report it as it is now.
    return { state: 'unsure' };
  } catch {
    return { state: 'free' };
  }
}

/** A plain file at the lock's path: an older phasectl's pid file, or garbage. */
function inspectLegacyFile(folder: string): LockState {
  const path = lockPath(folder);
  let text: string;
  let ageMs: number;
  try {
    text = readFileSync(path, 'utf8').trim();
    ageMs = Date.now() - statSync(path).mtimeMs;
  } catch {
    return { state: 'unsure' };
  }
  const pid = /^\d+$/.test(text) ? Number(text) : null;
  if (pid !== null && pid !== process.pid && processAlive(pid)) return { state: 'held', pid, address: null, self: false, legacy: true };
  // An empty or garbage file may be one an older phasectl is writing right now: only an
  // old one is stale. `unlink` cannot remove a lock directory made meanwhile.
  if (pid === null && ageMs < GARBAGE_CHECK_MS) return { state: 'unsure' };
  ignoring(['ENOENT', 'EISDIR', 'EPERM'], () => unlinkSync(path));
  return inspectAfterClearing(folder);
}

/** Takes the lock when it is free; null when someone holds it (call `inspectFolderLock` to see who). */
export function tryAcquireFolderLock(folder: string): FolderLock | null {
  const path = lockPath(folder);
  const id = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const staged = join(folder, `${LOCK_NAME}.${id}.new`);
  try {
    mkdirSync(folder, { recursive: true });
    mkdirSync(staged);
    writeFileSync(join(staged, `owner-${id}`), JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
  } catch (error) {
    rmSync(staged, { recursive: true, force: true });
    return fail(folder, error);
  }
  try {
    renameSync(staged, path);
  } catch (error) {
    rmSync(staged, { recursive: true, force: true });
    if (['EEXIST', 'ENOTEMPTY', 'ENOTDIR', 'EISDIR', 'EPERM', 'EACCES'].includes(codeOf(error) ?? '')) return null;
    return fail(folder, error);
  }
  heldHere.add(id);
  let held = true;
  const addressFile = join(path, `address-${id}`);
  return {
    path,
    setAddress(socket) {
      if (!held) return;
      if (socket === null) {
        ignoring(['ENOENT'], () => unlinkSync(addressFile));
        return;
      }
      // Written whole, then renamed: a reader never sees half an address.
      writeFileSync(`${addressFile}.tmp`, socket);
      renameSync(`${addressFile}.tmp`, addressFile);
    },
    release() {
      if (!held) return;
      held = false;
      ignoring(['ENOENT'], () => unlinkSync(addressFile));
      ignoring(['ENOENT'], () => unlinkSync(join(path, `owner-${id}`)));
      heldHere.delete(id);
      // Empty now unless another process has already made its lock here: never remove that.
      ignoring(['ENOENT', 'ENOTEMPTY', 'EEXIST'], () => rmdirSync(path));
    },
  };
}

/** Removes staging directories (`phasectl.lock.<id>.new`) left by processes that died while creating a lock. */
export function sweepStagedLocks(folder: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const id = /^phasectl\.lock\.(\d+-[0-9a-f]+)\.new$/.exec(name)?.[1];
    if (id !== undefined && !idAlive(id)) rmSync(join(folder, name), { recursive: true, force: true });
  }
}

/** Who the lock state names, for messages: "process 1234", "this process". */
export function holderName(state: LockState): string {
  if (state.state !== 'held') return 'another process';
  return state.self ? 'this process' : `process ${state.pid}`;
}
