/**
 * `workflowPhases/allowed`, `workflowPhases/explain` and `workflowPhases/transition`:
 * the rules engine's own verdicts and sentences (`explain` on the instance as read, and
 * `runTransition` for the write), for the acting user. What `allowed` offers is what the
 * core's `allowed` offers: a START or COMPLETE marker moves with its phase, so its
 * transitions are listed only where the core offers one.
 */
import { ACTIVITY_ACTIONS, PHASE_ACTIONS, allowed, explain, isMarker, needsReason } from '../../core/index';
import type { ActivityAction, ActivityStatus, Actor, Explanation, InstanceSnapshot, PhaseAction, PhaseStatus, Transition } from '../../core/index';
import {
  AllowedRequest,
  ExplainRequest,
  LiveErrorCodes,
  TransitionRequest,
  type NodeRef,
  type TransitionChoice,
  type TransitionResult,
} from '../../../schemas/lsp-protocol';
import { runTransition, viewInstance } from '../../db/transitions/index';
import { checked } from '../request-params';
import { actingUser, idParam, optionalText, requireDatabase, type LiveContext } from './context';
import { liveError, liveHandler } from './errors';
import { instanceDetail } from './instance-handlers';

/** Checks a node reference from the client. */
function nodeParam(value: unknown): NodeRef {
  const node = (typeof value === 'object' && value !== null ? value : {}) as Partial<Record<keyof NodeRef, unknown>>;
  const phase = optionalText(node.phase, 'node.phase');
  const activity = optionalText(node.activity, 'node.activity');
  if (activity !== undefined && phase === undefined) throw liveError(LiveErrorCodes.badRequest, 'node.activity needs node.phase (the phase the activity belongs to)');
  return { cycleId: idParam(node.cycleId, 'node.cycleId'), reportId: idParam(node.reportId, 'node.reportId'), ...(phase !== undefined ? { phase } : {}), ...(activity !== undefined ? { activity } : {}) };
}

/** The engine's explanation as the protocol's choice. A reason the client will ask for is not a refusal here. */
function choiceOf(snapshot: InstanceSnapshot | null, e: Explanation, actor: Actor): TransitionChoice {
  const t = e.transition;
  const reasonPending = needsReason(t) && !t.reason?.trim();
  const guards = e.guards.map((g) => (reasonPending && g.id === 'reason' && g.result === 'fail' ? { ...g, result: 'unchecked' as const } : g));
  const unmet = guards.filter((g) => g.result === 'fail').map((g) => g.message);
  let verdict = e.verdict;
  let changes = e.changes;
  if (verdict === 'refused' && unmet.length === 0 && snapshot) {
    // Only the reason is missing: what it would change once the reason is given.
    verdict = 'allowed';
    changes = explain(snapshot, { ...t, reason: 'the reason the user will give' }, actor).changes.map((c) => ({ ...c, reason: null }));
  }
  return {
    kind: t.kind,
    action: t.action,
    phase: t.phase,
    activity: t.kind === 'activity' ? t.activity : null,
    title: e.title,
    verdict,
    from: e.from,
    to: e.to,
    needsReason: needsReason(t),
    guards,
    unmet,
    changes: changes.map((c) => ({ entity: c.entity, phase: c.phase, activity: c.activity, from: c.from, to: c.to, reason: c.reason })),
    notes: e.notes,
  };
}

/** The transitions of `node`: its own actions, and with `below` those of what is under it. */
function transitionsOf(snapshot: InstanceSnapshot, node: NodeRef, below: boolean): Transition[] {
  const out: Transition[] = [];
  for (const phase of snapshot.phases) {
    if (node.phase !== undefined && phase.name !== node.phase) continue;
    if (node.activity === undefined) for (const action of PHASE_ACTIONS) out.push({ kind: 'phase', action, phase: phase.name });
    if (node.activity === undefined && !below) continue;
    for (const activity of phase.activities) {
      if (node.activity !== undefined && activity.name !== node.activity) continue;
      for (const action of ACTIVITY_ACTIONS) out.push({ kind: 'activity', action, phase: phase.name, activity: activity.name });
    }
  }
  return out;
}

const keyOf = (t: Transition) => `${t.kind}:${t.action}:${t.phase}:${t.kind === 'activity' ? t.activity : ''}`;

/**
 * The transitions of `node` listed by `allowed`: all but a marker's, whose only offers are
 * those of the core's `allowed` (the phase's own transition stands for the rest; a marker's
 * other actions are refused as not work).
 */
function listedOf(snapshot: InstanceSnapshot, node: NodeRef, actor: Actor): Transition[] {
  const offered = new Set(allowed(snapshot, actor).map((a) => keyOf(a.transition)));
  const markers = new Set(snapshot.phases.flatMap((p) => p.activities.filter((a) => isMarker(a.type)).map((a) => `${p.name}:${a.name}`)));
  return transitionsOf(snapshot, node, true).filter((t) => t.kind === 'phase' || !markers.has(`${t.phase}:${t.activity}`) || offered.has(keyOf(t)));
}

