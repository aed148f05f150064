/** Resolved workflows and stored rows for tests, built directly or from files through the core. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, resolveWorkflow, PHASE_NAMES, STANDARD_PHASES } from '../../../server/core/index';
import type { ResolvedActivity, ResolvedPhase, ResolvedWorkflow } from '../../../server/core/index';
import type { CurrentInstance, InstanceRef } from '../../../server/db/sync/types';
import { activityRow, phaseRow } from '../../../server/db/sync/plan';

/** The example workflow of the repository, resolved by the core. */
export function exampleWorkflow(): ResolvedWorkflow {
  const file = join(__dirname, '..', '..', '..', 'examples', 'regulatory-testing.phases.yaml');
  const analysis = analyzeText(file, readFileSync(file, 'utf8'));
  const resolved = resolveWorkflow(analysis.definition, analysis.problems);
  if (!resolved.value) throw new Error(`example does not resolve: ${JSON.stringify(analysis.problems)}`);
  return resolved.value;
}

/** A small valid workflow: every phase START, `tasks` TASK activities, COMPLETE. */
export function smallWorkflow(name: string, tasks = 1, edit?: (phase: ResolvedPhase) => ResolvedPhase): ResolvedWorkflow {
  const phases = STANDARD_PHASES.map((p, i): ResolvedPhase => {
    const activities: ResolvedActivity[] = [
      { name: `start_${p.name}`, type: 'START', order: 1, role: null, required: true, description: null },
      ...Array.from({ length: tasks }, (_, t): ResolvedActivity => ({ name: `task_${t + 1}`, type: 'TASK', order: t + 2, role: 'tester', required: true, description: null })),
      { name: `complete_${p.name}`, type: 'COMPLETE', order: tasks + 2, role: null, required: true, description: null },
    ];
    const phase: ResolvedPhase = {
      name: p.name, order: p.order, title: p.title, riskLevel: null, slaHours: null,
      dependsOn: i === 0 ? [] : [PHASE_NAMES[i - 1]!], skippable: false, metadata: {}, activities,
    };
    return edit ? edit(phase) : phase;
  });
  return { name, phases, appliesTo: [] };
}

/** Stored rows exactly matching `workflow` for `instance`, ids counted from `firstId`. */
export function storedRows(workflow: ResolvedWorkflow, instance: InstanceRef, firstId = 1): CurrentInstance {
  let id = firstId;
  return {
    cycleId: instance.cycleId,
    reportId: instance.reportId,
    workflow: workflow.name,
    phases: workflow.phases.map((p) => {
      const row = phaseRow(p);
      return {
        phaseId: id++, name: row.name, order: row.order, status: 'NOT_STARTED', riskLevel: row.riskLevel, definition: row.definition,
        activities: p.activities.map((a) => ({ activityId: id++, status: 'NOT_STARTED', ...activityRow(a) })),
      };
    }),
  };
}
