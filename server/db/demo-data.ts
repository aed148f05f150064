/**
 * Demo data for `phasectl demo`: the host application's users, cycles and reports, and
 * some progress on the synced instances, made through the transitions engine
 * (`runTransition`, as the demo users), exactly as `phasectl activity …` would make it.
 */
import type { Actor, ActivityAction, PhaseAction, StatusChange, Transition } from '../core/index';
import type { Database, Queryable } from './database';
import { resolveActor, resolveInstance, runTransition } from './transitions/index';
import type { InstanceKey } from './transitions/index';

/** The demo's test cycles and reports. */
export const DEMO_CYCLES = ['2026-Q4', '2027-Q1'] as const;
/** The demo's reports. */
export const DEMO_REPORTS = ['FR-Y-14Q', 'FR-2052a', 'CCAR'] as const;

const USERS = [
  ['ana.tester@example.com', 'Ana Tester', 'tester'],
  ['ted.exec@example.com', 'Ted Executive', 'test_executive'],
  ['rita.owner@example.com', 'Rita Owner', 'report_owner'],
  ['dan.data@example.com', 'Dan Data', 'data_owner'],
] as const;

/** Creates the users, cycles and reports (kept when they exist already). */
export async function seedHostData(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO users (email, name, role) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.email = ANY($1::text[]))`,
    [USERS.map((u) => u[0]), USERS.map((u) => u[1]), USERS.map((u) => u[2])],
  );
  await db.query('INSERT INTO test_cycles (cycle_name) SELECT unnest($1::text[]) ON CONFLICT (cycle_name) DO NOTHING', [[...DEMO_CYCLES]]);
  await db.query('INSERT INTO reports (report_name) SELECT unnest($1::text[]) ON CONFLICT (report_name) DO NOTHING', [[...DEMO_REPORTS]]);
}

const ANA = 'ana.tester@example.com';
const TED = 'ted.exec@example.com';
const RITA = 'rita.owner@example.com';

/** One transition of the demo (a phase's when `activity` is null), by one of the demo users. */
interface DemoStep {
  readonly action: ActivityAction | PhaseAction;
  readonly phase: string;
  readonly activity: string | null;
  readonly as: string;
  readonly reason?: string;
}

const phase = (action: PhaseAction, name: string, as = ANA): DemoStep => ({ action, phase: name, activity: null, as });
const start = (phaseName: string, activity: string, as = ANA): DemoStep => ({ action: 'start', phase: phaseName, activity, as });
const complete = (phaseName: string, activity: string, as = ANA): DemoStep => ({ action: 'complete', phase: phaseName, activity, as });
/** Starts and completes an activity. */
const done = (phaseName: string, activity: string, as = ANA): DemoStep[] => [start(phaseName, activity, as), complete(phaseName, activity, as)];

/** What the demo does to which instance, in order (each user acts in their role of the example workflow). */
const DEMO_PLAN: readonly { readonly cycle: string; readonly report: string; readonly steps: readonly DemoStep[] }[] = [
  {
    // Finishes planning (starting the phase completes its START activity, completing it its
    // COMPLETE activity: no marker is moved by hand) and gets going on scoping.
    cycle: '2026-Q4', report: 'FR-Y-14Q', steps: [
      phase('start', 'planning'),
      ...done('planning', 'load_attributes'),
      { action: 'skip', phase: 'planning', activity: 'add_data_source', as: ANA },
      ...done('planning', 'review_attributes', TED),
      ...done('planning', 'approve_attributes', RITA),
      phase('complete', 'planning'),
      phase('start', 'scoping'),
      ...done('scoping', 'select_attributes'),
      start('scoping', 'assess_risk'),
    ],
  },
  {
    cycle: '2026-Q4', report: 'FR-2052a', steps: [
      phase('start', 'planning'),
      start('planning', 'load_attributes'),
      { action: 'block', phase: 'planning', activity: 'load_attributes', as: ANA, reason: 'waiting for the attribute list from the report owner' },
    ],
  },
];

/** What one demo step did (or why it could not be done). */
export interface DemoStepResult {
  readonly cycle: string;
  readonly report: string;
  /** The acting user's email. */
  readonly as: string;
  /** `complete activity \`load_attributes\` of phase \`planning\`` */
  readonly title: string;
  /** The status changes written (empty when refused). */
  readonly changes: readonly StatusChange[];
  /** Why it was not done: the unmet conditions (or the missing user, cycle or report); null when done. */
  readonly refused: string | null;
}

/** Progress reports while the demo moves along. */
export interface DemoListener {
  /** Before an instance's steps; `untouched` says why it is left as it is (null: it is moved along). */
  readonly instance?: (cycle: string, report: string, untouched: string | null) => void;
  readonly step?: (result: DemoStepResult) => void;
}

/**
 * Moves the demo instances along through `runTransition` (history source `demo`): FR-Y-14Q
 * finishes planning and is scoping, FR-2052a is blocked in planning on `load_attributes`.
 * An instance that already has history (the demo ran on this database before) is left as
 * it is. Definitions other than the example may refuse a step: the rest of that instance's
 * steps are then left out, and the refusal is in the results (nothing is thrown for it).
 */
export async function advanceDemo(db: Database, listener: DemoListener = {}): Promise<DemoStepResult[]> {
  const results: DemoStepResult[] = [];
  const actors = new Map<string, Actor | string>();
  for (const instance of DEMO_PLAN) {
    const found = await resolveInstance(db, instance.cycle, instance.report);
    let untouched = found.error ?? null;
    if (found.key) {
      const { rows } = await db.query<{ moved: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM workflow_transition_history WHERE cycle_id = $1 AND report_id = $2) AS moved',
        [found.key.cycleId, found.key.reportId],
      );
      if (rows[0]?.moved) untouched = 'it has history already: left as it is';
    }
    listener.instance?.(instance.cycle, instance.report, untouched);
    if (untouched !== null || !found.key) continue;
    for (const step of instance.steps) {
      if (!actors.has(step.as)) {
        const lookup = await resolveActor(db, step.as);
        actors.set(step.as, lookup.actor ?? lookup.error);
      }
      const actor = actors.get(step.as)!;
      const result: DemoStepResult = typeof actor === 'string'
        ? { cycle: instance.cycle, report: instance.report, as: step.as, title: `${step.action} ${step.activity === null ? `phase \`${step.phase}\`` : `activity \`${step.activity}\` of phase \`${step.phase}\``}`, changes: [], refused: actor }
        : await runStep(db, found.key, instance, step, actor);
      results.push(result);
      listener.step?.(result);
      if (result.refused !== null) break;
    }
  }
  return results;
}

async function runStep(db: Database, key: InstanceKey, instance: { cycle: string; report: string }, step: DemoStep, actor: Actor): Promise<DemoStepResult> {
  const outcome = await runTransition(db, {
    instance: key,
    transition: step.activity === null
      ? { kind: 'phase', action: step.action as PhaseAction, phase: step.phase, reason: step.reason ?? null }
      : { kind: 'activity', action: step.action as ActivityAction, phase: step.phase, activity: step.activity, reason: step.reason ?? null } satisfies Transition,
    actor,
    source: 'demo',
  });
  const refused = outcome.verdict === 'refused' ? outcome.explanation.guards.filter((g) => g.result === 'fail').map((g) => g.message).join('; ') : null;
  return { cycle: instance.cycle, report: instance.report, as: step.as, title: outcome.explanation.title, changes: outcome.changes, refused };
}
