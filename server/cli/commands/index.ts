/** Every phasectl command, in the order `phasectl --help` lists them. Add yours here. */
import type { Command } from '../command';
import { dbCommand } from './db';
import { demoCommand } from './demo';
import { initCommand } from './init';
import { planCommand } from './plan';
import { statusCommand } from './status';
import { syncCommand } from './sync';
import { validateCommand } from './validate';

/** The command table. */
export const COMMANDS: readonly Command[] = [validateCommand, planCommand, syncCommand, initCommand, statusCommand, dbCommand, demoCommand];
