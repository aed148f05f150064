/** A resolved 9-phase workflow for the transition tests: typical activities, one optional, one skippable phase. */
import { PHASE_NAMES, STANDARD_PHASES } from '../../server/core/index';
import type { ActivityType, PhaseName, ResolvedActivity, ResolvedPhase, ResolvedWorkflow, Role } from '../../server/core/index';

type Spec = readonly [name: string, type: ActivityType, role?: Role | null, required?: boolean];

function activities(phase: string, specs: readonly Spec[]): ResolvedActivity[] {
  const all: Spec[] = [[`start_${phase}`, 'START'], ...specs, [`complete_${phase}`, 'COMPLETE']];
  return all.map(([name, type, role, required], i) => ({ name, type, order: i + 1, role: role ?? null, required: required ?? true, description: null }));
}

const SPECS: Readonly<Record<PhaseName, readonly Spec[]>> = {
  planning: [['load_attributes', 'TASK', 'tester'], ['add_data_source', 'TASK', null, false], ['review_attributes', 'REVIEW', 'tester'], ['approve_attributes', 'APPROVAL', 'report_owner']],
  scoping: [['rate_risk', 'TASK', 'tester'], ['owner_approval', 'APPROVAL', 'report_owner']],
  data_request: [['send_request', 'TASK', 'tester']],
  data_profiling: [['profile_data', 'TASK', 'tester']],
  sample_selection: [['select_samples', 'TASK', 'tester'], ['approve_samples', 'APPROVAL', 'report_owner']],
  request_info: [['collect_evidence', 'TASK', 'data_owner']],
  test_execution: [['execute_tests', 'TASK', 'tester']],
  observation_mgmt: [['raise_observations', 'TASK', 'tester', false]],
  test_report: [['write_report', 'TASK', 'tester'], ['sign_off', 'APPROVAL', 'report_executive']],
};

/** The test workflow: each phase depends on the previous one; `data_profiling` is skippable. */
export const WORKFLOW: ResolvedWorkflow = {
  name: 'regulatory-testing',
  appliesTo: [],
  phases: STANDARD_PHASES.map((p, i): ResolvedPhase => ({
    name: p.name,
    order: p.order,
    title: p.title,
    riskLevel: 'medium',
    slaHours: null,
    dependsOn: i === 0 ? [] : [PHASE_NAMES[i - 1]!],
    skippable: p.name === 'data_profiling',
    metadata: {},
    activities: activities(p.name, SPECS[p.name]),
  })),
};

/** Actors with every role, ids 1..7, roles checked. */
export const ACTORS = {
  tester: { id: 1, name: 'tess@example.com', role: 'tester', rolesChecked: true },
  executive: { id: 2, name: 'ed@example.com', role: 'test_executive', rolesChecked: true },
  owner: { id: 3, name: 'olga@example.com', role: 'report_owner', rolesChecked: true },
  reportExecutive: { id: 4, name: 'rex@example.com', role: 'report_executive', rolesChecked: true },
  dataOwner: { id: 5, name: 'dora@example.com', role: 'data_owner', rolesChecked: true },
  admin: { id: 6, name: 'ada@example.com', role: 'admin', rolesChecked: true },
  nobody: { id: null, name: 'nobody', role: null, rolesChecked: true },
} as const;
