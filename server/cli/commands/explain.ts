/** `phasectl explain [<phase> [<activity>]]`: what-if, every guard with ✔/✘, nothing written. */
import { ACTIVITY_ACTIONS, allowed, explain, formatExplanation, PHASE_ACTIONS } from '../../core/index';
import type { Actor, Explanation, InstanceSnapshot, Transition } from '../../core/index';
import { noInstanceExplanation, viewInstance } from '../../db/transitions/index';
import { EXIT, UsageError } from '../command';
import type { Command } from '../command';
import { withCliDatabase } from '../database-option';
import { actorOf, explanationJson, formatOf, instanceOf, TRANSITION_OPTIONS, TRANSITION_USAGE } from '../transition-target';
import { withZones } from '../times';

function who(actor: Actor): string {
  if (actor.id === null) return actor.name;
  return `${actor.name}${actor.rolesChecked ? ` (${actor.role ?? 'no role'})` : ''}`;
}

function allowedText(snapshot: InstanceSnapshot, actor: Actor): string {
  const options = allowed(snapshot, actor);
  if (options.length === 0) return `Nothing ${who(actor)} may do on this instance right now.\n`;
  const lines = [`What ${who(actor)} may do now:`];
  for (const o of options) {
    const t = o.transition;
    const command = t.kind === 'phase' ? `phase ${t.action} ${t.phase}` : `activity ${t.action} ${t.phase} ${t.activity}`;
    lines.push(`  ${command.padEnd(58)} ${o.from} -> ${o.to}${o.needsReason ? '  (needs --reason)' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The command. */
export const explainCommand: Command = {
  name: 'explain',
  summary: 'What-if: every condition of a phase or activity transition, nothing written',
  usage: `Usage: phasectl explain [<phase> [<activity>]] --cycle C --report R [--as USER] [--action A] [--reason TEXT]

With a phase (and an activity), explains each of its transitions (or only --action):
every condition with ✔ (met), ✘ (unmet) or – (not checked), and what it would change.
With neither, lists the transitions the user may make now. Nothing is written.
  --action <action>    only this transition (phase: ${PHASE_ACTIONS.join(', ')};
                       activity: ${ACTIVITY_ACTIONS.join(', ')})
${TRANSITION_USAGE}
Exit codes: 0 explained (with --action: allowed or already so), 4 with --action: it would be refused,
2 usage error, unknown cycle/report/user, no database or database error.`,
  options: { ...TRANSITION_OPTIONS, action: { type: 'string' } },
  run(args, io) {
    const format = formatOf(args);
    const [phase, activity, ...rest] = args.positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
    const only = typeof args.values.action === 'string' ? args.values.action : undefined;
    const actions: readonly string[] = activity ? ACTIVITY_ACTIONS : PHASE_ACTIONS;
    if (only !== undefined && (!phase || !actions.includes(only))) {
      throw new UsageError(phase ? `unknown ${activity ? 'activity' : 'phase'} action '${only}' (use ${actions.join(', ')})` : '--action needs a phase');
    }
    const reason = typeof args.values.reason === 'string' ? args.values.reason : null;
    return withCliDatabase(args, io, async (db) => {
      const instance = await instanceOf(db, args);
      const actor = await actorOf(db, args, io);
      const loaded = await viewInstance(db, instance);
      const snapshot = loaded?.snapshot ?? null;
      if (!phase) {
        const options = snapshot ? allowed(snapshot, actor) : [];
        if (format === 'json') io.stdout(`${JSON.stringify({ actor: actor.name, allowed: options }, null, 2)}\n`);
        else io.stdout(snapshot ? allowedText(snapshot, actor) : formatExplanation(noInstanceExplanation({ kind: 'phase', action: 'start', phase: 'planning' }, instance)));
        return EXIT.ok;
      }
      const transitions: Transition[] = (only ? [only] : actions).map((action) =>
        activity ? { kind: 'activity', action: action as never, phase, activity, reason } : { kind: 'phase', action: action as never, phase, reason });
      const explained: Explanation[] = transitions.map((t) => (snapshot ? explain(snapshot, t, actor) : noInstanceExplanation(t, instance)));
      if (format === 'json') {
        io.stdout(`${JSON.stringify({ actor: actor.name, explanations: explained.map(explanationJson) }, null, 2)}\n`);
      } else {
        const header = `as ${who(actor)}${loaded && !loaded.hasDefinition ? '; no synced definition recorded: default rules (each phase depends on the previous one, none skippable)' : ''}\n\n`;
        io.stdout(withZones(header + explained.map((e) => formatExplanation(e)).join('\n')));
      }
      return only && explained[0]?.verdict === 'refused' ? EXIT.transitionRefused : EXIT.ok;
    }, { mustExist: true });
  },
};