/** The instance as it stands, checking that the node exists (else `notFound` with the engine's own sentence). */
async function snapshotOf(ctx: LiveContext, node: NodeRef, actor: Actor): Promise<InstanceSnapshot> {
  const view = await viewInstance(requireDatabase(ctx), node);
  if (!view) throw liveError(LiveErrorCodes.notFound, `cycle ${node.cycleId}, report ${node.reportId} has no workflow phases (sync a definition that applies to it first)`);
  if (node.phase !== undefined) {
    const probe: Transition = node.activity === undefined
      ? { kind: 'phase', action: 'start', phase: node.phase }
      : { kind: 'activity', action: 'start', phase: node.phase, activity: node.activity };
    const exists = explain(view.snapshot, probe, actor).guards.find((g) => g.id === 'exists');
    if (exists?.result === 'fail') throw liveError(LiveErrorCodes.notFound, exists.message);
  }
  return view.snapshot;
}

/** Registers allowed, explain and transition. */
export function registerTransitionHandlers(ctx: LiveContext): void {
  const { connection, onError } = ctx;

  connection.onRequest(
    AllowedRequest.type,
    checked(AllowedRequest.method, liveHandler(connection, 'allowed', onError, async (params) => {
      const node = nodeParam(params?.node);
      const { actor, user } = await actingUser(ctx);
      const snapshot = await snapshotOf(ctx, node, actor);
      const choices = listedOf(snapshot, node, actor)
        .map((t) => choiceOf(snapshot, explain(snapshot, t, actor), actor))
        .filter((c) => c.verdict !== 'unchanged');
      return { user, transitions: [...choices.filter((c) => c.verdict === 'allowed'), ...choices.filter((c) => c.verdict !== 'allowed')] };
    })),
  );

  connection.onRequest(
    ExplainRequest.type,
    checked(ExplainRequest.method, liveHandler(connection, 'explain', onError, async (params) => {
      const node = nodeParam(params?.node);
      if (node.phase === undefined) throw liveError(LiveErrorCodes.badRequest, 'explain needs node.phase: an instance has no actions of its own (ask workflowPhases/allowed for everything below it)');
      const kind = node.activity === undefined ? 'phase' : 'activity';
      const actions: readonly string[] = kind === 'phase' ? PHASE_ACTIONS : ACTIVITY_ACTIONS;
      if (params.action !== undefined && !actions.includes(params.action)) {
        throw liveError(LiveErrorCodes.badRequest, `action must be one of ${actions.join(', ')} for ${kind === 'phase' ? 'a phase' : 'an activity'}, got ${JSON.stringify(params.action)}`);
      }
      const { actor, user } = await actingUser(ctx);
      const snapshot = await snapshotOf(ctx, node, actor);
      const transitions = transitionsOf(snapshot, node, false).filter((t) => params.action === undefined || t.action === params.action);
      return { user, explanations: transitions.map((t) => choiceOf(snapshot, explain(snapshot, t, actor), actor)) };
    })),
  );

  connection.onRequest(
    TransitionRequest.type,
    checked(TransitionRequest.method, liveHandler(connection, 'transition', onError, async (params): Promise<TransitionResult> => {
      const node = nodeParam(params?.node);
      if (node.phase === undefined) throw liveError(LiveErrorCodes.badRequest, 'a transition needs node.phase (and node.activity for an activity)');
      const kind = node.activity === undefined ? 'phase' : 'activity';
      const actions: readonly string[] = kind === 'phase' ? PHASE_ACTIONS : ACTIVITY_ACTIONS;
      if (!actions.includes(params.action)) {
        throw liveError(LiveErrorCodes.badRequest, `action must be one of ${actions.join(', ')} for ${kind === 'phase' ? 'a phase' : 'an activity'}, got ${JSON.stringify(params.action)}`);
      }
      const reason = optionalText(params.reason, 'reason')?.trim() || null;
      const expected = optionalText(params.expected, 'expected') ?? null;
      const transition: Transition = kind === 'phase'
        ? { kind, action: params.action as PhaseAction, phase: node.phase, reason, expected: expected as PhaseStatus | null }
        : { kind, action: params.action as ActivityAction, phase: node.phase, activity: node.activity!, reason, expected: expected as ActivityStatus | null };
      if (needsReason(transition) && reason === null) {
        throw liveError(LiveErrorCodes.badRequest, `${params.action.replace('-', ' ')} ${kind === 'phase' ? 'a phase' : 'an activity'} needs a reason: give \`reason\``);
      }
      const db = requireDatabase(ctx);
      const { actor } = await actingUser(ctx);
      const outcome = await runTransition(db, { instance: node, transition, actor, source: ctx.source() });
      const missing = outcome.explanation.guards.find((g) => (g.id === 'exists' || g.id === 'instance') && g.result === 'fail');
      if (missing) throw liveError(LiveErrorCodes.notFound, missing.message);
      return {
        verdict: outcome.verdict,
        choice: choiceOf(null, outcome.explanation, actor),
        changes: outcome.changes.map((c) => ({ entity: c.entity, phase: c.phase, activity: c.activity, from: c.from, to: c.to, reason: c.reason })),
        at: outcome.at === null ? null : new Date(`${outcome.at}Z`).toISOString(),
        instance: await instanceDetail(ctx, db, node),
      };
    })),
  );
}
