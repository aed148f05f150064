/**
 * Completion, hover, outline, folding, definition and references through the built
 * server over stdio, as an editor would ask for them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InsertTextFormat, type CompletionItem, type MarkupContent } from 'vscode-languageserver-protocol';
import { ruleById } from '../../server/core/index';
import { applyTextEdits, LspClient, messageOf, positionOf } from './client';

const root = join(__dirname, '..', '..');
const example = readFileSync(join(root, 'examples', 'regulatory-testing.phases.yaml'), 'utf8');
const EXAMPLE = 'file:///virtual/features/example.phases.yaml';

let client: LspClient;
let counter = 0;

/** Opens `text` with a `|` cursor marker and returns the completion labels there (and the items). */
async function completeAt(marked: string): Promise<{ labels: string[]; items: CompletionItem[]; text: string }> {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const uri = `file:///virtual/features/completion-${++counter}.phases.yaml`;
  await client.open(uri, text);
  const items = await client.completion(uri, positionOf(marked, '|'));
  const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  return { labels: sorted.map((i) => i.label), items: sorted, text };
}

const PHASE_HEAD = `version: 1
workflow: w
phases:
  - name: planning
    activities:
      - {name: start_planning, type: START}
      - {name: complete_planning, type: COMPLETE}
`;

before(async () => {
  client = await LspClient.start();
  await client.open(EXAMPLE, example);
});
after(async () => {
  assert.equal(await client.stop(), 0);
});

describe('completion', () => {
  test('top-level keys not yet written', async () => {
    const { labels } = await completeAt('version: 1\nworkflow: w\n|');
    assert.deepEqual(labels, ['phases', 'applies_to']);
  });

  test('phase keys not yet written in that phase', async () => {
    const { labels, items, text } = await completeAt(`${PHASE_HEAD}    ri|\n`);
    assert.deepEqual(labels, ['order', 'title', 'risk_level', 'sla_hours', 'depends_on', 'skippable', 'metadata']);
    const risk = items.find((i) => i.label === 'risk_level')!;
    assert.ok(risk.textEdit && 'range' in risk.textEdit);
    assert.ok(applyTextEdits(text, [risk.textEdit]).endsWith('    risk_level: \n'));
  });

  test('phase names: only those not used yet, in standard order', async () => {
    const { labels, items } = await completeAt(`${PHASE_HEAD}  - name: |\n`);
    assert.deepEqual(labels, ['scoping', 'data_request', 'data_profiling', 'sample_selection', 'request_info', 'test_execution', 'observation_mgmt', 'test_report']);
    assert.equal(items[0]!.detail, '2. Scoping & Risk Assessment');
  });

  test('activity types in a flow mapping, replacing the partly typed word', async () => {
    const { labels, items, text } = await completeAt(`${PHASE_HEAD}  - name: scoping\n    activities:\n      - {name: s, type: ST|}\n`);
    assert.deepEqual(labels, ['START', 'TASK', 'REVIEW', 'APPROVAL', 'COMPLETE', 'CUSTOM']);
    const start = items.find((i) => i.label === 'START')!;
    assert.ok(start.textEdit && 'range' in start.textEdit);
    assert.match(applyTextEdits(text, [start.textEdit]), /\{name: s, type: START\}/);
  });

  test('roles and risk levels', async () => {
    const roles = await completeAt(`${PHASE_HEAD}  - name: scoping\n    activities:\n      - name: s\n        role: |\n`);
    assert.deepEqual(roles.labels, ['tester', 'test_executive', 'report_owner', 'report_executive', 'data_owner', 'data_executive', 'admin']);
    const risk = await completeAt(`${PHASE_HEAD}  - name: scoping\n    risk_level: |\n`);
    assert.deepEqual(risk.labels, ['low', 'medium', 'high']);
  });

  test('depends_on entries: earlier phases only, not those already listed', async () => {
    const flow = await completeAt(`${PHASE_HEAD}  - name: data_profiling\n    depends_on: [scoping, |]\n`);
    assert.deepEqual(flow.labels, ['planning', 'data_request']);
    const block = await completeAt(`${PHASE_HEAD}  - name: scoping\n    depends_on:\n      - |\n`);
    assert.deepEqual(block.labels, ['planning']);
  });

  test('a phase skeleton snippet with START and COMPLETE that satisfies the rules', async () => {
    const { items, text } = await completeAt(`${PHASE_HEAD}  - |\n`);
    const snippet = items.find((i) => i.label === 'phase: scoping')!;
    assert.equal(snippet.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(snippet.filterText, '- scoping', 'filtered on the text its edit replaces');
    assert.ok(snippet.textEdit && 'range' in snippet.textEdit);
    assert.ok(!items.some((i) => i.label === 'phase: planning'), 'planning is used already');
    // Expand the tab stops to their defaults, as an editor would.
    const expanded = snippet.textEdit.newText.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '');
    const result = applyTextEdits(text, [{ range: snippet.textEdit.range, newText: expanded }]);
    const uri = 'file:///virtual/features/snippet-applied.phases.yaml';
    const diagnostics = await client.open(uri, result);
    const about = diagnostics.filter((d) => messageOf(d).includes("'scoping'") || ['start-activity', 'complete-activity', 'yaml-syntax'].includes(String(d.code)));
    assert.deepEqual(about, [], result);
  });
});

