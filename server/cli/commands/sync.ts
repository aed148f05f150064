/** `phasectl sync`: definition files -> rows of workflow_phases and workflow_activities. */
import type { Command } from '../command';
import { DATABASE_OPTIONS, DATABASE_USAGE } from '../database-option';
import { CREATE_MISSING_USAGE, PLAN_EXITS, runPlanOrSync } from './plan';

/** `phasectl sync`. */
export const syncCommand: Command = {
  name: 'sync',
  summary: 'Write definition files to the database (workflow_phases, workflow_activities)',
  usage: `Usage: phasectl sync [files or folders...] [--format text|json] [--allow-partial] [--force] [--create-missing] [--db <target>]

Validates the definition files, plans, and applies the plan in one transaction. An
unchanged workflow is recognised by its content hash and nothing is written.
  --allow-partial      when some changes are refused, still write the others (exit code stays 3)
  --force              compare every row even when the stored content hash matches
${CREATE_MISSING_USAGE}
${DATABASE_USAGE}
${PLAN_EXITS} (nothing written unless --allow-partial).`,
  options: { format: { type: 'string', short: 'f', default: 'text' }, 'allow-partial': { type: 'boolean' }, force: { type: 'boolean' }, 'create-missing': { type: 'boolean' }, ...DATABASE_OPTIONS },
  run: (args, io) => runPlanOrSync(args, io, false),
};
