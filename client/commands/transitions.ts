/**
 * The transition commands: Start / Complete / Reopen / Skip Phase, Start / Complete /
 * Block / Unblock / Skip Activity, Request Revision, and Change Status… (any of them).
 * Each acts on the node it is given (a tree item, or a `NodeRef` from a keybinding or a
 * test), else on the tree's selection, else walks the quick picks. A reason is asked
 * where the rules need one; a refusal is an error naming every unmet condition.
 */
import * as vscode from 'vscode';
import {
  ExplainRequest,
  TransitionRequest,
  type ActivityActionName,
  type NodeRef,
  type PhaseActionName,
  type TransitionChoice,
  type TransitionResult,
} from '../../schemas/lsp-protocol';
import type { Ctx } from '../ctx';
import { statusWords } from '../format/node-text';
import { isNodeRef, refOf } from '../tree/nodes';
import type { PhaseTree } from '../tree/view';
import { Cancelled, showLiveError } from './errors';
import { instanceChoices, pickActivity, pickInstance, pickNode, pickPhase, pickPhaseOfActivity, pickTransition } from './pick';

/** Options a caller may pass as the second argument (keybindings, tests). */
export interface TransitionOptions {
  /** The reason, where the rules need one (no input box is shown then). */
  readonly reason?: string;
}

function optionsOf(value: unknown): TransitionOptions {
  const reason = (value as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? { reason } : {};
}

const levelOf = (ref: NodeRef): 'instance' | 'phase' | 'activity' => (ref.activity !== undefined ? 'activity' : ref.phase !== undefined ? 'phase' : 'instance');

/** The node a command acts on without asking: its argument, else the tree's selection, when of the right level. */
function givenNode(tree: PhaseTree, arg: unknown, level: 'phase' | 'activity' | 'any'): NodeRef | undefined {
  const candidates = [arg, tree.view.selection[0]];
  for (const candidate of candidates) {
    if (!isNodeRef(candidate)) continue;
    const l = levelOf(candidate);
    if (level === 'any' ? l !== 'instance' : l === level) return refOf(candidate);
    if (candidate === arg) return undefined;
  }
  return undefined;
}

function describeNode(ref: NodeRef): string {
  return ref.activity !== undefined ? `activity ${ref.activity}` : `phase ${ref.phase ?? ''}`;
}

/** The reason for `choice`, from the options or an input box (Cancelled on Escape). */
async function reasonFor(choice: TransitionChoice, options: TransitionOptions): Promise<string | null> {
  if (!choice.needsReason) return options.reason ?? null;
  if (options.reason?.trim()) return options.reason.trim();
  const reason = await vscode.window.showInputBox({
    title: `Workflow Phases: ${choice.title}`,
    prompt: 'The rules need a reason; it is kept in the history.',
    placeHolder: choice.action === 'block' ? 'What is it waiting for?' : 'Why?',
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() === '' ? 'A reason is required.' : undefined),
  });
  if (reason === undefined) throw new Cancelled();
  return reason.trim();
}

/**
 * Runs one transition as the acting user, sending the status the user saw, and tells the
 * outcome. Returns the server's answer (undefined when cancelled or failed).
 */
