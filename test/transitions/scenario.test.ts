/**
 * A scripted walk through one instance: each step's verdict is asserted here, and
 * every explanation (guards, changes, notes) is compared with `golden/scenario.txt`
 * (regenerate with UPDATE_GOLDEN=1 and review the diff).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { applyTransition, formatExplanation, freshSnapshot, invariantViolations } from '../../server/core/index';
import type { Actor, InstanceSnapshot, Transition, Verdict } from '../../server/core/index';
import { ACTORS, WORKFLOW } from './workflow-fixture';

type Who = keyof typeof ACTORS | 'unchecked';
type Step = readonly [who: Who, request: string, verdict: Verdict, reason?: string, expected?: string];

/** `phase start planning` or `activity complete planning load_attributes`. */
function parse(request: string, reason?: string, expected?: string): Transition {
  const [kind, action, phase, activity] = request.split(' ');
  const extra = { reason: reason ?? null, expected: (expected ?? null) as never };
  return kind === 'phase'
    ? { kind: 'phase', action: action as never, phase: phase, ...extra }
    : { kind: 'activity', action: action as never, phase: phase, activity: activity, ...extra };
}

const STEPS: readonly Step[] = [
  ['tester', 'activity start planning load_attributes', 'refused'],
  ['tester', 'phase start scoping', 'refused'],
  ['tester', 'activity start planning start_planning', 'allowed'],
  ['tester', 'phase start planning', 'unchanged'],
  ['tester', 'activity complete planning start_planning', 'allowed'],
  ['owner', 'activity start planning load_attributes', 'refused'],
  ['nobody', 'activity start planning load_attributes', 'refused'],
  ['unchecked', 'activity start planning load_attributes', 'allowed'],
  ['tester', 'activity block planning load_attributes', 'refused'],
  ['tester', 'activity block planning load_attributes', 'allowed', 'source system down'],
  ['tester', 'phase complete planning', 'refused'],
  ['tester', 'activity unblock planning load_attributes', 'allowed'],
  ['tester', 'activity complete planning load_attributes', 'allowed'],
  ['tester', 'activity skip planning review_attributes', 'refused', 'not needed'],
  ['tester', 'activity start planning review_attributes', 'allowed'],
  ['tester', 'activity complete planning review_attributes', 'allowed'],
  ['owner', 'activity start planning approve_attributes', 'allowed'],
  ['tester', 'activity request-revision planning load_attributes', 'refused', 'attribute 12 is missing'],
  ['owner', 'activity request-revision planning start_planning', 'refused', 'no'],
  ['owner', 'activity request-revision planning load_attributes', 'allowed', 'attribute 12 is missing'],
  ['owner', 'activity start planning approve_attributes', 'refused'],
  ['tester', 'activity start planning load_attributes', 'allowed'],
  ['tester', 'activity complete planning load_attributes', 'allowed'],
  ['owner', 'activity start planning approve_attributes', 'allowed'],
  ['owner', 'activity complete planning approve_attributes', 'allowed'],
  ['tester', 'activity start planning complete_planning', 'allowed'],
  ['tester', 'activity complete planning complete_planning', 'refused'],
  ['tester', 'activity skip planning add_data_source', 'allowed', 'no extra source'],
  ['tester', 'activity complete planning complete_planning', 'allowed'],
  ['tester', 'phase reopen planning', 'refused', 'late attribute'],
  ['executive', 'phase reopen planning', 'refused'],
  ['tester', 'phase start scoping', 'allowed'],
  ['executive', 'phase reopen planning', 'refused', 'late attribute'],
  ['tester', 'phase skip data_request', 'refused', 'not needed'],
  ['tester', 'phase skip data_profiling', 'allowed', 'profiled last cycle'],
  ['tester', 'phase skip data_profiling', 'unchanged', 'again'],
  ['tester', 'activity start scoping start_scoping', 'allowed'],
  ['tester', 'activity complete scoping start_scoping', 'allowed'],
  ['tester', 'activity start scoping rate_risk', 'allowed'],
  ['tester', 'activity complete scoping rate_risk', 'allowed'],
  ['admin', 'activity start scoping owner_approval', 'allowed'],
  ['admin', 'activity complete scoping owner_approval', 'allowed'],
  ['tester', 'phase complete scoping', 'refused'],
  ['tester', 'activity start scoping complete_scoping', 'allowed'],
  ['tester', 'activity complete scoping complete_scoping', 'allowed'],
  ['executive', 'phase reopen planning', 'allowed', 'late attribute'],
  ['tester', 'phase complete planning', 'allowed'],
  ['tester', 'activity complete planning load_attributes', 'refused', undefined, 'IN_PROGRESS'],
  ['tester', 'phase start scopin', 'refused'],
  ['tester', 'activity start scoping rate_rsk', 'refused'],
];

function actor(who: Who): Actor {
  return who === 'unchecked' ? { id: 9, name: 'uma', role: null, rolesChecked: false } : ACTORS[who];
}

void test('the scripted walk through one instance gives the expected verdicts and explanations', () => {
  let snapshot: InstanceSnapshot = freshSnapshot(WORKFLOW, 1, 1);
  const out: string[] = [];
  STEPS.forEach(([who, request, verdict, reason, expected], i) => {
    const at = `2026-11-26T10:${String(i).padStart(2, '0')}:00`;
    const result = applyTransition(snapshot, parse(request, reason, expected), actor(who), at);
    out.push(`## ${i + 1}. ${actor(who).name}: ${request}${reason ? ` --reason "${reason}"` : ''}${expected ? ` (expected ${expected})` : ''}`);
    out.push(formatExplanation(result.explanation));
    assert.equal(result.explanation.verdict, verdict, `step ${i + 1} (${request}):\n${formatExplanation(result.explanation)}`);
    assert.deepEqual(invariantViolations(result.snapshot), [], `step ${i + 1}`);
    snapshot = result.snapshot;
  });
  const planning = snapshot.phases[0];
  assert.equal(planning.status, 'COMPLETED');
  assert.equal(planning.startedBy, 1);
  assert.equal(planning.completedBy, 1);
  assert.equal(snapshot.phases[3].status, 'SKIPPED');
  const golden = join(import.meta.dirname, 'golden', 'scenario.txt');
  const text = out.join('\n');
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(join(import.meta.dirname, 'golden'), { recursive: true });
    writeFileSync(golden, text);
  }
  assert.equal(text, readFileSync(golden, 'utf8'));
});
