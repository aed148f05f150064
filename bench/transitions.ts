/**
 * `npm run bench:transitions`: transitions on a real PostgreSQL (a throwaway database on
 * DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * - latency of a phase start and of an activity completion (p50, p99 over 2,000
 *   transitions on distinct instances), beside two baselines measured in the same run:
 *   a bare `SELECT 1` round trip and a minimal transaction (BEGIN, one UPDATE, COMMIT);
 * - throughput with 1, 4 and 16 concurrent clients (each its own connection);
 * - time from COMMIT to the change event reaching a listener in another process.
 * Not a test: it prints a table. Figures depend on the machine and its load.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { openDatabase } from '../server/db/database';
import type { Database } from '../server/db/database';
import { migrate } from '../server/db/migrations/migrate';
import { resolveActor, runTransition } from '../server/db/transitions/index';
import type { InstanceKey } from '../server/db/transitions/index';
import type { Actor, Transition } from '../server/core/index';
import { createTestDatabase } from '../test/helpers/postgres';
import { seedInstances, seedUsers } from '../test/transitions/helpers/seed';
import { WORKFLOW } from '../test/transitions/workflow-fixture';
import { commitTimed } from './commit-timed';
import { printTable, summary, timeEach } from './stats';

const LATENCY_RUNS = 2_000;
const THROUGHPUT_RUNS = 1_200;
const CLIENTS = [1, 4, 16];
const EVENT_RUNS = 500;

const wall = () => performance.timeOrigin + performance.now();

/** Runs `work` over `items` with `clients` workers, each on its own connection; resolves to transitions per second. */
async function throughput<T>(url: string, clients: number, items: readonly T[], work: (db: Database, item: T) => Promise<unknown>): Promise<number> {
  const dbs = await Promise.all(Array.from({ length: clients }, () => openDatabase({ kind: 'postgres', url })));
  let next = 0;
  const start = performance.now();
  await Promise.all(dbs.map(async (db) => {
    while (next < items.length) await work(db, items[next++]!);
  }));
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(dbs.map((db) => db.close()));
  return items.length / seconds;
}

