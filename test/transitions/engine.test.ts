/** Unit tests of the pure engine's edges: `allowed` on a fresh instance, the invariant checker itself, bad requests. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowed, applyTransition, explain, freshSnapshot, invariantViolations } from '../../server/core/index';
import type { InstanceSnapshot, PhaseState } from '../../server/core/index';
import { ACTORS, WORKFLOW } from './workflow-fixture';

const fresh = () => freshSnapshot(WORKFLOW, 1, 1);

function withPhase(s: InstanceSnapshot, name: string, change: (p: PhaseState) => PhaseState): InstanceSnapshot {
  return { ...s, phases: s.phases.map((p) => (p.name === name ? change(p) : p)) };
}

void test('allowed on a fresh instance: start planning, skip the skippable phase with a reason (the START marker is the phase start)', () => {
  const options = allowed(fresh(), ACTORS.tester).map((o) => [o.transition.kind, o.transition.action, o.transition.phase, o.transition.kind === 'activity' ? o.transition.activity : '', o.needsReason]);
  assert.deepEqual(options, [
    ['phase', 'start', 'planning', '', false],
    ['phase', 'skip', 'data_profiling', '', true],
  ]);
  assert.deepEqual(allowed(fresh(), ACTORS.nobody).length, 2, 'no role is needed for either');
});

void test('START and COMPLETE are markers: they move with their phase, one change record each', () => {
  const started = applyTransition(fresh(), { kind: 'phase', action: 'start', phase: 'planning' }, ACTORS.tester, '2026-11-26T10:00:00.000000Z');
  assert.deepEqual(started.changes.map((c) => `${c.activity ?? c.phase} ${c.from}->${c.to}`), ['planning NOT_STARTED->IN_PROGRESS', 'start_planning NOT_STARTED->COMPLETED']);
  // The START activity's own transitions lead to the same state, as does its completion.
  for (const action of ['start', 'complete'] as const) {
    const viaMarker = applyTransition(fresh(), { kind: 'activity', action, phase: 'planning', activity: 'start_planning' }, ACTORS.tester, '2026-11-26T10:00:00.000000Z');
    assert.equal(viaMarker.explanation.verdict, 'allowed');
    assert.deepEqual(viaMarker.snapshot, started.snapshot);
  }
  // Work can begin at once: the next allowed steps are the work, not the marker.
  const next = allowed(started.snapshot, ACTORS.tester).filter((o) => o.transition.phase === 'planning').map((o) => o.transition.kind === 'activity' ? `${o.transition.action} ${o.transition.activity}` : `phase ${o.transition.action}`);
  assert.deepEqual(next, ['start load_attributes', 'skip add_data_source']);
  let s = started.snapshot;
  for (const [action, activity, who] of [['start', 'load_attributes', ACTORS.tester], ['complete', 'load_attributes', ACTORS.tester], ['skip', 'add_data_source', ACTORS.tester], ['start', 'review_attributes', ACTORS.tester], ['complete', 'review_attributes', ACTORS.tester], ['start', 'approve_attributes', ACTORS.owner], ['complete', 'approve_attributes', ACTORS.owner]] as const) {
    const r = applyTransition(s, { kind: 'activity', action, phase: 'planning', activity, reason: 'r' }, who, '2026-11-26T11:00:00.000000Z');
    assert.equal(r.explanation.verdict, 'allowed', `${action} ${activity}`);
    s = r.snapshot;
  }
  const completed = applyTransition(s, { kind: 'phase', action: 'complete', phase: 'planning' }, ACTORS.tester, '2026-11-26T12:00:00.000000Z');
  assert.deepEqual(completed.changes.map((c) => `${c.activity ?? c.phase} ${c.from}->${c.to}`), ['complete_planning NOT_STARTED->COMPLETED', 'planning IN_PROGRESS->COMPLETED']);
  const reopened = applyTransition(completed.snapshot, { kind: 'phase', action: 'reopen', phase: 'planning', reason: 'late attribute' }, ACTORS.executive, '2026-11-26T13:00:00.000000Z');
  assert.deepEqual(reopened.changes.map((c) => `${c.activity ?? c.phase} ${c.from}->${c.to} ${c.reason}`), ['planning COMPLETED->IN_PROGRESS late attribute', 'complete_planning COMPLETED->NOT_STARTED late attribute']);
  assert.equal(reopened.snapshot.phases[0]!.activities[0]!.status, 'COMPLETED', 'START stays COMPLETED');
  for (const snapshot of [started.snapshot, completed.snapshot, reopened.snapshot]) assert.deepEqual(invariantViolations(snapshot), []);
});

void test('the invariant checker reports each kind of broken state', () => {
  const completedEarly = withPhase(fresh(), 'planning', (p) => ({ ...p, status: 'COMPLETED' }));
  assert.match(invariantViolations(completedEarly)[0]!, /^planning is COMPLETED but required activity start_planning is NOT_STARTED$/);
  assert.ok(invariantViolations(completedEarly).includes('planning is COMPLETED but its COMPLETE activity complete_planning is NOT_STARTED, not COMPLETED'));
  const markerLeftOpen = withPhase(fresh(), 'planning', (p) => ({ ...p, status: 'IN_PROGRESS' }));
  assert.deepEqual(invariantViolations(markerLeftOpen), ['planning is IN_PROGRESS but its START activity start_planning is NOT_STARTED, not COMPLETED']);
  const startedTooSoon = withPhase(fresh(), 'scoping', (p) => ({ ...p, status: 'IN_PROGRESS' }));
  assert.deepEqual(invariantViolations(startedTooSoon), [
    'scoping is IN_PROGRESS but planning, which it depends on, is NOT_STARTED',
    'scoping is IN_PROGRESS but its START activity start_scoping is NOT_STARTED, not COMPLETED',
  ]);
  const backwards = withPhase(fresh(), 'planning', (p) => ({ ...p, startedAt: '2026-11-26T10:00:00', completedAt: '2026-11-26T09:00:00' }));
  assert.deepEqual(invariantViolations(backwards), ['planning: completed at 2026-11-26T09:00:00Z, before it started at 2026-11-26T10:00:00Z']);
  assert.deepEqual(invariantViolations(fresh()), []);
});

void test('requests naming nothing real are refused with one clear guard, never thrown', () => {
  const e = explain(fresh(), { kind: 'activity', action: 'start', phase: 'nowhere', activity: 'x' }, ACTORS.tester);
  assert.equal(e.verdict, 'refused');
  assert.deepEqual(e.guards.map((g) => [g.id, g.result, g.message]), [['exists', 'fail', 'no phase `nowhere` in this instance']]);
  const blank = explain(fresh(), { kind: 'phase', action: 'skip', phase: 'data_profiling', reason: '   ' }, ACTORS.tester);
  assert.equal(blank.verdict, 'refused');
  assert.equal(blank.guards.find((g) => g.result === 'fail')?.message, 'skipping data_profiling needs a reason (--reason)');
});

void test('reopen: refused while a dependent phase is in progress, allowed when it is completed, with a note', () => {
  let s = fresh();
  for (const name of ['planning', 'scoping']) {
    s = withPhase(s, name, (p) => ({ ...p, status: 'COMPLETED', activities: p.activities.map((a) => ({ ...a, status: 'COMPLETED' })) }));
  }
  s = withPhase(s, 'data_request', (p) => ({ ...p, status: 'IN_PROGRESS' }));
  const reopen = { kind: 'phase', action: 'reopen', phase: 'scoping', reason: 'late change' } as const;
  const refused = explain(s, reopen, ACTORS.executive);
  assert.equal(refused.verdict, 'refused');
  assert.deepEqual(refused.guards.filter((g) => g.result === 'fail').map((g) => g.message), ['data_request depends on scoping and is IN_PROGRESS: complete it before reopening scoping']);
  s = withPhase(s, 'data_request', (p) => ({ ...p, status: 'COMPLETED', activities: p.activities.map((a) => ({ ...a, status: 'COMPLETED' })) }));
  const done = explain(s, reopen, ACTORS.executive);
  assert.equal(done.verdict, 'allowed');
  assert.deepEqual(done.notes, ["downstream phase data_request is COMPLETED and built on scoping's earlier result"]);
  assert.equal(explain(s, reopen, ACTORS.admin).verdict, 'allowed', 'admin may reopen');
  assert.equal(explain(s, reopen, ACTORS.owner).verdict, 'refused', 'a report owner may not');
});
