/**
 * The client's words, without an editor: tree descriptions, accessibility labels, context
 * values, tooltips, the Explain / History / Sync preview documents, the status bar text, the
 * password handling of the database URL, the notifications' events, and the starter
 * definition file (checked by the built `phasectl validate`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { PlanResult } from '../../schemas/lsp-protocol';
import { splitPassword, withoutPassword } from '../../client/format/database-url';
import { explainMarkdown, fieldChanges, historyMarkdown, planMarkdown, planSummary } from '../../client/format/documents';
import {
  activityDescription,
  activityTargets,
  allowedActions,
  contextValue,
  cycleDescription,
  instanceDescription,
  md,
  nextAction,
  nextTransitionMarkdown,
  phaseAccessibility,
  phaseDescription,
  phaseTooltip,
  totalsStatus,
} from '../../client/format/node-text';
import { statusBarText } from '../../client/format/status-bar-text';
import { definitionTemplate, workflowName } from '../../client/format/template';
import { longTime, relativeTime, shortDuration } from '../../client/format/time';
import { newEvents } from '../../client/live/events';
import { activity, choice, instance, phase } from './fixtures';

const NOW = Date.parse('2026-12-01T12:00:00Z');

describe('tree words', () => {
  test('a phase says its status, progress, risk and how late it is', () => {
    const p = phase('planning', { status: 'IN_PROGRESS', progress: { done: 3, total: 5 }, riskLevel: 'high', overdue: true, slaDue: '2026-12-01T08:00:00Z' });
    assert.equal(phaseDescription(p, NOW), 'in progress · 3/5 · high risk · overdue 4 h');
    assert.equal(phaseAccessibility(p, NOW), 'Phase 1 planning: in progress, 3 of 5 required activities done, high risk, overdue 4 h');
    assert.equal(phaseDescription(phase('scoping'), NOW), 'not started · 0/3');
  });

  test('an activity says who and when, or why it waits', () => {
    assert.equal(activityDescription(activity('load', { status: 'COMPLETED', completed: { at: '2026-11-29T12:00:00Z', by: 'tess@bank.example' } }), NOW), 'completed · tess@bank.example · 2 d ago');
    assert.equal(activityDescription(activity('load', { status: 'IN_PROGRESS', started: { at: '2026-12-01T09:00:00Z', by: 'al' } }), NOW), 'in progress · al · since 3 h');
    assert.equal(activityDescription(activity('load', { status: 'BLOCKED', blockedReason: 'no extract', started: { at: '2026-12-01T11:30:00Z', by: null } }), NOW), 'blocked: no extract · since 30 min');
    assert.equal(activityDescription(activity('extra', { required: false }), NOW), 'not started · tester · optional');
  });

  test('instances and cycles say their totals, worst first', () => {
    assert.equal(instanceDescription(instance([], { done: 4, inProgress: 1, blocked: 1, current: 'sample_selection' })), 'blocked · 4/9 phases · sample_selection · 1 blocked');
    assert.equal(instanceDescription(instance([], { done: 9, current: null })), 'completed · 9/9 phases');
  });

  test("an instance's icon agrees with its words, also between phases", () => {
    const cases: [Partial<Parameters<typeof instance>[1]>, string, string][] = [
      [{ done: 0, inProgress: 0, blocked: 0 }, 'not started', 'NOT_STARTED'],
      [{ done: 1, inProgress: 0, blocked: 0, current: 'scoping' }, 'in progress', 'IN_PROGRESS'],
      [{ done: 1, inProgress: 1, blocked: 0 }, 'in progress', 'IN_PROGRESS'],
      [{ done: 4, inProgress: 1, blocked: 1 }, 'blocked', 'BLOCKED'],
      [{ done: 9, inProgress: 0, blocked: 0, current: null }, 'completed', 'COMPLETED'],
    ];
    for (const [over, words, icon] of cases) {
      const s = instance([], over);
      assert.equal(instanceDescription(s).split(' · ')[0], words);
      assert.equal(totalsStatus(s), icon, `${words}: ${JSON.stringify(over)}`);
    }
    assert.equal(totalsStatus({ blocked: 0, overdue: 2, inProgress: 1 }), 'OVERDUE');
    assert.equal(cycleDescription({ cycleId: 1, cycle: '2026-Q4', instances: 3, inProgress: 2, blocked: 0, overdue: 1 }), '3 reports · 2 in progress · 1 overdue');
  });

  test('context values carry the status and exactly the allowed actions', () => {
    const allowed = { user: { id: 1, name: 'tess', role: 'tester', source: 'setting' as const }, transitions: [choice({ action: 'complete', verdict: 'allowed' }), choice({ action: 'skip', verdict: 'refused' }), choice({ kind: 'activity', activity: 'load', action: 'block', verdict: 'allowed' })] };
    assert.deepEqual(allowedActions(allowed, 'planning', null), ['complete']);
    assert.equal(contextValue('phase', 'IN_PROGRESS', allowedActions(allowed, 'planning', null)), 'phase:IN_PROGRESS:can-complete');
    assert.equal(contextValue('activity', 'IN_PROGRESS', allowedActions(allowed, 'planning', 'load')), 'activity:IN_PROGRESS:can-block');
    assert.deepEqual(allowedActions(undefined, 'planning', null), [], 'no answer from the server: no transition is offered');
    // The menus' when clauses (package.json) match these shapes.
    assert.match('activity:COMPLETED:can-request-revision', /^activity:.*:can-request-revision\b/);
    assert.doesNotMatch('phase:NOT_STARTED:can-skip', /^phase:.*:can-start\b/);
  });

  test('activity pickers list the work, and a START or COMPLETE marker only where the server lists it', () => {
    const user = { id: 1, name: 'tess', role: 'tester', source: 'setting' as const };
    const planning = phase('planning', {
      status: 'IN_PROGRESS',
      activities: [activity('start_planning', { type: 'START' }), activity('load'), activity('review', { type: 'REVIEW', status: 'COMPLETED' }), activity('complete_planning', { type: 'COMPLETE' })],
    });
    const names = (allowed: { transitions: ReturnType<typeof choice>[] }, action: string) => activityTargets({ user, ...allowed }, planning, action).map((a) => a.name);
    const work = [choice({ kind: 'activity', activity: 'load', action: 'start', verdict: 'allowed' }), choice({ kind: 'activity', activity: 'review', action: 'start', verdict: 'refused' })];
    // Refused work stays listed (with its reason); markers the server does not list are left out.
    assert.deepEqual(names({ transitions: work }, 'start'), ['load', 'review']);
    assert.deepEqual(names({ transitions: work }, 'complete'), ['load', 'review']);
    // An instance written before markers: its START left open, and completing it offered.
    const open = [...work, choice({ kind: 'activity', activity: 'start_planning', action: 'complete', verdict: 'allowed' })];
    assert.deepEqual(names({ transitions: open }, 'complete'), ['start_planning', 'load', 'review']);
    assert.deepEqual(names({ transitions: open }, 'start'), ['load', 'review']);
  });

  test('the next transition of a status, and its conditions marked ✔ / ✘', () => {
    assert.equal(nextAction('phase', 'COMPLETED'), 'reopen');
    assert.equal(nextAction('activity', 'REVISION_REQUESTED'), 'start');
    assert.equal(nextAction('phase', 'SKIPPED'), undefined);
    const text = nextTransitionMarkdown(choice());
    assert.match(text, /^\*\*Next: complete phase `planning`\*\* — not yet/);
    assert.match(text, /^- ✔ phase planning is IN_PROGRESS$/m);
    assert.match(text, /^- ✘ planning: required activity `load_attributes` is BLOCKED/m);
  });

  test('a phase tooltip has dates and the SLA due time', () => {
    const p = phase('planning', { status: 'IN_PROGRESS', started: { at: '2026-11-28T08:00:00Z', by: 'tess' }, slaDue: '2026-12-01T08:00:00Z', overdue: true });
    const text = phaseTooltip(p, instance([p]), NOW);
    assert.match(text, /Started .* by tess/);
    assert.match(text, /SLA 72 h, due .* — \*\*overdue 4 h\*\*/);
  });

  test('Markdown escaping keeps code spans and underscores, breaks emphasis, links, HTML and table cells', () => {
    assert.equal(md('start_planning is `BLOCKED`'), 'start_planning is `BLOCKED`');
    assert.equal(md('*a* [b](c) <d> e|f'), '\\*a\\* \\[b\\](c) \\<d\\> e\\|f');
  });
});

