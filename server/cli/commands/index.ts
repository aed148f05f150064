/** Every phasectl command, in the order `phasectl --help` lists them. Add yours here. */
import type { Command } from '../command';
import { validateCommand } from './validate';

/** The command table. */
export const COMMANDS: readonly Command[] = [validateCommand];
