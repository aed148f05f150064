/**
 * Preview Sync, Sync and Create Instances. Preview opens the plan as a document; Sync
 * plans first and writes nothing before the user confirmed deletions (and chose what to do
 * about refusals); Create Instances makes the instances `applies_to` names, offering to
 * create missing cycles and reports where the database is Workflow Phases' own.
 */
import * as vscode from 'vscode';
import { InitRequest, PlanRequest, SyncRequest, type PlanParams, type PlanResult } from '../../schemas/lsp-protocol';
import type { Ctx } from '../ctx';
import { planMarkdown, planSummary } from '../format/documents';
import { isDefinitionUri } from '../language-client';
import { fileName, openDocument, planUri, type LiveDocuments } from './documents';
import { showLiveError } from './errors';

/** The definition file a command was run on (explorer/editor menu), or the active editor's; undefined: the workspace. */
function targetFile(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri && isDefinitionUri(arg)) return arg.toString();
  return undefined;
}

function scope(file: string | undefined): string {
  return file ? fileName(file) : 'the workspace';
}

/** Tells the outcome; "Show Report" opens the full report. */
async function offerReport(docs: LiveDocuments, message: string, warning: boolean, title: string, markdown: string): Promise<void> {
  const show = 'Show Report';
  const choice = warning ? await vscode.window.showWarningMessage(message, show) : await vscode.window.showInformationMessage(message, show);
  if (choice === show) await docs.openReport(title, markdown);
}

/** Preview Sync: the plan of a definition file or of the workspace, as a document. */
export function previewSyncCommand(ctx: Ctx, docs: LiveDocuments) {
  return async (arg?: unknown): Promise<vscode.TextEditor | undefined> => {
    try {
      return await openDocument(docs, planUri(targetFile(arg)));
    } catch (error) {
      await showLiveError(ctx, 'Preview Sync', error);
      return undefined;
    }
  };
}

/** What the user chose to do about a plan. */
type SyncDecision = { apply: false } | { apply: true; allowPartial: boolean };

async function decide(plan: PlanResult, where: string, docs: LiveDocuments, file: string | undefined): Promise<SyncDecision> {
  const s = plan.summary;
  if (s.create + s.update + s.delete + s.refused === 0) {
    void vscode.window.showInformationMessage(`Workflow Phases: nothing to sync in ${where}: the database matches the definitions.`);
    return { apply: false };
  }
  const preview = 'Show Preview';
  if (s.refused > 0) {
    const rest = s.create + s.update + s.delete;
    const applyRest = rest > 0 ? `Apply the Other ${rest}` : undefined;
    const choice = await vscode.window.showWarningMessage(
      `Workflow Phases: ${s.refused} change${s.refused === 1 ? '' : 's'} in ${where} would lose progress and ${s.refused === 1 ? 'is' : 'are'} refused (${planSummary(plan)}). Nothing has been written.`,
      { modal: true, detail: 'Fix the definitions (or finish or reopen the work first), or apply only the changes that lose nothing.' },
      // The safe choice comes first (the primary button).
      preview,
      ...(applyRest ? [applyRest] : []),
    );
    if (choice === preview) await openDocument(docs, planUri(file));
    if (choice !== applyRest || !applyRest) return { apply: false };
    if (s.delete > 0 && !(await confirmDeletes(plan, where))) return { apply: false };
    return { apply: true, allowPartial: true };
  }
  if (s.delete > 0 && !(await confirmDeletes(plan, where))) return { apply: false };
  return { apply: true, allowPartial: false };
}

async function confirmDeletes(plan: PlanResult, where: string): Promise<boolean> {
  const rows = plan.instances.flatMap((i) => i.changes.filter((c) => c.action === 'delete').map((c) => `${i.cycle} · ${i.report}: ${c.entity} ${[c.phase, c.activity].filter(Boolean).join(' › ')}`));
  const shown = rows.slice(0, 10).join('\n') + (rows.length > 10 ? `\n… and ${rows.length - 10} more` : '');
  const choice = await vscode.window.showWarningMessage(
    `Workflow Phases: Sync of ${where} deletes ${plan.summary.delete} row${plan.summary.delete === 1 ? '' : 's'} (${planSummary(plan)}).`,
    { modal: true, detail: `Only rows that never started are deleted:\n${shown}` },
    'Sync and Delete',
  );
  return choice === 'Sync and Delete';
}

/** Sync: plan, confirm what needs confirming, apply in one transaction with progress. */
export function syncCommand(ctx: Ctx, docs: LiveDocuments) {
  return async (arg?: unknown): Promise<PlanResult | undefined> => {
    const file = targetFile(arg);
    const where = scope(file);
    const params: PlanParams = file ? { uri: file } : {};
    try {
      const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Workflow Phases: planning the sync of ${where}…` }, () => ctx.request(PlanRequest, params));
      const decision = await decide(plan, where, docs, file);
      if (!decision.apply) return undefined;
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Workflow Phases: syncing ${where}…` }, () =>
        ctx.request(SyncRequest, { ...params, allowPartial: decision.allowPartial }),
      );
      const message = result.applied ? `Workflow Phases: synced ${where}: ${planSummary(result)}.` : `Workflow Phases: nothing was written for ${where}: ${planSummary(result)}.`;
      void offerReport(docs, message, !result.applied, `Sync report ${where}`, planMarkdown(result, { title: `Sync report: ${where}`, applied: result.applied, fileName }));
      return result;
    } catch (error) {
      await showLiveError(ctx, 'Sync', error);
      return undefined;
    }
  };
}

/** Create Instances: the instances the definitions' `applies_to` names, all 9 phases each. */
export function createInstancesCommand(ctx: Ctx, docs: LiveDocuments) {
  return async (arg?: unknown, opts?: unknown): Promise<PlanResult | undefined> => {
    const file = targetFile(arg);
    const where = scope(file);
    const base = file ? { uri: file } : {};
    const createMissingGiven = (opts as { createMissing?: unknown } | null)?.createMissing === true;
    try {
      const run = (createMissing: boolean) =>
        vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Workflow Phases: creating the instances of ${where}…` }, () => ctx.request(InitRequest, { ...base, createMissing }));
      let result = await run(createMissingGiven);
      if (result.unknown.length > 0 && !createMissingGiven) {
        const names = result.unknown.map((u) => `${u.kind} ${u.value}`).join(', ');
        const create = 'Create Them';
        const choice = await vscode.window.showWarningMessage(
          `Workflow Phases: applies_to names ${result.unknown.length === 1 ? 'a cycle or report' : 'cycles or reports'} the database does not have: ${names}.`,
          { modal: true, detail: 'Workflow Phases creates them only in a database whose test_cycles and reports tables it created itself; a host application\'s tables are never written.' },
          create,
        );
        if (choice === create) result = await run(true);
      }
      const created = result.created.length > 0 ? ` Created ${result.created.map((c) => `${c.kind} ${c.name}`).join(', ')} first.` : '';
      const made = result.instances.filter((i) => i.changes.some((c) => c.entity === 'instance' && c.action === 'create')).length;
      const headline = made > 0 ? `created ${made} instance${made === 1 ? '' : 's'} of ${where}, all 9 phases each` : `no new instance in ${where}`;
      void offerReport(docs, `Workflow Phases: ${headline}.${created}`, false, `Create Instances ${where}`, planMarkdown(result, { title: `Create Instances: ${where}`, applied: result.applied, fileName }));
      return result;
    } catch (error) {
      await showLiveError(ctx, 'Create Instances', error);
      return undefined;
    }
  };
}
