/** `phasectl activity start|complete|block|unblock|skip|request-revision <phase> <activity>`. */
import { ACTIVITY_ACTIONS } from '../../core/index';
import type { ActivityAction } from '../../core/index';
import { UsageError } from '../command';
import type { Command } from '../command';
import { withCliDatabase } from '../database-option';
import { runCliTransition, TRANSITION_EXITS, TRANSITION_OPTIONS, TRANSITION_USAGE } from '../transition-target';

/** The command. */
export const activityCommand: Command = {
  name: 'activity',
  summary: 'Start, complete, block, unblock, skip an activity, or send it back for revision',
  usage: `Usage: phasectl activity <action> <phase> <activity> --cycle C --report R [--as USER] [--reason TEXT]

  start             NOT_STARTED or REVISION_REQUESTED -> IN_PROGRESS: phase IN_PROGRESS,
                    earlier required activities COMPLETED, your role; starting the START
                    activity starts its phase
  complete          IN_PROGRESS -> COMPLETED; completing the COMPLETE activity completes its phase
  block             IN_PROGRESS -> BLOCKED, with a reason
  unblock           BLOCKED -> IN_PROGRESS
  skip              NOT_STARTED -> SKIPPED: optional activities only
  request-revision  COMPLETED -> REVISION_REQUESTED, with a reason: an approver (the role of
                    a later APPROVAL that is IN_PROGRESS or COMPLETED) sends the work back;
                    that approval returns to NOT_STARTED
${TRANSITION_USAGE}
${TRANSITION_EXITS}`,
  options: TRANSITION_OPTIONS,
  run(args, io) {
    const [action, phase, activity, ...rest] = args.positionals;
    if (!action || !(ACTIVITY_ACTIONS as readonly string[]).includes(action)) {
      throw new UsageError(action ? `unknown action '${action}' (use ${ACTIVITY_ACTIONS.join(', ')})` : `missing action (${ACTIVITY_ACTIONS.join(', ')})`);
    }
    if (!phase || !activity) throw new UsageError(`missing ${phase ? 'activity' : 'phase'} name`);
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
    const reason = typeof args.values.reason === 'string' ? args.values.reason : null;
    return withCliDatabase(args, io, (db) => runCliTransition(db, args, io, { kind: 'activity', action: action as ActivityAction, phase, activity, reason }), { mustExist: true });
  },
};
