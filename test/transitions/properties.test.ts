/**
 * Property tests of the pure rules engine (fast-check): over random workflows and random
 * sequences of requested transitions (blind requests mixed with picks from `allowed`),
 * the invariants hold after every step and every status change has exactly one change
 * record (one history row).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ACTIVITY_ACTIONS, ACTIVITY_STATUSES, PHASE_ACTIONS, PHASE_NAMES, PHASE_STATUSES, STANDARD_PHASES, allowed, applyTransition, explain, freshSnapshot, invariantViolations } from '../../server/core/index';
import type { ActivityType, Actor, InstanceSnapshot, ResolvedWorkflow, Role, Transition } from '../../server/core/index';
import { ACTORS } from './workflow-fixture';
import { fuzzSeed } from '../helpers/fuzz-seed';

const ROLE_LIST: readonly (Role | null)[] = [null, 'tester', 'report_owner', 'test_executive', 'data_owner'];
const ACTOR_LIST: readonly Actor[] = [...Object.values(ACTORS), { id: 9, name: 'uma', role: null, rolesChecked: false }];

const activityArb = fc.record({
  type: fc.constantFrom<ActivityType>('TASK', 'REVIEW', 'APPROVAL', 'CUSTOM'),
  role: fc.constantFrom(...ROLE_LIST),
  required: fc.boolean(),
});
const phaseArb = fc.record({
  deps: fc.array(fc.nat(8), { maxLength: 2 }),
  skippable: fc.boolean(),
  activities: fc.array(activityArb, { maxLength: 4 }),
});
const workflowArb: fc.Arbitrary<ResolvedWorkflow> = fc.array(phaseArb, { minLength: 9, maxLength: 9 }).map((phases) => ({
  name: 'random',
  appliesTo: [],
  phases: phases.map((p, i) => {
    const name = PHASE_NAMES[i]!;
    const middle = p.activities.map((a, j) => ({ name: `${a.type.toLowerCase()}_${j}`, type: a.type, role: a.role, required: a.required }));
    const all = [{ name: 'begin', type: 'START' as const, role: null, required: true }, ...middle, { name: 'finish', type: 'COMPLETE' as const, role: null, required: true }];
    return {
      name,
      order: i + 1,
      title: STANDARD_PHASES[i]!.title,
      riskLevel: null,
      slaHours: null,
      // Only backwards dependencies, as the validator enforces; the previous phase by default.
      dependsOn: i === 0 ? [] : [...new Set(p.deps.length === 0 ? [i - 1] : p.deps.map((d) => d % i))].map((d) => PHASE_NAMES[d]!),
      skippable: p.skippable,
      metadata: {},
      activities: all.map((a, j) => ({ ...a, order: j + 1, description: null })),
    };
  }),
}));

const stepArb = fc.oneof(
  { weight: 2, arbitrary: fc.record({ pick: fc.nat(), forward: fc.constant(false), actor: fc.nat(ACTOR_LIST.length - 1) }) },
  // Mostly forward moves (start, complete), so that walks get deep into the workflow.
  { weight: 4, arbitrary: fc.record({ pick: fc.nat(), forward: fc.constant(true), actor: fc.nat(ACTOR_LIST.length - 1) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      phaseAction: fc.option(fc.constantFrom(...PHASE_ACTIONS)),
      activityAction: fc.constantFrom(...ACTIVITY_ACTIONS),
      phase: fc.nat(8),
      activity: fc.nat(5),
      reason: fc.option(fc.constantFrom('because', ' ', 'rework needed')),
      expected: fc.option(fc.constantFrom(...Object.keys(PHASE_STATUSES), ...Object.keys(ACTIVITY_STATUSES)), { freq: 5 }),
      actor: fc.nat(ACTOR_LIST.length - 1),
    }),
  },
);
type Step = fc.Arbitrary<typeof stepArb extends fc.Arbitrary<infer S> ? S : never> extends fc.Arbitrary<infer S> ? S : never;

function request(snapshot: InstanceSnapshot, step: Step, actor: Actor): Transition | null {
  if ('pick' in step) {
    const all = allowed(snapshot, actor);
    const forward = all.filter((o) => o.transition.action === 'start' || o.transition.action === 'complete');
    const options = step.forward && forward.length > 0 ? forward : all;
    if (options.length === 0) return null;
    const o = options[step.pick % options.length]!;
    return o.needsReason ? { ...o.transition, reason: 'picked' } : o.transition;
  }
  const phase = snapshot.phases[step.phase]!;
  const base = { phase: phase.name, reason: step.reason, expected: step.expected as never };
  if (step.phaseAction) return { kind: 'phase', action: step.phaseAction, ...base };
  const activity = phase.activities[step.activity % phase.activities.length]!;
  return { kind: 'activity', action: step.activityAction, activity: activity.name, ...base };
}

/** Every (entity, from, to) that differs between two snapshots. */
function statusDiffs(before: InstanceSnapshot, after: InstanceSnapshot): string[] {
  const out: string[] = [];
  before.phases.forEach((p, i) => {
    const q = after.phases[i]!;
    if (p.status !== q.status) out.push(`phase ${p.name} ${p.status}->${q.status}`);
    p.activities.forEach((a, j) => {
      const b = q.activities[j]!;
      if (a.status !== b.status) out.push(`activity ${p.name}/${a.name} ${a.status}->${b.status}`);
    });
  });
  return out.sort();
}

