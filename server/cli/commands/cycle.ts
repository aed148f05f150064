/** `phasectl cycle add|list`: the test cycles of a standalone database. */
import { hostRowCommand } from '../host-row-command';

/** The command. */
export const cycleCommand = hostRowCommand('cycle');
