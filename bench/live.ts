/**
 * `npm run bench:live`: the language server's live database on a real PostgreSQL (a
 * throwaway database on DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * holding 10,000 (cycle, report) instances of the example workflow, the server running as
 * its own process (`dist/server.js --stdio`), measured from this process as its LSP client:
 * - a transition committed here (another process than the server) -> its
 *   `workflowPhases/changed` at the client, beside a bare `pg` baseline measured in the same
 *   run (LISTEN on one connection, NOTIFY + COMMIT on another);
 * - `workflowPhases/instance` beside a bare query of the same rows;
 * - `workflowPhases/instances` (the first page of 200 with every cycle's totals) beside a
 *   bare query of the same page's instances and phase rows (no totals).
 * Not a test: it prints a table. Figures depend on the machine and its load.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { analyzeText, resolveWorkflow } from '../server/core/index';
import type { Actor, Transition } from '../server/core/index';
import { openDatabase } from '../server/db/database';
import type { Database } from '../server/db/database';
import { migrate } from '../server/db/migrations/migrate';
import { resolveActor, runTransition } from '../server/db/transitions/index';
import { ChangedNotification, InstanceRequest, InstancesRequest, type InstancesResult } from '../schemas/lsp-protocol';
import { createTestDatabase } from '../test/helpers/postgres';
import { LspClient } from '../test/lsp/client';
import { seedInstances, seedUsers } from '../test/transitions/helpers/seed';
import { commitTimed } from './commit-timed';
import { printTable, summary, timeEach } from './stats';

const CYCLES = 10;
const REPORTS_PER_CYCLE = 1_000;
const EVENT_RUNS = 300;
const REQUEST_RUNS = 200;
const LIST_RUNS = 60;
const WARM_UP = 10;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 10,000 instances of the example workflow: 10 cycles of 1,000 reports, SLAs as sync stores them, some phases under way. */
async function seed(db: Database): Promise<void> {
  await migrate(db);
  await seedUsers(db);
  const text = readFileSync(join(__dirname, '..', 'examples', 'regulatory-testing.phases.yaml'), 'utf8');
  const analysis = analyzeText('example', text);
  const workflow = resolveWorkflow(analysis.definition, analysis.problems).value!;
  for (let c = 0; c < CYCLES; c++) {
    await seedInstances(db, workflow, `2026-C${String(c).padStart(2, '0')}`, Array.from({ length: REPORTS_PER_CYCLE }, (_, r) => `REPORT-${c}-${String(r).padStart(4, '0')}`));
  }
  await db.query(
    `UPDATE workflow_phases p SET phase_metadata = (p.phase_metadata::jsonb || jsonb_build_object('definition', jsonb_build_object('sla_hours', s.sla)))::json
       FROM unnest($1::text[], $2::int[]) AS s(name, sla) WHERE p.phase_name = s.name`,
    [workflow.phases.map((p) => p.name), workflow.phases.map((p) => p.slaHours ?? 48)],
  );
  // Every seventh instance has planning under way for four days; every 49th a blocked activity.
  await db.query(`UPDATE workflow_phases SET status = 'IN_PROGRESS', started_at = LOCALTIMESTAMP - interval '96 hours'
                   WHERE phase_name = 'planning' AND report_id % 7 = 0`);
  await db.query(`UPDATE workflow_activities SET status = 'BLOCKED', blocked_reason = 'bench'
                   WHERE activity_name = 'load_attributes' AND phase_id IN (SELECT phase_id FROM workflow_phases WHERE phase_name = 'planning' AND report_id % 49 = 0)`);
  await db.query('VACUUM ANALYZE');
}

