/** The commands that touch a database, bundled apart (`dist/phasectl-db.js`): loaded only when one runs. */
export { activityCommand } from '../commands/activity';
export { cycleCommand } from '../commands/cycle';
export { dbCommand } from '../commands/db';
export { demoCommand } from '../commands/demo';
export { explainCommand } from '../commands/explain';
export { historyCommand } from '../commands/history';
export { initCommand } from '../commands/init';
export { migrateLegacyCommand } from '../commands/migrate-legacy';
export { phaseCommand } from '../commands/phase';
export { planCommand } from '../commands/plan';
export { reportCommand } from '../commands/report';
export { statusCommand } from '../commands/status';
export { syncCommand } from '../commands/sync';
export { userCommand } from '../commands/user';
export { watchCommand } from '../commands/watch';
