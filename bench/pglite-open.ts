/**
 * Child process of bench/sync.ts (bundled to dist/bench-pglite-open.js): opens an embedded database one way and prints
 * `{"ms":…, "rssMB":…}` (wall time of the open, peak resident memory of the process).
 *   initdb <folder>   PGlite.create on a new folder: PGlite's own initdb (the baseline)
 *   ours <folder>     openDatabase + migrate on a new folder (the shipped template)
 *   reopen <folder>   openDatabase + migrate on an existing folder
 *   noop              nothing: the cost of node alone
 */
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { POSTGRESQL_CONF } from '../server/db/backends/pglite-database';
import { openDatabase } from '../server/db/database';
import { migrate } from '../server/db/migrations/migrate';

async function main(): Promise<void> {
  const [mode, folder] = process.argv.slice(2);
  const start = performance.now();
  if (mode === 'initdb') {
    const db = await PGlite.create({ dataDir: folder, postgresqlconf: POSTGRESQL_CONF });
    await db.query('SELECT 1');
    const ms = performance.now() - start;
    await db.close();
    report(ms);
  } else if (mode === 'ours' || mode === 'reopen') {
    const db = await openDatabase({ kind: 'embedded', folder: folder ?? null });
    await migrate(db);
    await db.query('SELECT count(*) FROM workflow_phases');
    const ms = performance.now() - start;
    await db.close();
    report(ms);
  } else {
    report(performance.now() - start);
  }
}

/**
 * Peak resident memory of this process. Not `resourceUsage().maxRSS`: on Linux that
 * survives exec and would report the (larger) parent's peak. VmHWM belongs to this image.
 */
function peakRssMB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // Not Linux: fall back to the current resident size.
  }
  return process.memoryUsage().rss / 1024 / 1024;
}

function report(ms: number): void {
  console.log(JSON.stringify({ ms, rssMB: peakRssMB() }));
}

void main();