async function main(): Promise<void> {
  const target = await createTestDatabase('bench_live');
  if (!target) throw new Error('bench:live needs PostgreSQL (set DATABASE_URL)');
  const db = await openDatabase({ kind: 'postgres', url: target.url });
  const folder = mkdtempSync(join(tmpdir(), 'wp-bench-live-'));
  let client: LspClient | undefined;
  try {
    await seed(db);
    client = await LspClient.start({
      rootPath: folder,
      capabilities: { workspace: { configuration: true } },
      configuration: { workflowPhases: { database: { url: target.url }, user: 'tess@example.com' } },
    });
    const lsp = client;
    await lsp.databaseStatus((s) => s.state === 'connected');
    const keys = (await db.query<{ cycle_id: number; report_id: number }>("SELECT cycle_id, report_id FROM workflow_phases WHERE phase_name = 'planning' AND status = 'NOT_STARTED' ORDER BY phase_id")).rows;

    // workflowPhases/instances: the first page, beside a bare query of that page's phase rows.
    const firstPage = () => lsp.request<InstancesResult>(InstancesRequest.method, {});
    // The bare way to fill the same page: 200 instances by name and their phase rows, no totals, no filters.
    const bareFirstPage = () =>
      db.query(`WITH page AS (
                  SELECT i.cycle_id, i.report_id, c.cycle_name, r.report_name
                    FROM workflow_instances i JOIN test_cycles c ON c.cycle_id = i.cycle_id JOIN reports r ON r.id = i.report_id
                   ORDER BY c.cycle_name, r.report_name LIMIT 200)
                SELECT g.cycle_name, g.report_name, p.phase_name, p.status
                  FROM page g JOIN workflow_phases p ON p.cycle_id = g.cycle_id AND p.report_id = g.report_id
                 ORDER BY g.cycle_name, g.report_name, p.phase_order`);
    const page = await firstPage();
    if (page.instances.length !== 200 || page.cycles.length !== CYCLES) throw new Error(`unexpected first page: ${page.instances.length} instances, ${page.cycles.length} cycles`);
    await timeEach(Array.from({ length: WARM_UP }), () => Promise.all([firstPage(), bareFirstPage()]));
    const list = summary(await timeEach(Array.from({ length: LIST_RUNS }), firstPage));
    const bareList = summary(await timeEach(Array.from({ length: LIST_RUNS }), bareFirstPage));
    const mine = summary(await timeEach(Array.from({ length: LIST_RUNS }), () => lsp.request(InstancesRequest.method, { filter: 'mine' })));
    const blocked = summary(await timeEach(Array.from({ length: LIST_RUNS }), () => lsp.request(InstancesRequest.method, { filter: 'blocked' })));

    // workflowPhases/instance beside a bare query of the same rows.
    const sample = Array.from({ length: REQUEST_RUNS }, (_, i) => keys[(i * 37) % keys.length]!);
    const bareInstance = (k: { cycle_id: number; report_id: number }) =>
      db.query(`SELECT p.*, a.* FROM workflow_phases p LEFT JOIN workflow_activities a ON a.phase_id = p.phase_id
                 WHERE p.cycle_id = $1 AND p.report_id = $2 ORDER BY p.phase_order, a.activity_order`, [k.cycle_id, k.report_id]);
    const instance = (k: { cycle_id: number; report_id: number }) => lsp.request(InstanceRequest.method, { cycleId: k.cycle_id, reportId: k.report_id });
    await timeEach(sample.slice(0, WARM_UP), (k) => Promise.all([instance(k), bareInstance(k)]));
    const detail = summary(await timeEach(sample, instance));
    const bareDetail = summary(await timeEach(sample, bareInstance));

    // Baseline: LISTEN on one connection, NOTIFY + COMMIT on another, both here.
    const listener = new pg.Client(target.url);
    const notifier = new pg.Client(target.url);
    await Promise.all([listener.connect(), notifier.connect()]);
    const heard = new Map<string, number>();
    listener.on('notification', (n) => heard.set(n.payload ?? '', performance.now()));
    await listener.query('LISTEN bench_live');
    const bareDelays: number[] = [];
    for (let i = 0; i < EVENT_RUNS; i++) {
      await notifier.query('BEGIN');
      await notifier.query("SELECT pg_notify('bench_live', $1)", [String(i)]);
      const sent = performance.now();
      await notifier.query('COMMIT');
      while (!heard.has(String(i))) await pause(0);
      bareDelays.push(heard.get(String(i))! - sent);
      await pause(5);
    }
    await Promise.all([listener.end(), notifier.end()]);

    // Ours: a phase start committed here -> workflowPhases/changed for that instance at the client.
    const arrived = new Map<string, number>();
    lsp.connection.onNotification(ChangedNotification.type, (params) => {
      for (const i of params.instances) arrived.set(`${i.cycleId}/${i.reportId}`, performance.now());
    });
    const tester: Actor = (await resolveActor(db, 'tess@example.com')).actor!;
    const start: Transition = { kind: 'phase', action: 'start', phase: 'planning' };
    const delays: number[] = [];
    for (const k of keys.slice(0, EVENT_RUNS + WARM_UP)) {
      let committing = 0;
      const outcome = await runTransition(commitTimed(db, () => (committing = performance.now())), { instance: { cycleId: k.cycle_id, reportId: k.report_id }, transition: start, actor: tester, source: 'bench' });
      if (outcome.verdict !== 'allowed') throw new Error('bench transition refused');
      const key = `${k.cycle_id}/${k.report_id}`;
      const deadline = Date.now() + 10_000;
      while (!arrived.has(key) && Date.now() < deadline) await pause(0);
      if (!arrived.has(key)) throw new Error(`no workflowPhases/changed for ${key}`);
      delays.push(arrived.get(key)! - committing);
      await pause(5);
    }
    const changed = summary(delays.slice(WARM_UP));
    const bare = summary(bareDelays);

    const ms = (n: number) => n.toFixed(2);
    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
    console.log(`bench:live — the language server on PostgreSQL (${db.description}); ${(CYCLES * REPORTS_PER_CYCLE).toLocaleString('en-US')} instances of 9 phases (${keys.length.toLocaleString('en-US')} not started).`);
    console.log('The machine is shared with other engineers: figures are indicative; compare within the run.\n');
    printTable([
      ['measure (ms)', 'ours p50', 'ours p99', 'baseline p50', 'baseline p99', 'p50 ratio', 'goal'],
      [`commit (another process) -> workflowPhases/changed (${EVENT_RUNS}, 5 ms apart) | bare LISTEN/NOTIFY`, ms(changed.p50), ms(changed.p99), ms(bare.p50), ms(bare.p99), ratio(changed.p50, bare.p50), 'p99 <= 50'],
      [`workflowPhases/instance (${REQUEST_RUNS} instances) | bare query of its rows`, ms(detail.p50), ms(detail.p99), ms(bareDetail.p50), ms(bareDetail.p99), ratio(detail.p50, bareDetail.p50), ''],
      [`workflowPhases/instances first page of 200 + totals (${LIST_RUNS}) | bare page query, no totals`, ms(list.p50), ms(list.p99), ms(bareList.p50), ms(bareList.p99), ratio(list.p50, bareList.p50), 'p50 <= 50'],
      [`workflowPhases/instances filter mine (${LIST_RUNS})`, ms(mine.p50), ms(mine.p99), '', '', '', ''],
      [`workflowPhases/instances filter blocked (${LIST_RUNS})`, ms(blocked.p50), ms(blocked.p99), '', '', '', ''],
    ]);
  } finally {
    await client?.stop();
    rmSync(folder, { recursive: true, force: true });
    await db.close();
    await target.drop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
