/**
 * `npm run bench:sync`: sync on real PostgreSQL and on PGlite, for one instance of 90
 * to 90,000 activities and for 100 instances of the example workflow. Per case: a fresh
 * sync, an unchanged re-sync (content hash: one round trip), a forced re-sync (every
 * row compared, nothing written), and in the same run the raw baseline: one
 * data-modifying statement upserting the same phase and activity rows from unnest
 * arrays. Then how long a new embedded database takes to open, and its memory.
 * Not a test: it prints tables. Figures depend on the machine and its load.
 */
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedActivity, ResolvedPhase, ResolvedWorkflow } from '../server/core/index';
import { PHASE_NAMES, STANDARD_PHASES } from '../server/core/index';
import { openDatabase } from '../server/db/database';
import type { Database, DatabaseTarget } from '../server/db/database';
import { migrate } from '../server/db/migrations/migrate';
import { contentHash } from '../server/db/sync/content-hash';
import { activityRow, phaseRow } from '../server/db/sync/plan';
import { syncWorkflows } from '../server/db/sync/sync';
import { createTestDatabase } from '../test/helpers/postgres';
import { counting } from '../test/db/helpers/db-tools';
import { exampleWorkflow } from '../test/db/helpers/workflows';

const SIZES: [activities: number, reps: number][] = [[90, 5], [900, 5], [9_000, 5], [90_000, 3]];
const INSTANCES = 100;

/** A workflow of `activities` activities spread over the nine phases. */
function bigWorkflow(name: string, activities: number): ResolvedWorkflow {
  const per = Math.floor(activities / 9);
  const phases = STANDARD_PHASES.map((p, i): ResolvedPhase => ({
    name: p.name, order: p.order, title: p.title, riskLevel: 'medium', slaHours: 48, dependsOn: i === 0 ? [] : [PHASE_NAMES[i - 1]!], skippable: false, metadata: {},
    activities: Array.from({ length: per }, (_, j): ResolvedActivity => ({
      name: j === 0 ? `start_${p.name}` : j === per - 1 ? `complete_${p.name}` : `task_${j}`,
      type: j === 0 ? 'START' : j === per - 1 ? 'COMPLETE' : 'TASK', order: j + 1, role: j === 0 || j === per - 1 ? null : 'tester', required: true,
      description: `Step ${j + 1} of ${p.title}`,
    })),
  }));
  return { name, phases, appliesTo: [] };
}

const RAW = `
WITH i AS (
    INSERT INTO workflow_instances (cycle_id, report_id, workflow_name)
    SELECT DISTINCT u.c, u.r, $16 FROM unnest($1::int[], $2::int[]) AS u(c, r)
    ON CONFLICT (cycle_id, report_id) DO NOTHING
), d AS (
    INSERT INTO workflow_definitions (workflow_name, content_hash, definition) VALUES ($16, $17, $18::jsonb)
    ON CONFLICT (workflow_name) DO UPDATE SET content_hash = EXCLUDED.content_hash, definition = EXCLUDED.definition
), p AS (
    INSERT INTO workflow_phases (cycle_id, report_id, phase_name, phase_order, risk_level, phase_metadata)
    SELECT u.c, u.r, u.n, u.o, u.risk, json_build_object('definition', u.d::json)
    FROM unnest($1::int[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[]) AS u(c, r, n, o, risk, d)
    ON CONFLICT (cycle_id, report_id, phase_name) DO UPDATE SET phase_order = EXCLUDED.phase_order
    RETURNING phase_id, cycle_id, report_id, phase_name
)
INSERT INTO workflow_activities (phase_id, activity_name, activity_type, activity_order, required, role, description)
SELECT p.phase_id, u.name, u.type, u.ord, u.req, u.role, u.descr
FROM unnest($7::int[], $8::int[], $9::text[], $10::text[], $11::text[], $12::int[], $13::bool[], $14::text[], $15::text[])
     AS u(c, r, phase, name, type, ord, req, role, descr)
JOIN p ON p.cycle_id = u.c AND p.report_id = u.r AND p.phase_name = u.phase
ON CONFLICT (phase_id, activity_name) DO UPDATE SET activity_type = EXCLUDED.activity_type, activity_order = EXCLUDED.activity_order,
    required = EXCLUDED.required, role = EXCLUDED.role, description = EXCLUDED.description`;

/**
 * The raw baseline: the same rows sync writes (instance, phase and activity rows, and the
 * synced definition) for `instances`, in one statement, without reading anything first.
 */
