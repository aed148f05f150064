/**
 * The live database in the real extension host, on the run's own PostgreSQL database:
 * connecting with a password typed into the URL (it ends up in SecretStorage only), the
 * instances created from `applies_to`, the Phase Status tree showing the 9 phases with
 * their statuses, a transition command writing to the database (and a refused one
 * writing nothing), an UPDATE made through another connection reaching the tree (latency
 * printed, not asserted), Explain and Preview Sync documents, and the secret absent from
 * every settings and log file.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DatabaseStatusParams, InitResult, TransitionResult } from '../../../schemas/lsp-protocol';
import type { PhaseTreeNode } from '../../../client/tree/nodes';
import { extension, openWorkspaceFile, serverRunning, waitFor, workspaceFile } from './helpers';
import { PG_URL, child, children, labelOf, rootCycles, treeChange, waitForValue, withPg } from './live-helpers';

const PHASES = ['planning', 'scoping', 'data_request', 'data_profiling', 'sample_selection', 'request_info', 'test_execution', 'observation_mgmt', 'test_report'];

/** A password nobody would type: it must never be found in a settings or log file. */
const SECRET = `e2e-secret-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

describe('the live database (PostgreSQL)', function () {
  // Each step builds on the one before: stop at the first failure.
  this.bail(true);
  let instance: { cycleId: number; reportId: number };

  before(async function () {
    if (!PG_URL) {
      console.warn('SKIPPED (no PostgreSQL): the live-database suite needs the run\'s database (E2E_PG_URL).');
      this.skip();
    }
    await openWorkspaceFile('valid.phases.yaml');
    const ext = extension();
    await waitFor('the extension to activate', () => ext.isActive);
    await serverRunning(ext.exports);
  });

  it('connects with a password typed into the URL, and keeps it out of the setting', async () => {
    const typed = new URL(PG_URL!);
    typed.password = SECRET;
    const status = await vscode.commands.executeCommand<DatabaseStatusParams | undefined>('workflowPhases.connectPostgres', { url: typed.toString() });
    assert.equal(status?.state, 'connected', `connected (${status?.reason ?? 'no status'})`);
    assert.equal(status.kind, 'postgres');
    const setting = vscode.workspace.getConfiguration('workflowPhases').get<string>('database.url') ?? '';
    assert.equal(new URL(setting).password, '', 'the setting holds no password');
    assert.equal(new URL(setting).pathname, new URL(PG_URL!).pathname, 'the setting names the run\'s database');
  });

  it('creates the instances applies_to names (cycles and reports too, in its own database)', async () => {
    const result = await vscode.commands.executeCommand<InitResult | undefined>('workflowPhases.createInstances', undefined, { createMissing: true });
    assert.ok(result, 'Create Instances answered');
    assert.equal(result.applied, true);
    const created = await withPg((c) => c.query<{ n: string }>("SELECT count(*) AS n FROM workflow_phases p JOIN reports r ON r.id = p.report_id WHERE r.report_name = 'FR-Y-14Q'"));
    assert.equal(Number(created.rows[0]!.n), 9, 'all 9 phases of FR-Y-14Q are rows now');
  });

  it('shows the 9 phases of a synced instance in order, each with its status in words and an icon', async () => {
    const provider = extension().exports.phaseTree;
    const cycles = await rootCycles(provider);
    const cycle = cycles.find((c) => labelOf(c.item) === '2026-Q4');
    assert.ok(cycle, `the cycle 2026-Q4 is listed (${cycles.map((c) => labelOf(c.item)).join(', ')})`);
    assert.match(String(cycle.item.description), /2 reports/);
    const report = await child(provider, cycle.node, 'FR-Y-14Q');
    assert.match(String(report.item.description), /not started · 0\/9 phases/);
    const phases = await children(provider, report.node);
    assert.deepEqual(phases.map((p) => labelOf(p.item)), PHASES);
    for (const p of phases) {
      assert.match(String(p.item.description), /^not started/, `${labelOf(p.item)} says its status`);
      assert.match(p.item.accessibilityInformation?.label ?? '', /not started/);
      assert.ok(p.item.iconPath instanceof vscode.ThemeIcon);
    }
    // The menus offer what the server allows now: planning can start, scoping cannot yet.
    assert.match(String(phases[0]!.item.contextValue), /^phase:NOT_STARTED:.*can-start/);
    assert.doesNotMatch(String(phases[1]!.item.contextValue), /can-start/);
    const activities = await children(provider, phases[0]!.node);
    assert.deepEqual(activities.map((a) => labelOf(a.item)), ['start_planning', 'load_attributes', 'review_planning', 'approve_planning', 'complete_planning']);
    // START and COMPLETE move with their phase (issue 12): the phase row offers the start, the markers' rows offer nothing.
    assert.equal(activities[0]!.item.contextValue, 'activity:NOT_STARTED');
    assert.equal(activities[4]!.item.contextValue, 'activity:NOT_STARTED');
    const node = phases[0]!.node as PhaseTreeNode;
    instance = { cycleId: node.cycleId, reportId: node.reportId };
  });

  it('"Start Phase" on planning writes IN_PROGRESS and the tree says "in progress"', async () => {
    const result = await vscode.commands.executeCommand<TransitionResult | undefined>('workflowPhases.startPhase', { ...instance, phase: 'planning' });
    assert.equal(result?.verdict, 'allowed', `allowed (${result?.choice.unmet.join('; ') ?? 'no answer'})`);
    const row = await withPg((c) => c.query<{ status: string }>('SELECT status FROM workflow_phases WHERE cycle_id = $1 AND report_id = $2 AND phase_name = $3', [instance.cycleId, instance.reportId, 'planning']));
    assert.equal(row.rows[0]?.status, 'IN_PROGRESS');
    const provider = extension().exports.phaseTree;
    const item = provider.getTreeItem(provider.nodes.phase(instance.cycleId, instance.reportId, 'planning'));
    assert.match(String(item.description), /^in progress/);
    assert.match(String(item.contextValue), /^phase:IN_PROGRESS/);
  });

  it('a refused "Complete Phase" writes nothing and names the unmet conditions', async () => {
    const result = await vscode.commands.executeCommand<TransitionResult | undefined>('workflowPhases.completePhase', { ...instance, phase: 'planning' });
    // Refused before sending (the server's explanation) or by the server: either way nothing is written.
    if (result) {
      assert.equal(result.verdict, 'refused');
      assert.ok(result.choice.unmet.length > 0);
    }
    const row = await withPg((c) => c.query<{ status: string }>('SELECT status FROM workflow_phases WHERE cycle_id = $1 AND report_id = $2 AND phase_name = $3', [instance.cycleId, instance.reportId, 'planning']));
    assert.equal(row.rows[0]?.status, 'IN_PROGRESS');
  });

  it('an UPDATE through another connection reaches the tree (latency printed)', async () => {
    const provider = extension().exports.phaseTree;
    const node = provider.nodes.phase(instance.cycleId, instance.reportId, 'test_report');
    const before = provider.getTreeItem(node);
    assert.match(String(before.description), /^not started/);
    const changed = treeChange(provider, node);
    const sent = performance.now();
    let committed = 0;
    await withPg(async (c) => {
      await c.query("UPDATE workflow_phases SET risk_level = 'high' WHERE cycle_id = $1 AND report_id = $2 AND phase_name = 'test_report'", [instance.cycleId, instance.reportId]);
      committed = performance.now();
    });
    const arrived = await changed;
    const after = provider.getTreeItem(node);
    assert.match(String(after.description), /high risk/, 'the tree shows the new risk');
    console.log(`      live latency: UPDATE committed after ${(committed - sent).toFixed(1)} ms; the tree's change event ${(arrived - committed).toFixed(1)} ms after the commit (${(arrived - sent).toFixed(1)} ms after sending)`);
  });

  it('after the change feed\'s connection is cut, everything shown is reloaded', async () => {
    const provider = extension().exports.phaseTree;
    const reloaded = new Promise<void>((resolve) => {
      const subscription = provider.onDidChangeTreeData((changed) => {
        if (changed !== undefined) return;
        subscription.dispose();
        resolve();
      });
    });
    const cut = await withPg((c) => c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'workflow-phases change feed'"));
    assert.ok(cut.rowCount && cut.rowCount > 0, 'the feed\'s LISTEN connection was there to cut');
    await reloaded;
    // Drawn again from the database once the feed listens again.
    const report = await waitForValue(async () => {
      const cycles = await children(provider);
      const cycle = cycles.find((d) => labelOf(d.item) === '2026-Q4');
      return cycle ? (await children(provider, cycle.node)).find((d) => labelOf(d.item) === 'FR-Y-14Q') : undefined;
    }, provider);
    assert.match(String(report.item.description), /in progress/);
  });

  it('Explain opens a readable document with every condition', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('workflowPhases.explain', { ...instance, phase: 'planning' });
    assert.ok(editor, 'a document opened');
    const text = editor.document.getText();
    assert.match(text, /^# Explain: 2026-Q4 · FR-Y-14Q › planning/m);
    assert.match(text, /complete phase/i);
    assert.match(text, /✘/, 'the unmet conditions of completing planning are marked');
  });

  it('Preview Sync opens the plan: nothing to change after the instances were created', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('workflowPhases.previewSync');
    assert.ok(editor, 'a document opened');
    const text = editor.document.getText();
    assert.match(text, /^# Sync preview/m);
    assert.match(text, /Nothing has been written/);
    assert.match(text, /0 to delete/);
  });

  it('Reveal Definition opens the definition file at the phase\'s line', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('workflowPhases.revealDefinition', { ...instance, phase: 'scoping' });
    assert.ok(editor, 'an editor opened');
    assert.match(editor.document.uri.path, /valid\.phases\.yaml$/);
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /- name: scoping/);
  });

  it('Show History lists the status changes made from VS Code', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('workflowPhases.showHistory', instance);
    assert.ok(editor, 'a document opened');
    const text = editor.document.getText();
    assert.match(text, /^# History: 2026-Q4 · FR-Y-14Q$/m);
    assert.match(text, /\| phase planning \| not started \| \*\*in progress\*\* \|.*\| vscode \|$/m);
  });

  it('the "in progress" filter lists only the instances in progress (the server filters)', async () => {
    const provider = extension().exports.phaseTree;
    try {
      await vscode.commands.executeCommand('workflowPhases.filterInProgress');
      const cycle = await child(provider, undefined, '2026-Q4');
      assert.deepEqual((await children(provider, cycle.node)).map((d) => labelOf(d.item)), ['FR-Y-14Q']);
    } finally {
      await vscode.commands.executeCommand('workflowPhases.filterAll');
    }
    const cycle = await child(provider, undefined, '2026-Q4');
    assert.deepEqual((await children(provider, cycle.node)).map((d) => labelOf(d.item)).sort(), ['FR-2052a', 'FR-Y-14Q']);
  });

  it('a cycle lists its instances a page at a time, with "Load more…"', async () => {
    // 121 more reports in the cycle: their phase rows are copies of FR-Y-14Q's.
    await withPg(async (c) => {
      await c.query("INSERT INTO reports (report_name) SELECT 'PAGE-' || lpad(g::text, 3, '0') FROM generate_series(1, 121) g");
      const columns = await c.query<{ name: string }>("SELECT quote_ident(column_name) AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'workflow_phases' AND column_name NOT IN ('phase_id', 'report_id') ORDER BY ordinal_position");
      const list = columns.rows.map((r) => r.name).join(', ');
      await c.query(`INSERT INTO workflow_phases (report_id, ${list}) SELECT r.id, ${list.split(', ').map((n) => `p.${n}`).join(', ')} FROM workflow_phases p CROSS JOIN reports r WHERE p.report_id = $1 AND r.report_name LIKE 'PAGE-%'`, [instance.reportId]);
    });
    const provider = extension().exports.phaseTree;
    const first = await waitForValue(async () => {
      const cycle = (await children(provider)).find((d) => labelOf(d.item) === '2026-Q4');
      const list = cycle ? await children(provider, cycle.node) : [];
      // The page and the cycle's totals both follow from the feed; wait for both.
      return list.length > 2 && /123 reports/.test(String(cycle?.item.description)) ? { cycle: cycle!, list } : undefined;
    }, provider);
    assert.equal(first.list.length, 101, 'a page of 100 instances, then "Load more…"');
    const more = first.list.at(-1)!;
    assert.equal(labelOf(more.item), 'Load more…');
    await vscode.commands.executeCommand(more.item.command!.command, ...(more.item.command!.arguments ?? []));
    const all = await children(provider, first.cycle.node);
    assert.equal(all.length, 123, 'all 123 instances, no "Load more…"');
    assert.ok(all.every((d) => labelOf(d.item) !== 'Load more…'));
  });

  it('Migrate Legacy Tables runs phasectl: the dry run, then the migration; no password on its command line or in its report', async () => {
    await withPg(async (c) => {
      await c.query("INSERT INTO reports (report_name) VALUES ('FR-LEGACY')");
      await c.query('CREATE TABLE planning_phases (id SERIAL PRIMARY KEY, cycle_id INTEGER, report_id INTEGER, status VARCHAR(50))');
      await c.query("INSERT INTO planning_phases (cycle_id, report_id, status) SELECT $1, id, 'In Progress' FROM reports WHERE report_name = 'FR-LEGACY'", [instance.cycleId]);
    });
    const code = await vscode.commands.executeCommand<number | undefined>('workflowPhases.migrateLegacy', { confirmed: true });
    assert.equal(code, 0, 'phasectl migrate-legacy exited 0');
    const moved = await withPg((c) => c.query<{ status: string }>("SELECT p.status FROM workflow_phases p JOIN reports r ON r.id = p.report_id WHERE r.report_name = 'FR-LEGACY' AND p.phase_name = 'planning'"));
    assert.equal(moved.rows[0]?.status, 'IN_PROGRESS', 'the legacy row is in workflow_phases');
    const reports = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'workflow-phases' && /Legacy migration/.test(d.uri.path)).map((d) => d.getText());
    assert.ok(reports.some((t) => /dry run/.test(t)) && reports.some((t) => /committed/.test(t)), 'the dry run and the real run were shown');
    for (const text of reports) assert.ok(!text.includes(SECRET), 'the report does not show the password');
  });

  it('never writes the password into a settings file or a log', () => {
    const api = extension().exports;
    const workspaceSettings = workspaceFile('.vscode/settings.json').fsPath;
    const userDir = join(api.storage.globalStorageUri.fsPath, '..', '..');
    const logsRoot = join(api.storage.logUri.fsPath, '..', '..', '..');
    const files = [workspaceSettings, join(userDir, 'settings.json'), ...filesUnder(logsRoot)];
    // The search must look where the extension writes: its output log is among the files.
    const logs = filesUnder(api.storage.logUri.fsPath).filter((f) => f.endsWith('.log'));
    assert.ok(logs.some((f) => /Database: connected/.test(readFileSync(f, 'utf8'))), `the extension's log is searched (${logs.join(', ')})`);
    assert.match(readFileSync(workspaceSettings, 'utf8'), /workflowPhases\.database\.url/, 'the workspace settings hold the URL');
    for (const file of files) {
      assert.ok(!readFileSync(file, 'utf8').includes(SECRET), `${file} does not contain the password`);
    }
  });
});