export async function performTransition(ctx: Ctx, tree: PhaseTree, ref: NodeRef, action: PhaseActionName | ActivityActionName, options: TransitionOptions, known?: TransitionChoice): Promise<TransitionResult | undefined> {
  const what = `${action.replace('-', ' ')} ${describeNode(ref)}`;
  try {
    const choice = known ?? (await ctx.request(ExplainRequest, { node: ref, action })).explanations[0];
    if (!choice) throw new Error(`the server has no "${action}" for ${describeNode(ref)}`);
    if (choice.verdict === 'refused') {
      void vscode.window.showErrorMessage(`Workflow Phases: cannot ${choice.title}: ${choice.unmet.join('; ') || 'the rules refuse it'}`);
      return undefined;
    }
    const reason = choice.verdict === 'allowed' ? await reasonFor(choice, options) : null;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Workflow Phases: ${choice.title}…` }, () =>
      ctx.request(TransitionRequest, { node: ref, action, expected: choice.from, reason }),
    );
    if (result.instance) await tree.store.accept(result.instance);
    if (result.verdict === 'allowed') {
      vscode.window.setStatusBarMessage(`$(check) Workflow Phases: ${result.choice.title} — done`, 5000);
    } else if (result.verdict === 'unchanged') {
      void vscode.window.showInformationMessage(`Workflow Phases: nothing to do: ${describeNode(ref)} is already ${statusWords(result.choice.from ?? '')}.${result.choice.notes.length ? ` ${result.choice.notes.join(' ')}` : ''}`);
    } else {
      void vscode.window.showErrorMessage(`Workflow Phases: cannot ${result.choice.title}: ${result.choice.unmet.join('; ') || 'the rules refuse it'}`);
    }
    return result;
  } catch (error) {
    await showLiveError(ctx, what, error);
    return undefined;
  }
}

const COMMAND_TITLES: Record<string, string> = {
  'phase:start': 'Start Phase',
  'phase:complete': 'Complete Phase',
  'phase:reopen': 'Reopen Phase',
  'phase:skip': 'Skip Phase',
  'activity:start': 'Start Activity',
  'activity:complete': 'Complete Activity',
  'activity:block': 'Block Activity',
  'activity:unblock': 'Unblock Activity',
  'activity:skip': 'Skip Activity',
  'activity:request-revision': 'Request Revision',
};

/** The handler of one transition command, e.g. `('phase', 'start')` for Start Phase. */
export function transitionCommand(ctx: Ctx, tree: PhaseTree, kind: 'phase' | 'activity', action: PhaseActionName | ActivityActionName) {
  const title = `Workflow Phases: ${COMMAND_TITLES[`${kind}:${action}`] ?? action}`;
  return async (arg?: unknown, opts?: unknown): Promise<TransitionResult | undefined> => {
    const given = givenNode(tree, arg, kind);
    if (given) return performTransition(ctx, tree, given, action, optionsOf(opts));
    try {
      const total = kind === 'phase' ? 2 : 3;
      const instance = isNodeRef(arg) ? arg : await pickInstance(ctx, title, total);
      const choices = await instanceChoices(ctx, tree.store, instance);
      let ref: NodeRef;
      if (kind === 'phase') {
        const phase = await pickPhase(choices, action, title, { step: 2, total });
        ref = { cycleId: instance.cycleId, reportId: instance.reportId, phase: phase.name };
      } else {
        const phase = await pickPhaseOfActivity(choices, action, title, { step: 2, total });
        const activity = await pickActivity(choices, phase, action, title, { step: 3, total });
        ref = { cycleId: instance.cycleId, reportId: instance.reportId, phase: phase.name, activity: activity.name };
      }
      const known = choices.allowed.transitions.find((t) => t.phase === ref.phase && t.activity === (ref.activity ?? null) && t.action === action);
      return await performTransition(ctx, tree, ref, action, optionsOf(opts), known);
    } catch (error) {
      await showLiveError(ctx, title.replace('Workflow Phases: ', ''), error);
      return undefined;
    }
  };
}

/** Change Status…: instance -> phase or activity -> transition (or from a node: the transition). */
export function changeStatusCommand(ctx: Ctx, tree: PhaseTree) {
  const title = 'Workflow Phases: Change Status';
  return async (arg?: unknown, opts?: unknown): Promise<TransitionResult | undefined> => {
    try {
      const given = givenNode(tree, arg, 'any');
      const instance = given ?? (isNodeRef(arg) ? arg : await pickInstance(ctx, title, 3));
      const choices = await instanceChoices(ctx, tree.store, instance);
      const node = given ?? (await pickNode(choices, title, { step: 2, total: 3 }));
      const choice = await pickTransition(choices, node, title, { step: 3, total: 3 });
      return await performTransition(ctx, tree, node, choice.action, optionsOf(opts), choice);
    } catch (error) {
      await showLiveError(ctx, 'Change Status', error);
      return undefined;
    }
  };
}
