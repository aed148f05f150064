/** Every phasectl command, in the order `phasectl --help` lists them. Add yours here. */
import type { Command } from '../command';

/** The command table. */
export const COMMANDS: readonly Command[] = [];
