/**
 * Between the definition files and the tree: Reveal Definition (a tree node -> the YAML
 * line it was defined on), Reveal in Phase Tree (the cursor's phase or activity in a
 * definition file -> the node, asking for the instance when the workflow has several) and
 * `workflowPhases.revealPhase`, the command the server's phase CodeLens carries.
 */
import * as vscode from 'vscode';
import type { Location } from 'vscode-languageclient/node';
import { InstancesRequest, type InstanceSummary, type NodeRef, type RevealPhaseArgs } from '../../schemas/lsp-protocol';
import type { Ctx } from '../ctx';
import { instanceDescription } from '../format/node-text';
import { isDefinitionUri } from '../language-client';
import { isNodeRef, type LiveNode } from '../tree/nodes';
import type { PhaseTree } from '../tree/view';
import { Cancelled, showLiveError } from './errors';

/** Instances looked through for a workflow's at most. */
const SCAN_LIMIT = 20_000;

/** The editor location of a server `Location` (converted once, here). */
function toVscode(location: Location): vscode.Location {
  const { start, end } = location.range;
  return new vscode.Location(vscode.Uri.parse(location.uri), new vscode.Range(start.line, start.character, end.line, end.character));
}

/** Reveal Definition: opens the definition file at the node's phase or activity (or workflow) line. */
export function revealDefinitionCommand(ctx: Ctx, tree: PhaseTree) {
  return async (arg?: unknown): Promise<vscode.TextEditor | undefined> => {
    try {
      const ref = isNodeRef(arg) ? arg : isNodeRef(tree.view.selection[0]) ? tree.view.selection[0] : undefined;
      if (!ref) throw new Error('select a phase or an activity in the Phase Status view first');
      const detail = await tree.store.loadDetail(ref.cycleId, ref.reportId);
      if (!detail) throw new Error('the instance has no phases any more');
      const phase = ref.phase !== undefined ? detail.phases.find((p) => p.name === ref.phase) : undefined;
      const activity = ref.activity !== undefined ? phase?.activities.find((a) => a.name === ref.activity) : undefined;
      const location = ref.activity !== undefined ? activity?.definition : ref.phase !== undefined ? phase?.definition : detail.definition;
      const what = ref.activity !== undefined ? `activity ${ref.activity}` : ref.phase !== undefined ? `phase ${ref.phase}` : 'its workflow';
      if (!location) throw new Error(`no definition file in the workspace defines ${what} of workflow ${detail.workflow ?? '(none)'}`);
      const target = toVscode(location);
      return await vscode.window.showTextDocument(target.uri, { selection: new vscode.Range(target.range.start, target.range.start), preview: false });
    } catch (error) {
      await showLiveError(ctx, 'Reveal Definition', error);
      return undefined;
    }
  };
}

/** The instances following `workflow`, from the server's pages. */
async function instancesOf(ctx: Ctx, workflow: string): Promise<InstanceSummary[]> {
  const found: InstanceSummary[] = [];
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await ctx.request(InstancesRequest, { filter: 'all', limit: 1000, ...(cursor ? { cursor } : {}) });
    seen += page.instances.length;
    found.push(...page.instances.filter((i) => i.workflow === workflow));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && seen < SCAN_LIMIT);
  return found;
}

/** Reveals `phase`/`activity` of `workflow`'s instance, asking which when there are several. */
async function revealIn(ctx: Ctx, tree: PhaseTree, workflow: string, phase: string | undefined, activity: string | undefined): Promise<LiveNode | undefined> {
  const instances = await instancesOf(ctx, workflow);
  if (instances.length === 0) {
    const create = 'Create Instances';
    const choice = await vscode.window.showInformationMessage(`Workflow Phases: no instance follows workflow ${workflow} yet.`, create);
    if (choice === create) await vscode.commands.executeCommand('workflowPhases.createInstances');
    return undefined;
  }
  let instance = instances[0]!;
  if (instances.length > 1) {
    const picked = await vscode.window.showQuickPick(
      instances.map((i) => ({ label: `${i.cycle} · ${i.report}`, description: instanceDescription(i), instance: i })),
      { title: `Workflow Phases: Reveal ${[phase, activity].filter(Boolean).join(' › ') || workflow} in the Phase Tree`, placeHolder: `${instances.length} instances follow ${workflow}: choose one`, matchOnDescription: true },
    );
    if (!picked) throw new Cancelled();
    instance = picked.instance;
  }
  const ref: NodeRef = { cycleId: instance.cycleId, reportId: instance.reportId, ...(phase ? { phase } : {}), ...(phase && activity ? { activity } : {}) };
  const node = await tree.reveal(ref, { expand: ref.activity === undefined && ref.phase !== undefined });
  return node;
}

/** `workflowPhases.revealPhase` (the phase CodeLens): reveals the phase in the tree. */
export function revealPhaseCommand(ctx: Ctx, tree: PhaseTree) {
  return async (args?: RevealPhaseArgs): Promise<LiveNode | undefined> => {
    try {
      if (!args?.workflow || !args.phase) throw new Error('the CodeLens named no workflow or phase');
      return await revealIn(ctx, tree, args.workflow, args.phase, undefined);
    } catch (error) {
      await showLiveError(ctx, 'Reveal Phase', error);
      return undefined;
    }
  };
}

interface OutlineHit {
  readonly workflow: string | undefined;
  readonly phase: string | undefined;
  readonly activity: string | undefined;
}

/** The workflow, phase and activity at `position`, from the language server's outline. */
async function outlineAt(uri: vscode.Uri, position: vscode.Position | undefined): Promise<OutlineHit> {
  const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', uri)) ?? [];
  const workflow = symbols.find((s) => s.detail === 'workflow');
  const inside = (s: vscode.DocumentSymbol) => position !== undefined && s.range.contains(position);
  const phase = workflow?.children.find(inside);
  const activity = phase?.children.find(inside);
  return { workflow: workflow?.name, phase: phase?.name, activity: activity?.name };
}

/** Reveal in Phase Tree: from a definition file (the argument, or the active editor's cursor). */
export function revealInTreeCommand(ctx: Ctx, tree: PhaseTree) {
  return async (arg?: unknown): Promise<LiveNode | undefined> => {
    try {
      const editor = vscode.window.activeTextEditor;
      const uri = arg instanceof vscode.Uri ? arg : editor?.document.uri;
      if (!uri || !isDefinitionUri(uri)) throw new Error('open a definition file (*.phases.yaml) first');
      const position = editor && editor.document.uri.toString() === uri.toString() ? editor.selection.active : undefined;
      const hit = await outlineAt(uri, position);
      if (!hit.workflow) throw new Error('the file names no workflow (is the language server running?)');
      return await revealIn(ctx, tree, hit.workflow, hit.phase, hit.activity);
    } catch (error) {
      await showLiveError(ctx, 'Reveal in Phase Tree', error);
      return undefined;
    }
  };
}
