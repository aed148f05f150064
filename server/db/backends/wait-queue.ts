/**
 * First come, first served among processes waiting to take an embedded folder's lock:
 * each waiter leaves a ticket in `<folder>/phasectl.queue/` named after the time it
 * started waiting, and only the earliest live ticket may take a free lock. Tickets of
 * processes that died are skipped and removed.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { processAlive } from './folder-lock';

/** The queue's folder name inside the database folder. */
export const QUEUE_NAME = 'phasectl.queue';

/** A place in the queue. */
export interface WaitTicket {
  /** How many live tickets are ahead of this one (0: its turn). */
  ahead(): number;
  /** Leaves the queue (idempotent). */
  leave(): void;
}

const TICKET = /^\d{15}-\d{6}-(\d+)-[0-9a-f]+$/;
let sequence = 0;
/** Tickets of this process: our pid on any other ticket is a previous process's. */
const ours = new Set<string>();

/** How many live processes wait in the queue of `folder` (stale tickets are not counted). */
export function waitingCount(folder: string): number {
  let names: string[];
  try {
    names = readdirSync(join(folder, QUEUE_NAME));
  } catch {
    return 0;
  }
  return names.filter((name) => {
    const pid = Number(TICKET.exec(name)?.[1] ?? 0);
    return pid === process.pid ? ours.has(name) : processAlive(pid);
  }).length;
}

/** Joins the queue of `folder`. */
export function joinWaitQueue(folder: string): WaitTicket {
  const dir = join(folder, QUEUE_NAME);
  mkdirSync(dir, { recursive: true });
  // Sorted by name = by arrival; the sequence orders two tickets of one process in one millisecond.
  const name = `${String(Date.now()).padStart(15, '0')}-${String(sequence++ % 1e6).padStart(6, '0')}-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(join(dir, name), '');
  ours.add(name);
  let left = false;
  return {
    ahead() {
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        return 0;
      }
      let count = 0;
      for (const other of names) {
        if (other === name) return count;
        const pid = TICKET.exec(other)?.[1];
        if (pid === undefined || (Number(pid) === process.pid ? !ours.has(other) : !processAlive(Number(pid)))) {
          rmSync(join(dir, other), { force: true, recursive: true });
          continue;
        }
        count++;
      }
      // Our ticket is gone (someone cleaned the folder): write it again, in its place.
      if (!left) writeFileSync(join(dir, name), '');
      return count;
    },
    leave() {
      if (left) return;
      left = true;
      ours.delete(name);
      rmSync(join(dir, name), { force: true });
    },
  };
}
