/**
 * The quick picks a command walks when nothing is selected: the instance (`<cycle> ·
 * <report>`, filterable), then the phase (and the activity), then - for Change Status -
 * the transition. Legal targets come first; the others follow under a separator with the
 * reason the server gives, and choosing one shows that refusal instead of acting.
 */
import * as vscode from 'vscode';
import {
  AllowedRequest,
  InstancesRequest,
  type ActivityNode,
  type AllowedResult,
  type InstanceDetail,
  type InstanceSummary,
  type NodeRef,
  type PhaseNode,
  type TransitionChoice,
} from '../../schemas/lsp-protocol';
import type { Ctx } from '../ctx';
import { activityTargets, instanceDescription, statusWords } from '../format/node-text';
import type { LiveStore } from '../live/store';
import { Cancelled } from './errors';

/** Instances listed in the instance pick at most (the first pages; typing filters them). */
const PICK_LIMIT = 10_000;
const PICK_PAGE = 1000;

interface Item<T> extends vscode.QuickPickItem {
  readonly value?: T;
  /** Set on targets the server refuses: choosing one shows the reasons. */
  readonly refusal?: string;
}

/** Shows a quick pick and resolves with the accepted item's value (Cancelled on Escape). */
async function choose<T>(quickPick: vscode.QuickPick<Item<T>>, onRefused: (item: Item<T>) => void): Promise<T> {
  try {
    return await new Promise<T>((resolve, reject) => {
      quickPick.onDidAccept(() => {
        const item = quickPick.selectedItems[0];
        if (!item || item.value === undefined) return;
        if (item.refusal !== undefined) {
          quickPick.hide();
          onRefused(item);
          reject(new Cancelled());
          return;
        }
        resolve(item.value);
        quickPick.hide();
      });
      quickPick.onDidHide(() => reject(new Cancelled()));
      quickPick.show();
    });
  } finally {
    quickPick.dispose();
  }
}

function quickPick<T>(title: string, placeholder: string, step?: { step: number; total: number }): vscode.QuickPick<Item<T>> {
  const qp = vscode.window.createQuickPick<Item<T>>();
  qp.title = title;
  qp.placeholder = placeholder;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.ignoreFocusOut = true;
  if (step) {
    qp.step = step.step;
    qp.totalSteps = step.total;
  }
  return qp;
}

const refusedError = (title: string, refusal: string) => void vscode.window.showErrorMessage(`Workflow Phases: cannot ${title}: ${refusal}`);

/** Step 1: the instance, listed a page at a time as the server sends them. */
export async function pickInstance(ctx: Ctx, title: string, totalSteps: number): Promise<InstanceSummary> {
  const qp = quickPick<InstanceSummary>(title, 'Choose the instance (type a cycle or report to filter)', { step: 1, total: totalSteps });
  qp.busy = true;
  let stopped = false;
  const items: Item<InstanceSummary>[] = [];
  const load = async () => {
    let cursor: string | undefined;
    do {
      const page = await ctx.request(InstancesRequest, { filter: 'all', limit: PICK_PAGE, ...(cursor ? { cursor } : {}) });
      if (stopped) return;
      items.push(...page.instances.map((s) => ({ label: `${s.cycle} · ${s.report}`, description: instanceDescription(s), value: s })));
      const active = qp.activeItems;
      qp.items = items;
      if (active.length > 0) qp.activeItems = active;
      cursor = page.nextCursor ?? undefined;
    } while (cursor && items.length < PICK_LIMIT);
    if (items.length === 0) qp.placeholder = 'No instance in the database: run Workflow Phases: Create Instances first';
  };
  const loading = load()
    .catch((error: unknown) => {
      qp.placeholder = `The instances could not be listed: ${error instanceof Error ? error.message : String(error)}`;
    })
    .finally(() => {
      qp.busy = false;
    });
  try {
    return await choose(qp, () => undefined);
  } finally {
    stopped = true;
    void loading;
  }
}

/** The server's verdicts on everything of one instance, and the instance itself. */
export interface InstanceChoices {
  readonly detail: InstanceDetail;
  readonly allowed: AllowedResult;
}