async function main(): Promise<void> {
  const target = await createTestDatabase('bench_transitions');
  if (!target) throw new Error('bench:transitions needs PostgreSQL (set DATABASE_URL)');
  const db = await openDatabase({ kind: 'postgres', url: target.url });
  try {
    await migrate(db);
    await seedUsers(db);
    const total = 2 * LATENCY_RUNS + THROUGHPUT_RUNS * CLIENTS.length * 2 + EVENT_RUNS;
    const { cycleId, reportIds } = await seedInstances(db, WORKFLOW, 'bench', Array.from({ length: total }, (_, i) => `R${i + 1}`));
    await db.query('ANALYZE');
    const keys: InstanceKey[] = reportIds.map((reportId) => ({ cycleId, reportId }));
    const take = (() => { let at = 0; return (n: number) => keys.slice(at, (at += n)); })();
    const tester: Actor = (await resolveActor(db, 'tess@example.com')).actor!;
    const run = (on: Database, instance: InstanceKey, transition: Transition) => runTransition(on, { instance, transition, actor: tester, source: 'bench' }).then((o) => {
      if (o.verdict !== 'allowed') throw new Error(`bench transition refused: ${o.explanation.guards.filter((g) => g.result === 'fail').map((g) => g.message).join('; ')}`);
    });
    const startPhase: Transition = { kind: 'phase', action: 'start', phase: 'planning' };
    const completeActivity: Transition = { kind: 'activity', action: 'complete', phase: 'planning', activity: 'start_planning' };
    // Instances for activity completion: planning and its START activity already in progress.
    const prepare = async (batch: InstanceKey[]) => {
      const ids = batch.map((k) => k.reportId);
      await db.query("UPDATE workflow_phases SET status = 'IN_PROGRESS', started_at = now() WHERE cycle_id = $1 AND report_id = ANY($2::int[]) AND phase_name = 'planning'", [cycleId, ids]);
      await db.query(`UPDATE workflow_activities SET status = 'IN_PROGRESS', started_at = now() WHERE activity_name = 'start_planning'
        AND phase_id IN (SELECT phase_id FROM workflow_phases WHERE cycle_id = $1 AND report_id = ANY($2::int[]) AND phase_name = 'planning')`, [cycleId, ids]);
      return batch;
    };

    // Baselines, same server, same run.
    const roundTrip = summary(await timeEach(Array.from({ length: LATENCY_RUNS }), () => db.query('SELECT 1')));
    const minimalTx = summary(await timeEach(keys.slice(0, LATENCY_RUNS), (k) => db.transaction((tx) => tx.query("UPDATE workflow_phases SET updated_at = now() WHERE cycle_id = $1 AND report_id = $2 AND phase_name = 'test_report'", [k.cycleId, k.reportId]))));

    await timeEach(take(50), (k) => run(db, k, startPhase)); // warm-up
    const phaseStart = summary(await timeEach(take(LATENCY_RUNS - 50), (k) => run(db, k, startPhase)));
    const activityComplete = summary(await timeEach(await prepare(take(LATENCY_RUNS)), (k) => run(db, k, completeActivity)));

    const rates: [number, number, number][] = [];
    for (const clients of CLIENTS) {
      const starts = await throughput(target.url, clients, take(THROUGHPUT_RUNS), (on, k) => run(on, k, startPhase));
      const minimal = await throughput(target.url, clients, take(THROUGHPUT_RUNS), (on, k) => on.transaction((tx) => tx.query("UPDATE workflow_phases SET updated_at = now() WHERE cycle_id = $1 AND report_id = $2 AND phase_name = 'test_report'", [k.cycleId, k.reportId])));
      rates.push([clients, starts, minimal]);
    }

    // COMMIT -> change event in another process.
    const listener = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'transitions-listener.ts'), target.url], { stdio: ['pipe', 'pipe', 'inherit'] });
    const arrived = new Map<number, number>();
    let ready: () => void = () => undefined;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    createInterface({ input: listener.stdout }).on('line', (line) => {
      if (line === 'ready') return ready();
      const [id, at] = line.split(' ');
      arrived.set(Number(id), Number(at));
    });
    await isReady;
    // Baseline: a bare NOTIFY with the same payload shape, sent by a plain statement.
    const sent = new Map<number, number>();
    for (let i = 1; i <= EVENT_RUNS; i++) {
      const payload = JSON.stringify({ table: 'workflow_phases', op: 'UPDATE', cycle_id: 0, report_id: 0, phase_id: -i, activity_id: null, status: 'IN_PROGRESS', rows: 1 });
      sent.set(-i, wall());
      await db.query("SELECT pg_notify('workflow_phases_changes', $1)", [payload]);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const committed = new Map<number, number>();
    const eventKeys = take(EVENT_RUNS);
    const phaseIds = await db.query<{ report_id: number; phase_id: number }>("SELECT report_id, phase_id FROM workflow_phases WHERE cycle_id = $1 AND report_id = ANY($2::int[]) AND phase_name = 'planning'", [cycleId, eventKeys.map((k) => k.reportId)]);
    const phaseOf = new Map(phaseIds.rows.map((r) => [r.report_id, r.phase_id]));
    // Paced a little apart: this measures delivery latency, not a backlog of back-to-back commits.
    for (const k of eventKeys) {
      await run(commitTimed(db, () => committed.set(phaseOf.get(k.reportId)!, wall())), k, startPhase);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const deadline = Date.now() + 10_000;
    while (arrived.size < 2 * EVENT_RUNS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    listener.stdin.end();
    const delays = [...committed].filter(([id]) => arrived.has(id)).map(([id, at]) => arrived.get(id)! - at);
    const events = summary(delays);
    const bare = summary([...sent].filter(([id]) => arrived.has(id)).map(([id, at]) => arrived.get(id)! - at));

    const ms = (n: number) => n.toFixed(3);
    console.log(`bench:transitions — real PostgreSQL (${db.description}); ${total.toLocaleString('en-US')} instances of 9 phases.`);
    console.log('The machine is shared with other engineers and loaded: figures are indicative.\n');
    const rows = [
      ['latency (ms)', 'p50', 'p99', 'target'],
      ['baseline: SELECT 1 round trip', ms(roundTrip.p50), ms(roundTrip.p99), ''],
      ['baseline: BEGIN; UPDATE 1 row; COMMIT', ms(minimalTx.p50), ms(minimalTx.p99), ''],
      [`phase start (${LATENCY_RUNS - 50} instances)`, ms(phaseStart.p50), ms(phaseStart.p99), 'p50 <= 2, p99 <= 10'],
      [`activity complete (${LATENCY_RUNS} instances)`, ms(activityComplete.p50), ms(activityComplete.p99), 'p50 <= 2, p99 <= 10'],
      [`baseline: bare NOTIFY -> other process (5 ms apart)`, ms(bare.p50), ms(bare.p99), ''],
      [`COMMIT -> event in another process (${delays.length}/${EVENT_RUNS}, 5 ms apart)`, ms(events.p50), ms(events.p99), 'p99 <= 50'],
    ];
    printTable(rows);
    console.log('');
    printTable([
      ['clients', 'phase starts/s', 'baseline minimal tx/s', 'ratio'],
      ...rates.map(([c, s, m]) => [String(c), s.toFixed(0), m.toFixed(0), `${(s / m).toFixed(2)}x`]),
    ]);
  } finally {
    await db.close();
    await target.drop();
  }
}


void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
