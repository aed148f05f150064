/**
 * plan() golden files: each case builds definitions and stored rows, and the plan's
 * JSON (what `phasectl plan --format json` prints) must equal test/db/golden/<case>.json.
 * `UPDATE_GOLDEN=1` rewrites them; review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { plan } from '../../server/db/sync/plan';
import { planToJson } from '../../server/db/sync/plan-json';
import type { CurrentInstance, CurrentPhase, PlanDefinition } from '../../server/db/sync/types';
import { exampleWorkflow, smallWorkflow, storedRows } from './helpers/workflows';

const Q1_R1 = { cycleId: 1, reportId: 1, cycle: '2026-Q4', report: 'FR-Y-14Q' };
const Q1_R2 = { cycleId: 1, reportId: 2, cycle: '2026-Q4', report: 'FR-2052a' };

function editPhase(instance: CurrentInstance, name: string, edit: (p: CurrentPhase) => CurrentPhase): CurrentInstance {
  return { ...instance, phases: instance.phases.map((p) => (p.name === name ? edit(p) : p)) };
}

function setStatus(p: CurrentPhase, activity: string, status: string): CurrentPhase {
  return { ...p, activities: p.activities.map((a) => (a.name === activity ? { ...a, status } : a)) };
}

const CASES: Record<string, () => { definitions: PlanDefinition[]; current: CurrentInstance[] }> = {
  // A new instance: the instance row, all nine phases and every activity at once.
  'new-instance-example': () => ({ definitions: [{ workflow: exampleWorkflow(), instances: [Q1_R1] }], current: [] }),

  'unchanged': () => {
    const w = smallWorkflow('small', 2);
    return { definitions: [{ workflow: w, instances: [Q1_R1, Q1_R2] }], current: [storedRows(w, Q1_R1), storedRows(w, Q1_R2, 100)] };
  },

  // Edits that lose nothing: add, update (role, order, required, description, risk, metadata), delete NOT_STARTED.
  'edits': () => {
    const before = smallWorkflow('small', 2);
    const after = smallWorkflow('small', 2, (p) => {
      if (p.name === 'planning') {
        return {
          ...p, riskLevel: 'high', slaHours: 24, metadata: { owner: 'planning-team' },
          activities: [
            p.activities[0]!,
            { ...p.activities[2]!, order: 2, role: 'test_executive', description: 'Second, now first' },
            { ...p.activities[1]!, order: 3, required: false },
            { name: 'new_review', type: 'REVIEW', order: 4, role: 'test_executive', required: true, description: null },
            { ...p.activities[3]!, order: 5 },
          ],
        };
      }
      if (p.name === 'scoping') return { ...p, activities: p.activities.filter((a) => a.name !== 'task_2').map((a, i) => ({ ...a, order: i + 1 })) };
      return p;
    });
    return { definitions: [{ workflow: after, instances: [Q1_R1] }], current: [storedRows(before, Q1_R1)] };
  },

  // Losing progress is refused, naming the rows; the safe changes around them still plan.
  'refusals': () => {
    const before = smallWorkflow('small', 2);
    const after = smallWorkflow('small', 2, (p) => {
      if (p.name === 'planning') return { ...p, activities: p.activities.filter((a) => a.name !== 'task_1') };
      if (p.name === 'scoping') return { ...p, activities: p.activities.map((a) => (a.name === 'task_1' ? { ...a, type: 'REVIEW' } : a.name === 'task_2' ? { ...a, type: 'CUSTOM' } : a)) };
      return p;
    });
    let stored = storedRows(before, Q1_R1);
    stored = editPhase(stored, 'planning', (p) => setStatus({ ...p, status: 'IN_PROGRESS' }, 'task_1', 'IN_PROGRESS'));
    stored = editPhase(stored, 'scoping', (p) => setStatus(p, 'task_1', 'COMPLETED'));
    const other = { ...storedRows(before, Q1_R2, 500), workflow: 'another-workflow' };
    return { definitions: [{ workflow: after, instances: [Q1_R1, Q1_R2] }], current: [stored, other] };
  },

  // Stored phases the definition no longer has (rows written by hand or a legacy import):
  // deleted with their activities when untouched, refused when started.
  'extra-phases': () => {
    const full = smallWorkflow('small', 1);
    const fewer = { ...full, phases: full.phases.filter((p) => p.name !== 'observation_mgmt' && p.name !== 'test_report') };
    let stored = storedRows(full, Q1_R1);
    stored = editPhase(stored, 'observation_mgmt', (p) => setStatus(p, 'task_1', 'BLOCKED'));
    return { definitions: [{ workflow: fewer, instances: [Q1_R1] }], current: [stored] };
  },

  // An instance row without phases (interrupted by hand): the missing rows are created.
  'instance-without-phases': () => {
    const w = smallWorkflow('small', 1);
    const stored = storedRows(w, Q1_R1);
    return { definitions: [{ workflow: w, instances: [Q1_R1] }], current: [{ ...stored, phases: stored.phases.slice(0, 7) }] };
  },

  // Names with quotes and SQL are data, planned verbatim.
  'quoted-names': () => {
    const w = smallWorkflow(`o'brien"; DROP TABLE workflow_phases; --`, 1, (p) =>
      p.name === 'planning' ? { ...p, activities: p.activities.map((a) => (a.type === 'TASK' ? { ...a, name: `it's "quoted"; DELETE FROM users` } : a)) } : p,
    );
    return { definitions: [{ workflow: w, instances: [{ cycleId: 7, reportId: 9, cycle: `Q'1`, report: `R"1` }] }], current: [] };
  },
};

for (const [name, build] of Object.entries(CASES)) {
  void test(`plan golden: ${name}`, () => {
    const { definitions, current } = build();
    const actual = `${JSON.stringify(planToJson(plan(definitions, current)), null, 2)}\n`;
    const path = join(__dirname, 'golden', `${name}.json`);
    if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
    assert.ok(existsSync(path), `missing ${path} (run with UPDATE_GOLDEN=1 to create it)`);
    assert.equal(actual, readFileSync(path, 'utf8'), `plan for '${name}' differs from ${path} (UPDATE_GOLDEN=1 to accept)`);
  });
}

void test('plan is pure: the same input gives the same plan, and inputs are not modified', () => {
  const w = smallWorkflow('small', 2);
  const stored = storedRows(w, Q1_R1);
  const snapshot = JSON.stringify(stored);
  const a = plan([{ workflow: w, instances: [Q1_R1] }], [stored]);
  const b = plan([{ workflow: w, instances: [Q1_R1] }], [stored]);
  assert.deepEqual(a, b);
  assert.equal(JSON.stringify(stored), snapshot);
  assert.deepEqual(a.summary, { create: 0, update: 0, delete: 0, refused: 0 });
});