/** Fetches an instance and what the acting user may do on it. */
export async function instanceChoices(ctx: Ctx, store: LiveStore, instance: { cycleId: number; reportId: number }): Promise<InstanceChoices> {
  const [detail, allowed] = await Promise.all([store.loadDetail(instance.cycleId, instance.reportId), ctx.request(AllowedRequest, { node: { cycleId: instance.cycleId, reportId: instance.reportId } })]);
  if (!detail) throw new Error('the instance has no phases (sync its workflow first)');
  return { detail, allowed };
}

/** Why `choice` cannot be taken, in words (or the status it already has). */
export function refusalOf(choice: TransitionChoice | undefined, status: string): string {
  if (!choice) return `it is ${statusWords(status)}`;
  if (choice.verdict === 'unchanged') return `it is already ${statusWords(status)}`;
  return choice.unmet.length > 0 ? choice.unmet.join('; ') : 'the rules refuse it';
}

function targetItems<T>(targets: { label: string; status: string; value: T; choice: TransitionChoice | undefined }[], icon: (status: string) => string): Item<T>[] {
  const legal = targets.filter((t) => t.choice?.verdict === 'allowed');
  const refused = targets.filter((t) => t.choice?.verdict !== 'allowed');
  const items: Item<T>[] = legal.map((t) => ({ label: `$(${icon(t.status)}) ${t.label}`, description: statusWords(t.status), value: t.value }));
  if (refused.length > 0) {
    items.push({ label: legal.length > 0 ? 'not possible now' : 'nothing is possible now', kind: vscode.QuickPickItemKind.Separator });
    items.push(...refused.map((t) => ({ label: `$(circle-slash) ${t.label}`, description: `${statusWords(t.status)} — not possible`, detail: refusalOf(t.choice, t.status), value: t.value, refusal: refusalOf(t.choice, t.status) })));
  }
  return items;
}

const ICON: Record<string, string> = { NOT_STARTED: 'circle-large-outline', IN_PROGRESS: 'play-circle', COMPLETED: 'pass-filled', SKIPPED: 'debug-step-over', BLOCKED: 'error', REVISION_REQUESTED: 'discard' };
const iconOf = (status: string) => ICON[status] ?? 'circle-outline';

/** The choice of `action` on a phase (activity null) or an activity. */
export function choiceFor(allowed: AllowedResult, phase: string, activity: string | null, action: string): TransitionChoice | undefined {
  return allowed.transitions.find((t) => t.phase === phase && t.activity === activity && t.action === action);
}

/** Step 2 of a phase command: the phase, those where `action` is allowed first. */
export async function pickPhase(choices: InstanceChoices, action: string, title: string, step: { step: number; total: number }): Promise<PhaseNode> {
  const qp = quickPick<PhaseNode>(title, `${choices.detail.cycle} · ${choices.detail.report}: choose the phase`, step);
  qp.items = targetItems(
    choices.detail.phases.map((p) => ({ label: `${p.order}. ${p.name}`, status: p.status, value: p, choice: choiceFor(choices.allowed, p.name, null, action) })),
    iconOf,
  );
  return choose(qp, (item) => refusedError(choiceFor(choices.allowed, item.value?.name ?? '', null, action)?.title ?? `${action} phase ${item.value?.name ?? ''}`, item.refusal ?? ''));
}

/** Step 2 of an activity command: the phase, those with an activity where `action` is allowed first. */
export async function pickPhaseOfActivity(choices: InstanceChoices, action: string, title: string, step: { step: number; total: number }): Promise<PhaseNode> {
  const qp = quickPick<PhaseNode>(title, `${choices.detail.cycle} · ${choices.detail.report}: choose the phase of the activity`, step);
  const count = (p: PhaseNode) => p.activities.filter((a) => choiceFor(choices.allowed, p.name, a.name, action)?.verdict === 'allowed').length;
  const withTargets = choices.detail.phases.filter((p) => count(p) > 0);
  const without = choices.detail.phases.filter((p) => count(p) === 0);
  const items: Item<PhaseNode>[] = withTargets.map((p) => ({ label: `$(${iconOf(p.status)}) ${p.order}. ${p.name}`, description: `${statusWords(p.status)} · ${count(p)} possible`, value: p }));
  if (without.length > 0) {
    items.push({ label: withTargets.length > 0 ? 'no activity possible now' : 'nothing is possible now', kind: vscode.QuickPickItemKind.Separator });
    // Still selectable: the next step shows each activity's reasons.
    items.push(...without.map((p) => ({ label: `$(circle-slash) ${p.order}. ${p.name}`, description: `${statusWords(p.status)} · none possible`, value: p })));
  }
  qp.items = items;
  return choose(qp, () => undefined);
}