async function rawUpsert(db: Database, workflow: ResolvedWorkflow, instances: readonly { c: number; r: number }[]): Promise<number> {
  const ph: unknown[][] = Array.from({ length: 6 }, () => []);
  const ac: unknown[][] = Array.from({ length: 9 }, () => []);
  for (const { c, r } of instances) {
    for (const p of workflow.phases) {
      const row = phaseRow(p);
      [c, r, row.name, row.order, row.riskLevel, JSON.stringify(row.definition)].forEach((v, i) => ph[i]!.push(v));
      for (const a of p.activities) {
        const ar = activityRow(a);
        [c, r, p.name, ar.name, ar.type, ar.order, ar.required, ar.role, ar.description].forEach((v, i) => ac[i]!.push(v));
      }
    }
  }
  const name = `raw ${workflow.name}`;
  return (await db.query(RAW, [...ph, ...ac, name, contentHash(workflow), JSON.stringify({ ...workflow, name })])).rowCount;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await work();
  return [performance.now() - start, value];
}

async function newCycles(db: Database, names: string[]): Promise<number[]> {
  const r = await db.query<{ cycle_id: number }>('INSERT INTO test_cycles (cycle_name) SELECT unnest($1::text[]) RETURNING cycle_id', [names]);
  return r.rows.map((x) => x.cycle_id);
}

interface CaseResult {
  readonly label: string;
  readonly rows: number;
  readonly fresh: number;
  readonly raw: number;
  readonly unchanged: number;
  readonly roundTrips: number;
  readonly forced: number;
}

async function runCase(db: Database, label: string, reps: number, make: (rep: number) => Promise<{ workflow: ResolvedWorkflow; rawInstances: { c: number; r: number }[] }>): Promise<CaseResult> {
  const fresh: number[] = [];
  const raw: number[] = [];
  const unchanged: number[] = [];
  const forced: number[] = [];
  let rows = 0;
  let roundTrips = 0;
  for (let rep = 0; rep < reps; rep++) {
    const { workflow, rawInstances } = await make(rep);
    const source = { workflow, sourcePath: null };
    // Alternate which goes first so neither always meets a warmer cache.
    const ours = async () => {
      const [ms, result] = await time(() => syncWorkflows(db, [source]));
      if (!result.applied || result.plan.summary.refused > 0) throw new Error(`${label}: sync did not apply`);
      rows = result.plan.summary.create;
      fresh.push(ms);
    };
    const baseline = async () => raw.push((await time(() => rawUpsert(db, workflow, rawInstances)))[0]);
    if (rep % 2 === 0) {
      await ours();
      await baseline();
    } else {
      await baseline();
      await ours();
    }
    const counter = counting(db);
    // A copy, as a new run would parse it from the file: the content hash is computed again.
    const copy = { workflow: structuredClone(workflow), sourcePath: null };
    const [ums, again] = await time(() => syncWorkflows(counter.db, [copy]));
    if (again.unchanged.length !== 1) throw new Error(`${label}: re-sync was not recognised as unchanged`);
    unchanged.push(ums);
    roundTrips = counter.count();
    const [fms, full] = await time(() => syncWorkflows(db, [source], { force: true }));
    if (full.plan.summary.create + full.plan.summary.update + full.plan.summary.delete !== 0) throw new Error(`${label}: forced re-sync found changes`);
    forced.push(fms);
  }
  return { label, rows, fresh: median(fresh), raw: median(raw), unchanged: median(unchanged), roundTrips, forced: median(forced) };
}