void test('invariants hold and every status change has exactly one history record, over random request sequences', () => {
  const applied = { total: 0, phasesCompleted: 0, revisions: 0, reopens: 0, refusedRaces: 0 };
  fc.assert(
    fc.property(workflowArb, fc.array(stepArb, { minLength: 40, maxLength: 120, size: 'max' }), (workflow, steps) => {
      let snapshot = freshSnapshot(workflow, 1, 1);
      steps.forEach((step, i) => {
        const actor = ACTOR_LIST[step.actor]!;
        const t = request(snapshot, step, actor);
        if (!t) return;
        const at = `2026-11-26T${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`;
        const result = applyTransition(snapshot, t, actor, at);
        const verdict = result.explanation.verdict;
        if ('pick' in step) assert.equal(verdict, 'allowed', `allowed() offered a transition explain refuses: ${JSON.stringify(t)}`);
        if (verdict !== 'allowed') {
          assert.equal(result.snapshot, snapshot, 'a refused or unchanged request changes nothing');
          assert.equal(result.changes.length, 0);
          if (verdict === 'refused') assert.ok(result.explanation.guards.some((g) => g.result === 'fail'), 'a refusal names an unmet guard');
          if (result.explanation.guards.some((g) => g.id === 'unchanged-since-read')) applied.refusedRaces++;
          return;
        }
        assert.ok(result.explanation.guards.every((g) => g.result !== 'fail'));
        const records = result.changes.map((c) => `${c.entity} ${c.activity === null ? c.phase : `${c.phase}/${c.activity}`} ${c.from}->${c.to}`).sort();
        assert.deepEqual(records, statusDiffs(snapshot, result.snapshot), 'one change record per status change');
        assert.deepEqual(invariantViolations(result.snapshot), [], `after ${JSON.stringify(t)}`);
        applied.total++;
        if (result.changes.some((c) => c.entity === 'phase' && c.to === 'COMPLETED')) applied.phasesCompleted++;
        if (t.action === 'request-revision') applied.revisions++;
        if (t.action === 'reopen') applied.reopens++;
        snapshot = result.snapshot;
      });
    }),
    { seed: fuzzSeed('property walk', 40), numRuns: 40 },
  );
  console.log('property walk:', JSON.stringify(applied));
  // The walk must reach deep states, or the invariants were never really exercised.
  assert.ok(applied.phasesCompleted > 20, `phases completed: ${JSON.stringify(applied)}`);
  assert.ok(applied.revisions > 0 && applied.reopens > 0 && applied.refusedRaces > 0, JSON.stringify(applied));
});

void test('the same request twice: the second is a no-op', () => {
  fc.assert(
    fc.property(workflowArb, fc.array(fc.nat(), { maxLength: 40 }), (workflow, picks) => {
      let snapshot = freshSnapshot(workflow);
      const actor = ACTORS.admin;
      for (const pick of picks) {
        const options = allowed(snapshot, actor);
        if (options.length === 0) break;
        const o = options[pick % options.length]!;
        const t = o.needsReason ? { ...o.transition, reason: 'r' } : o.transition;
        snapshot = applyTransition(snapshot, t, actor, '2026-11-26T10:00:00').snapshot;
        const again = explain(snapshot, t, actor);
        assert.equal(again.verdict, 'unchanged', `${JSON.stringify(t)} twice`);
      }
    }),
    { seed: fuzzSeed('same request twice', 60), numRuns: 60 },
  );
});