/** Step 3 of an activity command: the activity, those where `action` is allowed first. */
export async function pickActivity(choices: InstanceChoices, phase: PhaseNode, action: string, title: string, step: { step: number; total: number }): Promise<ActivityNode> {
  const qp = quickPick<ActivityNode>(title, `${choices.detail.cycle} · ${choices.detail.report} › ${phase.name}: choose the activity`, step);
  qp.items = targetItems(
    activityTargets(choices.allowed, phase, action).map((a) => ({ label: a.name, status: a.status, value: a, choice: choiceFor(choices.allowed, phase.name, a.name, action) })),
    iconOf,
  );
  return choose(qp, (item) => refusedError(choiceFor(choices.allowed, phase.name, item.value?.name ?? '', action)?.title ?? `${action.replace('-', ' ')} activity ${item.value?.name ?? ''}`, item.refusal ?? ''));
}

/** Step 2 of Change Status: any phase or activity of the instance, with how many moves it has. */
export async function pickNode(choices: InstanceChoices, title: string, step: { step: number; total: number }): Promise<NodeRef> {
  const qp = quickPick<NodeRef>(title, `${choices.detail.cycle} · ${choices.detail.report}: choose a phase or an activity`, step);
  const { cycleId, reportId } = choices.detail;
  const moves = (phase: string, activity: string | null) => choices.allowed.transitions.filter((t) => t.phase === phase && t.activity === activity && t.verdict === 'allowed').map((t) => t.action);
  const items: Item<NodeRef>[] = [];
  for (const p of choices.detail.phases) {
    items.push({ label: `${p.order}. ${p.name}`, kind: vscode.QuickPickItemKind.Separator });
    const phaseMoves = moves(p.name, null);
    items.push({ label: `$(${iconOf(p.status)}) phase ${p.name}`, description: `${statusWords(p.status)}${phaseMoves.length ? ` · can ${phaseMoves.join(', ')}` : ''}`, value: { cycleId, reportId, phase: p.name } });
    for (const a of p.activities) {
      const activityMoves = moves(p.name, a.name);
      items.push({ label: `$(${iconOf(a.status)}) ${a.name}`, description: `${statusWords(a.status)}${activityMoves.length ? ` · can ${activityMoves.join(', ')}` : ''}`, value: { cycleId, reportId, phase: p.name, activity: a.name } });
    }
  }
  qp.items = items;
  return choose(qp, () => undefined);
}

/** Step 3 of Change Status: the transition, the allowed ones first. */
export async function pickTransition(choices: InstanceChoices, node: NodeRef, title: string, step: { step: number; total: number }): Promise<TransitionChoice> {
  const phase = choices.detail.phases.find((p) => p.name === node.phase);
  const activity = node.activity !== undefined ? phase?.activities.find((a) => a.name === node.activity) : undefined;
  const status = activity?.status ?? phase?.status ?? '';
  const qp = quickPick<TransitionChoice>(title, `${choices.detail.cycle} · ${choices.detail.report} › ${[node.phase, node.activity].filter(Boolean).join(' › ')} is ${statusWords(status)}: choose what to do`, step);
  const all = choices.allowed.transitions.filter((t) => t.phase === node.phase && t.activity === (node.activity ?? null));
  qp.items = targetItems(all.map((t) => ({ label: t.title, status, value: t, choice: t })), () => 'arrow-right').map((item) =>
    item.value && item.refusal === undefined ? { ...item, description: `${statusWords(item.value.from ?? '')} → ${statusWords(item.value.to ?? '')}${item.value.needsReason ? ' · needs a reason' : ''}` } : item,
  );
  if (all.length === 0) qp.placeholder = 'No transition applies here';
  return choose(qp, (item) => refusedError(item.value?.title ?? '', item.refusal ?? ''));
}
