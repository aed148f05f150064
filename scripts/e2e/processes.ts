/**
 * Process-group bookkeeping, so that a run never leaves a process behind. Whoever starts
 * code-server or Chromium (each in its own process group) records the group in the file
 * named by E2E_PROCESS_FILE; the runner reaps every recorded group after each phase,
 * including after a hard timeout killed the phase before it could clean up.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** Records process group `pgid` (what it is, for the report) in the run's process file. */
export function recordProcessGroup(pgid: number | undefined, what: string): void {
  const file = process.env.E2E_PROCESS_FILE;
  if (!file || !pgid) return;
  appendFileSync(file, `${pgid} ${what}\n`);
}

/** Whether any process of group `pgid` is still alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to every process of group `pgid`; a group already gone is fine. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: nothing left in the group.
  }
}

/** The groups recorded in `file`. */
export function recordedGroups(file: string): { pgid: number; what: string }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [pgid, ...what] = line.split(' ');
      return { pgid: Number(pgid), what: what.join(' ') };
    });
}

/**
 * Kills whatever is left of the groups recorded in `file` and returns a description of
 * each group that was still alive (empty when everything had been cleaned up properly).
 */
export function reapRecordedGroups(file: string): string[] {
  const leftovers = recordedGroups(file).filter((g) => groupAlive(g.pgid));
  for (const g of leftovers) signalGroup(g.pgid, 'SIGKILL');
  return leftovers.map((g) => `${g.what} (process group ${g.pgid})`);
}

/** Resolves once group `pgid` is gone, or false after `ms` milliseconds. */
export async function waitForGroupExit(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
