/** `phasectl report add|list`: the reports of a standalone database. */
import { hostRowCommand } from '../host-row-command';

/** The command. */
export const reportCommand = hostRowCommand('report');