describe('documents', () => {
  const subject = { cycle: '2026-Q4', report: 'FR-Y-14Q', phase: 'planning' };
  const user = { id: null, name: '', role: null, source: 'none' as const, problem: 'no user named x' };

  test('Explain: allowed first, then refused, then already so; every condition; nothing written', () => {
    const text = explainMarkdown(subject, {
      user,
      explanations: [choice({ action: 'start', title: 'start phase `planning`', verdict: 'unchanged' }), choice(), choice({ action: 'reopen', title: 'reopen phase `planning`', verdict: 'allowed', needsReason: true })],
    });
    const order = ['## reopen', '## complete', '## start'].map((h) => text.indexOf(h));
    assert.deepEqual([...order].sort((a, b) => a - b), order, 'allowed, refused, unchanged');
    assert.ok(order.every((i) => i > 0));
    assert.match(text, /^# Explain: 2026-Q4 · FR-Y-14Q › planning$/m);
    assert.match(text, /role conditions are not checked/);
    assert.match(text, /Nothing was written/);
  });

  test('History: one row per change, a reason with a pipe stays in its cell', () => {
    const text = historyMarkdown(subject, [{ id: 1, at: '2026-12-01T09:00:00Z', entity: 'activity', phase: 'planning', activity: 'load', from: 'IN_PROGRESS', to: 'BLOCKED', actor: 'tess', reason: 'waiting | CDO', source: 'vscode' }]);
    const row = text.split('\n').find((l) => l.includes('BLOCKED') || l.includes('blocked'));
    assert.ok(row, text);
    assert.equal(row.split(/(?<!\\)\|/).length, 9, `seven cells: ${row}`);
    assert.match(row, /\*\*blocked\*\* \| tess \| waiting \\\| CDO \| vscode \|$/);
  });

  const plan: PlanResult = {
    instances: [
      { cycleId: 1, cycle: '2026-Q4', reportId: 3, report: 'FR-2052a', workflow: 'w', changes: [{ action: 'create', entity: 'activity', phase: 'scoping', activity: 'check_sources' }], refused: [] },
      {
        cycleId: 1,
        cycle: '2026-Q4',
        reportId: 2,
        report: 'FR-Y-14Q',
        workflow: 'w',
        changes: [
          { action: 'update', entity: 'phase', phase: 'planning', activity: null, fields: { phase_metadata: { from: { definition: { sla_hours: 72, title: 'T' } }, to: { definition: { sla_hours: 96, title: 'T' } } } } },
          { action: 'delete', entity: 'activity', phase: 'planning', activity: 'review_planning' },
        ],
        refused: [{ reason: 'progress', entity: 'activity', phase: 'planning', activity: 'load_attributes', status: 'BLOCKED', message: "activity 'load_attributes' is BLOCKED: removing it would lose its progress" }],
      },
    ],
    summary: { create: 1, update: 1, delete: 1, refused: 1 },
    unchanged: [],
    unknown: [],
    skipped: [{ uri: 'file:///w/broken.phases.yaml', errors: 2 }],
    files: ['file:///w/valid.phases.yaml'],
  };

  test('Sync preview: refusals and deletions stand out and come first; only the fields that differ', () => {
    const text = planMarkdown(plan, { fileName: (u) => u.split('/').pop() ?? u });
    assert.match(text, /Nothing has been written/);
    assert.equal(planSummary(plan), '1 to create · 1 to update · ⚠ 1 to delete · ✘ 1 refused');
    assert.ok(text.indexOf('FR-Y-14Q') < text.indexOf('FR-2052a'), 'the instance with a refusal comes first');
    assert.match(text, /^### ✘ Refused \(1\): would lose progress$/m);
    assert.match(text, /^### ⚠ Delete \(1\)$/m);
    assert.match(text, /phase planning: phase_metadata\.definition\.sla_hours `72` → `96`$/m);
    assert.doesNotMatch(text, /title/, 'unchanged fields are left out');
    assert.match(text, /broken\.phases\.yaml: 2 errors \(fix them first\)/);
    assert.deepEqual(fieldChanges('x', [1], [1, 2]), ['x `[1]` → `[1,2]`']);
  });

  test('a sync report says whether it was written', () => {
    assert.match(planMarkdown(plan, { applied: false }), /\*\*Nothing was written\.\*\*/);
    assert.match(planMarkdown(plan, { applied: true }), /\*\*Written\*\* in one transaction/);
  });
});

describe('the database URL and its password', () => {
  test('a password typed into the URL is split off', () => {
    assert.deepEqual(splitPassword('postgres://alice:s3cr%40t@db.example.com:5432/testing'), { url: 'postgres://alice@db.example.com:5432/testing', password: 's3cr@t' });
    assert.deepEqual(splitPassword('postgres://alice@db:5432/t'), { url: 'postgres://alice@db:5432/t', password: null });
    assert.deepEqual(splitPassword('embedded:.workflow-phases'), { url: 'embedded:.workflow-phases', password: null });
  });

  test('settings on their way to the server never carry a password, whichever section is asked', () => {
    const url = 'postgres://alice:pw@db:5432/t';
    assert.deepEqual(withoutPassword('workflowPhases', { database: { url }, user: 'alice' }), { database: { url: 'postgres://alice@db:5432/t' }, user: 'alice' });
    assert.deepEqual(withoutPassword('workflowPhases.database', { url }), { url: 'postgres://alice@db:5432/t' });
    assert.equal(withoutPassword('workflowPhases.database.url', url), 'postgres://alice@db:5432/t');
    assert.equal(JSON.stringify(withoutPassword('workflowPhases', { database: { url } })).includes('pw'), false);
  });
});

describe('the status bar', () => {
  const status = { state: 'connected' as const, kind: 'postgres' as const, label: 'db:5432', description: 'postgres postgres://alice@db:5432/t', user: { id: 7, name: 'tess@bank.example', role: 'tester', source: 'git' as const } };

  test('it names the database and the acting user; a disconnection says why', () => {
    assert.equal(statusBarText(status, true).text, '$(database) db:5432 · tess@bank.example');
    const down = statusBarText({ ...status, state: 'disconnected', reason: 'connection refused', retryInMs: 4000 }, true);
    assert.equal(down.warning, true);
    assert.match(down.tooltip, /connection refused/);
    assert.match(down.tooltip, /Next attempt in 4 s/);
    assert.match(statusBarText(undefined, false).text, /no database/);
  });
});

describe('notifications', () => {
  test('a phase that became COMPLETED and an activity that became BLOCKED are told; nothing else', () => {
    const before = instance([phase('planning', { status: 'IN_PROGRESS', activities: [activity('load', { status: 'IN_PROGRESS' })] })]);
    const after = instance([phase('planning', { status: 'COMPLETED', completed: { at: '2026-12-01T12:00:00Z', by: 'tess' }, activities: [activity('load', { status: 'BLOCKED', blockedReason: 'no data' })] })]);
    const both = { phaseCompleted: true, activityBlocked: true };
    assert.deepEqual(newEvents(before, after, undefined, both).map((e) => e.text), ['2026-Q4 · FR-Y-14Q: phase planning completed by tess.', '2026-Q4 · FR-Y-14Q: planning › load blocked: no data.']);
    assert.deepEqual(newEvents(after, after, undefined, both), [], 'no change, nothing told');
    assert.deepEqual(newEvents(before, after, undefined, { phaseCompleted: false, activityBlocked: false }), []);
    // Never seen before: the rows the feed names are told.
    const change = { cycleId: 1, reportId: 2, phaseIds: [1], activityIds: [], all: false };
    assert.deepEqual(newEvents(undefined, after, change, both).map((e) => e.ref.activity ?? e.ref.phase), ['planning']);
  });
});

describe('times', () => {
  test('durations and relative times in words', () => {
    assert.equal(shortDuration(45 * 60_000), '45 min');
    assert.equal(shortDuration(30 * 3_600_000), '30 h');
    assert.equal(shortDuration(72 * 3_600_000), '3 d');
    assert.equal(relativeTime('2026-12-01T11:59:30Z', NOW), 'just now');
    assert.equal(relativeTime('2026-12-03T12:00:00Z', NOW), 'in 2 d');
    assert.match(longTime('2026-12-01T09:30:00Z'), /^2026-12-0[12] \d\d:\d\d UTC/);
  });
});

describe('the starter definition file', () => {
  test('it has all 9 phases and passes phasectl validate with no error or warning', () => {
    const text = definitionTemplate(workflowName('Quarterly Testing!'));
    assert.match(text, /^workflow: quarterly-testing$/m);
    assert.equal(text.match(/^ {2}- name: /gm)?.length, 9);
    const dir = mkdtempSync(join(tmpdir(), 'template-'));
    try {
      writeFileSync(join(dir, 'quarterly-testing.phases.yaml'), text);
      const run = spawnSync(process.execPath, [join(__dirname, '..', '..', 'dist', 'phasectl.js'), 'validate', dir, '--format', 'json'], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.deepEqual((JSON.parse(run.stdout) as { diagnostics: unknown[] }).diagnostics, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
