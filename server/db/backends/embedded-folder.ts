/**
 * Opening an embedded folder when other processes may have it: connect through the
 * process that holds and shares it; take it when it is free (first come, first served
 * among those waiting); wait, and say for whom, while its holder opens or closes it.
 */
import { mkdirSync } from 'node:fs';
import type { Database, OpenDatabaseOptions } from '../database';
import { DatabaseError } from '../database';
import { holderName, inspectFolderLock, lockPath, sweepStagedLocks, tryAcquireFolderLock } from './folder-lock';
import type { LockState } from './folder-lock';
import { openEmbeddedHolder } from './pglite-database';
import { connectToHolder, isHolderGone } from './shared-database';
import { joinWaitQueue } from './wait-queue';
import type { WaitTicket } from './wait-queue';

/** How long before a waiting process says so. */
const QUIET_WAIT_MS = 1_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function waitingFor(folder: string, state: LockState, ahead: number): string {
  const lock = lockPath(folder);
  if (state.state === 'held' && state.legacy) return `waiting for process ${state.pid}, an older phasectl that holds the embedded database in ${folder} without sharing it (lock ${lock})`;
  if (state.state === 'held') return `waiting for ${holderName(state)}, which holds the embedded database in ${folder} and is opening or closing it (lock ${lock})`;
  return `waiting for the embedded database in ${folder}: ${ahead} process${ahead === 1 ? '' : 'es'} asked before this one, first come, first served (lock ${lock})`;
}

/**
 * Opens the embedded database in `folder`: through its holder when another process holds
 * and shares it, else by holding it (and sharing it unless `options.serve` is false).
 * Throws `DatabaseError('in-use')` naming the lock when the folder stays held without
 * being shared for `options.waitMs` (default 60 s).
 */
export async function openEmbeddedFolder(folder: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new DatabaseError('bad-target', `cannot use ${folder} for the embedded database: ${(error as Error).message}`, error);
  }
  sweepStagedLocks(folder);
  const started = Date.now();
  const waitMs = options.waitMs ?? 60_000;
  const deadline = started + waitMs;
  let ticket: WaitTicket | null = null;
  let said = '';
  let refused: string | null = null;
  try {
    for (;;) {
      const state = inspectFolderLock(folder);
      if (state.state === 'held' && state.address !== null) {
        try {
          return await connectToHolder(folder, state.pid, state.address);
        } catch (error) {
          // Closing (or just gone): wait for the folder like everyone else.
          if (!isHolderGone(error)) throw error;
          refused = (error as Error).message;
        }
      }
      ticket ??= joinWaitQueue(folder);
      const ahead = ticket.ahead();
      if (state.state === 'free' && ahead === 0) {
        const lock = tryAcquireFolderLock(folder);
        if (lock !== null) {
          ticket.leave();
          return await openEmbeddedHolder(folder, lock, options);
        }
        continue;
      }
      const now = Date.now();
      if (now >= deadline) {
        const who = state.state === 'held' ? holderName(state) : 'other processes';
        const why = state.state === 'held' && state.self ? ' (it opened it already: close that first)' : refused ? ` (${refused})` : '';
        throw new DatabaseError('in-use', `the embedded database in ${folder} is in use by ${who}, which did not share it within ${waitMs >= 1_000 ? `${Math.round(waitMs / 1_000)} s` : `${waitMs} ms`}${why} (lock ${lockPath(folder)})`);
      }
      const message = state.state === 'unsure' ? said : waitingFor(folder, state, ahead);
      if (options.onWait && now - started >= QUIET_WAIT_MS && message !== said && message !== '') options.onWait(message);
      if (now - started >= QUIET_WAIT_MS) said = message;
      // A little jitter keeps many waiters from reading the folder in lockstep.
      await sleep(state.state === 'unsure' ? 10 : 40 + Math.random() * 20);
    }
  } finally {
    ticket?.leave();
  }
}
