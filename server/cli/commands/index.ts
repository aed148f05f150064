/** Every phasectl command, in the order `phasectl --help` lists them. Add yours here. */
import type { Command } from '../command';
import { dbCommand } from './db';
import { demoCommand } from './demo';
import { initCommand } from './init';
import { migrateLegacyCommand } from './migrate-legacy';
import { planCommand } from './plan';
import { statusCommand } from './status';
import { syncCommand } from './sync';
import { validateCommand } from './validate';
import { activityCommand } from './activity';
import { explainCommand } from './explain';
import { historyCommand } from './history';
import { phaseCommand } from './phase';
import { watchCommand } from './watch';
import { cycleCommand } from './cycle';
import { reportCommand } from './report';
import { userCommand } from './user';

/** The command table. */
export const COMMANDS: readonly Command[] = [validateCommand, planCommand, syncCommand, initCommand, statusCommand, phaseCommand, activityCommand, explainCommand, historyCommand, watchCommand, cycleCommand, reportCommand, userCommand, dbCommand, migrateLegacyCommand, demoCommand];
