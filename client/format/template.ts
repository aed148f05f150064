/**
 * The starter definition file of "New Definition File from Template": all 9 phases in
 * standard order, each with START, a task, a review, an approval by another role, and
 * COMPLETE, so that it validates cleanly and syncs as it is. Pure: unit-tested against
 * the validator.
 */
import { STANDARD_PHASES } from '../../server/core/model';

/** The text of a new definition file for workflow `workflow`. */
export function definitionTemplate(workflow: string): string {
  const lines = [
    '# A Workflow Phases definition: the 9 phases of regulatory-report testing.',
    '# Rename the activities, set roles, risk and SLAs; hover any key for help.',
    'version: 1',
    `workflow: ${workflow}`,
    'phases:',
  ];
  for (const phase of STANDARD_PHASES) {
    lines.push(
      `  - name: ${phase.name}`,
      `    title: ${phase.title}`,
      '    risk_level: medium',
      '    sla_hours: 72',
      '    activities:',
      `      - {name: start_${phase.name}, type: START}`,
      `      - {name: do_${phase.name}, type: TASK, role: tester}`,
      `      - {name: review_${phase.name}, type: REVIEW, role: test_executive}`,
      `      - {name: approve_${phase.name}, type: APPROVAL, role: report_owner}`,
      `      - {name: complete_${phase.name}, type: COMPLETE}`,
    );
  }
  lines.push(
    '# The (test cycle, report) pairs that follow this workflow; Create Instances makes them.',
    '# applies_to:',
    '#   - cycle: 2026-Q4',
    '#     reports: [FR-Y-14Q]',
    '',
  );
  return lines.join('\n');
}

/** A workflow name from free text: lower-case, words joined by dashes. */
export function workflowName(text: string): string {
  return text.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}
