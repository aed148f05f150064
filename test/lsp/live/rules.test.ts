/**
 * The live rules and the phase CodeLens through the real server, on PostgreSQL and the
 * embedded database: unknown-cycle on an `applies_to` cycle no row names, cleared once init
 * creates it; progress-loss appearing when an activity the open document dropped is
 * started elsewhere (the feed), clearing when the document has it again (an edit); lens
 * titles following the database; everything live gone when the database is.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { InitRequest, InstancesRequest, REVEAL_PHASE_COMMAND, TransitionRequest, type InitResult, type InstancesResult } from '../../../schemas/lsp-protocol';
import { describeEachBackend } from '../../db/helpers/backends';
import { messageOf, positionOf } from '../client';
import { byName, connected, seeded, startLive, urlOf, workspace } from './helpers';

const LIVE = new Set(['progress-loss', 'unknown-cycle', 'unknown-report']);
const live = (ds: Diagnostic[]) => ds.filter((d) => LIVE.has(String(d.code))).map((d) => `${d.range.start.line}:${String(d.code)}`);

describeEachBackend('live rules and CodeLens', (backend) => {
  void test('unknown-cycle and progress-loss appear and clear; lenses count each phase', { timeout: 180_000 }, async () => {
    const ws = workspace();
    const target = await backend.freshTarget({ migrated: true });
    await seeded(target);
    const client = await startLive(ws.root, { url: urlOf(target), user: 'tess@example.com' });
    await connected(client);

    const LOAD = '      - {name: load_attributes, type: TASK, role: tester}\n';
    const withCycle = ws.text.replace('    reports: [FR-Y-14Q, FR-2052a]\n', '    reports: [FR-Y-14Q, FR-2052a]\n  - cycle: 2027-Q1\n    reports: [FR-Y-14Q]\n')
      .replace('      - {name: add_data_source, type: TASK, role: tester, required: false}\n', '');
    const planningLine = positionOf(withCycle, '- name: planning').line;
    const cycleLine = positionOf(withCycle, '2027-Q1').line;

    // Nothing started, one unknown cycle: unknown-cycle only.
    const firstLive = client.nextDiagnostics(ws.uri, (ds) => live(ds).length > 0);
    await client.open(ws.uri, withCycle);
    const first = await firstLive;
    assert.deepEqual(live(first), [`${cycleLine}:unknown-cycle`]);
    assert.match(messageOf(first.find((d) => d.code === 'unknown-cycle')!), /^Test cycle '2027-Q1' does not exist in the database/);
    assert.equal(first.find((d) => d.code === 'unknown-cycle')!.severity, 2);

    // init creates the cycle (a standalone database): the warning clears.
    const cleared = client.nextDiagnostics(ws.uri, (ds) => live(ds).length === 0);
    const init = await client.request<InitResult>(InitRequest.method, { uri: ws.uri, createMissing: true });
    assert.equal(init.applied, true);
    assert.deepEqual(init.created, [{ kind: 'cycle', name: '2027-Q1' }]);
    await cleared;

    // The document drops load_attributes; nobody started it yet. Then someone does: progress-loss.
    const without = withCycle.replace(LOAD, '');
    await client.change(ws.uri, [{ text: without }]);
    const fr = byName(await client.request<InstancesResult>(InstancesRequest.method, {})).get('2026-Q4/FR-Y-14Q')!;
    const appears = client.nextDiagnostics(ws.uri, (ds) => live(ds).length > 0);
    // Starting the START activity starts the phase and completes the marker (issue 12); then the work.
    for (const [activity, action] of [['start_planning', 'start'], ['load_attributes', 'start']] as const) {
      const r = await client.request<{ verdict: string }>(TransitionRequest.method, { node: { cycleId: fr.cycleId, reportId: fr.reportId, phase: 'planning', activity }, action });
      assert.equal(r.verdict, 'allowed');
    }
    const loss = await appears;
    assert.deepEqual(live(loss), [`${planningLine}:progress-loss`]);
    assert.equal(
      messageOf(loss.find((d) => d.code === 'progress-loss')!),
      "1 instance has `load_attributes` IN_PROGRESS: 2026-Q4/FR-Y-14Q. Sync will refuse to remove it from phase 'planning': that would lose their progress.",
    );

    // The document has it again: gone.
    const back = client.nextDiagnostics(ws.uri, (ds) => live(ds).length === 0);
    await client.change(ws.uri, [{ text: withCycle }]);
    await back;

    const lenses = await client.codeLenses(ws.uri);
    assert.equal(lenses.length, 9);
    assert.deepEqual(lenses[0]!.range.start, { line: planningLine, character: positionOf(withCycle, 'planning', 0, withCycle.indexOf('- name: planning')).character });
    assert.deepEqual(lenses[0]!.command, { title: '1 in progress · 0 blocked · 0 completed', command: REVEAL_PHASE_COMMAND, arguments: [{ workflow: 'regulatory-testing', phase: 'planning', uri: ws.uri }] });
    assert.deepEqual(lenses.slice(1).map((l) => l.command!.title), Array(8).fill('0 in progress · 0 blocked · 0 completed'));

    const refreshes = client.codeLensRefreshes;
    const blocked = await client.request<{ verdict: string }>(TransitionRequest.method, { node: { cycleId: fr.cycleId, reportId: fr.reportId, phase: 'planning', activity: 'load_attributes' }, action: 'block', reason: 'waiting for the data owner' });
    assert.equal(blocked.verdict, 'allowed');
    await client.waitFor('workspace/codeLens/refresh', () => client.codeLensRefreshes > refreshes);
    assert.equal((await client.codeLenses(ws.uri))[0]!.command!.title, '0 in progress · 1 blocked · 0 completed');

    // The database goes (no database configured): live warnings and lenses go with it.
    await client.change(ws.uri, [{ text: without }]);
    await client.nextDiagnostics(ws.uri, (ds) => live(ds).length > 0);
    const gone = client.nextDiagnostics(ws.uri, (ds) => live(ds).length === 0);
    await client.setConfiguration('workflowPhases', { database: { url: '' }, user: '' });
    await gone;
    await client.databaseStatus((s) => s.state === 'none');
    assert.deepEqual(await client.codeLenses(ws.uri), []);
  });
});