describe('hover', () => {
  const hoverText = async (needle: string, delta = 0) => {
    const h = await client.hover(EXAMPLE, positionOf(example, needle, delta));
    return h ? (h.contents as MarkupContent).value : '';
  };

  test('a phase name shows its title, order and default dependency', async () => {
    const text = await hoverText('name: scoping', 8);
    assert.match(text, /Scoping & Risk Assessment/);
    assert.match(text, /Standard order: 2 of 9/);
    assert.match(text, /Depends on \(by default\): `planning`/);
  });

  test('a depends_on entry shows the phase it names', async () => {
    assert.match(await hoverText('depends_on: [data_request]', 15), /Data Request to CDOs/);
  });

  test('activity types, roles and risk levels show their meaning', async () => {
    assert.match(await hoverText('type: APPROVAL', 7), /APPROVAL.*sign-off by an approver role/);
    assert.match(await hoverText('role: tester', 7), /Performs the testing work/);
    assert.match(await hoverText('risk_level: high', 13), /High risk/);
  });

  test('a key shows what it is for', async () => {
    assert.match(await hoverText('sla_hours', 2), /Service level, in hours/);
  });

  test("a diagnostic's rule shows its id and title", async () => {
    const uri = 'file:///virtual/features/hover-problem.phases.yaml';
    const text = readFileSync(join(root, 'test', 'fixtures', 'unknown-phase', 'bad.phases.yaml'), 'utf8');
    await client.open(uri, text);
    const h = await client.hover(uri, positionOf(text, 'scopign', 2));
    assert.ok((h!.contents as MarkupContent).value.startsWith(`\`unknown-phase\` (error): ${ruleById('unknown-phase')!.title}`));
  });
});

describe('outline, folding and navigation', () => {
  test('document symbols: workflow -> phases -> activities', async () => {
    const [workflow, ...rest] = await client.symbols(EXAMPLE);
    assert.equal(rest.length, 0);
    assert.equal(workflow!.name, 'regulatory-testing');
    assert.deepEqual(workflow!.children!.map((p) => p.name), ['planning', 'scoping', 'data_request', 'data_profiling', 'sample_selection', 'request_info', 'test_execution', 'observation_mgmt', 'test_report']);
    const planning = workflow!.children![0]!;
    assert.equal(planning.detail, 'Report Planning & Attribute Definition');
    assert.deepEqual(planning.children!.map((a) => a.name), ['start_planning', 'load_attributes', 'add_data_source', 'review_attributes', 'approve_attributes', 'complete_planning']);
    assert.equal(planning.selectionRange.start.line, positionOf(example, 'name: planning').line);
  });

  test('folding ranges for phases, each phase and its activities', async () => {
    const folds = await client.folding(EXAMPLE);
    const phasesLine = positionOf(example, 'phases:').line;
    assert.ok(folds.some((f) => f.startLine === phasesLine && f.endLine >= positionOf(example, 'name: test_report').line), JSON.stringify(folds));
    const activitiesLine = positionOf(example, 'activities:').line;
    assert.ok(folds.some((f) => f.startLine === activitiesLine));
    assert.ok(folds.every((f) => f.endLine > f.startLine));
  });

  test('go to definition from a depends_on entry to the phase', async () => {
    const locations = await client.definition(EXAMPLE, positionOf(example, 'depends_on: [data_profiling', 16));
    assert.equal(locations.length, 1);
    const target = positionOf(example, 'name: data_profiling', 6);
    assert.deepEqual(locations[0]!.range, { start: target, end: { line: target.line, character: target.character + 'data_profiling'.length } });
    assert.equal(locations[0]!.uri, EXAMPLE);
  });

  test('find references of a phase: every depends_on entry, and the declaration when asked', async () => {
    const at = positionOf(example, 'name: data_request', 8);
    const refs = await client.references(EXAMPLE, at, false);
    assert.deepEqual(refs.map((r) => r.range.start.line), [positionOf(example, 'depends_on: [data_request]').line, positionOf(example, 'depends_on: [data_request]', 0, example.indexOf('name: sample_selection')).line]);
    const withDecl = await client.references(EXAMPLE, at, true);
    assert.equal(withDecl.length, 3);
    assert.equal(withDecl[0]!.range.start.line, at.line);
  });
});