async function benchBackend(name: string, target: DatabaseTarget): Promise<CaseResult[]> {
  const db = await openDatabase(target);
  try {
    await migrate(db);
    const report = (await db.query<{ id: number }>("INSERT INTO reports (report_name) VALUES ('bench report') RETURNING id")).rows[0]!.id;
    const results: CaseResult[] = [];
    for (const [activities, reps] of SIZES) {
      results.push(
        await runCase(db, `${activities.toLocaleString('en-US')} activities, 1 instance`, reps, async (rep) => {
          const [ours, raw] = await newCycles(db, [`${name}-${activities}-${rep}-ours`, `${name}-${activities}-${rep}-raw`]);
          const workflow = { ...bigWorkflow(`bench-${activities}-${rep}`, activities), appliesTo: [{ cycle: ours!, reports: [report] }] };
          return { workflow, rawInstances: [{ c: raw!, r: report }] };
        }),
      );
    }
    const example = exampleWorkflow();
    const reports = (await db.query<{ id: number }>("INSERT INTO reports (report_name) SELECT 'bench report ' || g FROM generate_series(1, 10) g RETURNING id")).rows.map((r) => r.id);
    results.push(
      await runCase(db, `${INSTANCES} instances of the example`, 3, async (rep) => {
        const ours = await newCycles(db, Array.from({ length: INSTANCES / 10 }, (_, i) => `${name}-x-${rep}-ours-${i}`));
        const raw = await newCycles(db, Array.from({ length: INSTANCES / 10 }, (_, i) => `${name}-x-${rep}-raw-${i}`));
        const workflow = { ...example, name: `bench-example-${rep}`, appliesTo: ours.map((c) => ({ cycle: c, reports })) };
        return { workflow, rawInstances: raw.flatMap((c) => reports.map((r) => ({ c, r }))) };
      }),
    );
    return results;
  } finally {
    await db.close();
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

// The child is bundled like dist/phasectl.js and run by plain node: tsx alone would add ~150 MB.
const OPEN_CHILD = join(__dirname, '..', 'dist', 'bench-pglite-open.js');

function openChild(mode: string, folder?: string): { ms: number; rssMB: number } {
  const run = spawnSync(process.execPath, [OPEN_CHILD, mode, ...(folder ? [folder] : [])], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pglite-open ${mode} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as { ms: number; rssMB: number };
}

async function main(): Promise<void> {
  console.log(`bench:sync — load average at start: ${loadavg().map((l) => l.toFixed(2)).join(', ')} (the machine is shared: figures are indicative)\n`);
  const header = ['backend / case', 'rows', 'sync ms', 'rows/s', 'raw ms', 'raw rows/s', 'sync/raw', 'unchanged ms', 'round trips', 'forced ms'];
  const out: string[][] = [header];
  const pgDb = await createTestDatabase('bench_sync');
  const folder = mkdtempSync(join(tmpdir(), 'wp-bench-'));
  try {
    const backends: [string, DatabaseTarget | null][] = [
      ['postgres', pgDb ? { kind: 'postgres', url: pgDb.url } : null],
      ['pglite', { kind: 'embedded', folder: join(folder, 'db') }],
    ];
    for (const [name, target] of backends) {
      if (!target) {
        out.push([`${name}: skipped (no PostgreSQL reachable)`, '', '', '', '', '', '', '', '', '']);
        continue;
      }
      for (const r of await benchBackend(name, target)) {
        out.push([
          `${name} / ${r.label}`, r.rows.toLocaleString('en-US'), r.fresh.toFixed(1), Math.round(r.rows / (r.fresh / 1000)).toLocaleString('en-US'),
          r.raw.toFixed(1), Math.round(r.rows / (r.raw / 1000)).toLocaleString('en-US'), `${(r.fresh / r.raw).toFixed(2)}x`,
          r.unchanged.toFixed(2), String(r.roundTrips), r.forced.toFixed(1),
        ]);
      }
    }
  } finally {
    await pgDb?.drop();
    rmSync(folder, { recursive: true, force: true });
  }
  console.log('Sync: fresh sync vs one raw statement upserting the same rows from unnest arrays (instance, phases, activities and the');
  console.log('synced definition JSONB). Medians. Targets: sync/raw <= 1.3 at 9,000 and 90,000; unchanged re-sync of 9,000 in one round');
  console.log('trip and < 10 ms. rows = instance + phase + activity rows created; forced = every row compared, nothing written.');
  console.log(table(out));

  buildSync({
    entryPoints: [join(__dirname, 'pglite-open.ts')], outfile: OPEN_CHILD, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['@electric-sql/pglite', 'pg-native'], logLevel: 'warning',
  });
  const openDir = mkdtempSync(join(tmpdir(), 'wp-bench-open-'));
  try {
    const noop = openChild('noop');
    const initdb = openChild('initdb', join(openDir, 'initdb'));
    const ours = openChild('ours', join(openDir, 'ours'));
    const reopen = openChild('reopen', join(openDir, 'ours'));
    const cliStart = performance.now();
    const cli = spawnSync(process.execPath, [join(__dirname, '..', 'dist', 'phasectl.js'), 'db', 'migrate', '--db', `embedded:${join(openDir, 'cli')}`], { encoding: 'utf8' });
    if (cli.status !== 0) throw new Error(`phasectl db migrate failed: ${cli.stderr}`);
    const cliMs = performance.now() - cliStart;
    console.log('\nEmbedded database: first open of a new folder (target < 1.5 s and < 300 MB RSS), in a fresh process each.');
    console.log(table([
      ['how', 'ms', 'peak RSS MB'],
      ['node alone, nothing opened (in every row)', noop.ms.toFixed(0), noop.rssMB.toFixed(0)],
      ['PGlite.create on a new folder (its own initdb)', initdb.ms.toFixed(0), initdb.rssMB.toFixed(0)],
      ['openDatabase + migrate, new folder (shipped template)', ours.ms.toFixed(0), ours.rssMB.toFixed(0)],
      ['openDatabase + migrate, existing folder', reopen.ms.toFixed(0), reopen.rssMB.toFixed(0)],
      ['`phasectl db migrate` on a new folder, whole process (wall)', cliMs.toFixed(0), '-'],
    ]));
  } finally {
    rmSync(openDir, { recursive: true, force: true });
  }
}

void main();
