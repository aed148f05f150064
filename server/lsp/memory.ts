/**
 * Returning memory after reading a big file. Parsing a multi-megabyte definition leaves
 * hundreds of megabytes of garbage that V8 would keep as heap for a long while; one full
 * collection right after such an analysis keeps the server's resident size near its live data.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Only files this large are worth a full collection (it costs tens of milliseconds).
const BIG_TEXT = 1_000_000;

let collect: (() => void) | undefined;
try {
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as () => void;
} catch {
  collect = undefined; // not available on this runtime: memory is simply returned later
}

let queued = false;

/** After analysing a text of `length` characters: schedules one full collection when it was big. */
export function afterBigAnalysis(length: number): void {
  if (length < BIG_TEXT || !collect || queued) return;
  queued = true;
  setImmediate(() => {
    queued = false;
    collect?.();
  });
}
