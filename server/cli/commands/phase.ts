/** `phasectl phase start|complete|reopen|skip <phase>`: move a phase, under the business rules. */
import { PHASE_ACTIONS } from '../../core/index';
import type { PhaseAction } from '../../core/index';
import { UsageError } from '../command';
import type { Command } from '../command';
import { withCliDatabase } from '../database-option';
import { runCliTransition, TRANSITION_EXITS, TRANSITION_OPTIONS, TRANSITION_USAGE } from '../transition-target';

/** The command. */
export const phaseCommand: Command = {
  name: 'phase',
  summary: 'Start, complete, reopen or skip a phase of a (cycle, report)',
  usage: `Usage: phasectl phase start|complete|reopen|skip <phase> --cycle C --report R [--as USER] [--reason TEXT]

  start     NOT_STARTED -> IN_PROGRESS: every depends_on phase COMPLETED or SKIPPED
  complete  IN_PROGRESS -> COMPLETED: every required activity COMPLETED, optional ones
            COMPLETED or SKIPPED, none IN_PROGRESS, BLOCKED or REVISION_REQUESTED
  reopen    COMPLETED -> IN_PROGRESS: test_executive or admin, a reason, no phase that
            depends on it IN_PROGRESS
  skip      NOT_STARTED -> SKIPPED: the definition says skippable, a reason
${TRANSITION_USAGE}
${TRANSITION_EXITS}`,
  options: TRANSITION_OPTIONS,
  run(args, io) {
    const [action, phase, ...rest] = args.positionals;
    if (!action || !(PHASE_ACTIONS as readonly string[]).includes(action)) {
      throw new UsageError(action ? `unknown action '${action}' (use ${PHASE_ACTIONS.join(', ')})` : `missing action (${PHASE_ACTIONS.join(', ')})`);
    }
    if (!phase) throw new UsageError('missing phase name');
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
    const reason = typeof args.values.reason === 'string' ? args.values.reason : null;
    return withCliDatabase(args, io, (db) => runCliTransition(db, args, io, { kind: 'phase', action: action as PhaseAction, phase, reason }), { mustExist: true });
  },
};
