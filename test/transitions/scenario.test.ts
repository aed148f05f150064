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
import type { InstanceSnapshot } from '../../server/core/index';
import { STEPS, actor, parse } from './scenario-steps';
import { WORKFLOW } from './workflow-fixture';

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
  const planning = snapshot.phases[0]!;
  assert.equal(planning.status, 'COMPLETED');
  assert.equal(planning.startedBy, 1);
  assert.equal(planning.completedBy, 1);
  assert.equal(snapshot.phases[3]!.status, 'SKIPPED');
  const golden = join(import.meta.dirname, 'golden', 'scenario.txt');
  const text = out.join('\n');
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(join(import.meta.dirname, 'golden'), { recursive: true });
    writeFileSync(golden, text);
  }
  assert.equal(text, readFileSync(golden, 'utf8'));
});
