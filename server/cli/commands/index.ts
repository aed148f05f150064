/**
 * Every phasectl command, in the order `phasectl --help` lists them. Add yours here (and
 * to `../entries/database.ts`). A command's module is loaded only when it runs: the build
 * puts `../entries/*` in bundles of their own, so `phasectl --version` loads nothing more
 * and `phasectl validate` no database driver.
 */
import type { Command } from '../command';

/** A command by name, and how to load it. */
export interface CommandEntry {
  readonly name: string;
  load(): Promise<Command>;
}

/** The command table. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'validate', load: async () => (await import('../entries/validate')).validateCommand },
  { name: 'plan', load: async () => (await import('../entries/database')).planCommand },
  { name: 'sync', load: async () => (await import('../entries/database')).syncCommand },
  { name: 'init', load: async () => (await import('../entries/database')).initCommand },
  { name: 'status', load: async () => (await import('../entries/database')).statusCommand },
  { name: 'phase', load: async () => (await import('../entries/database')).phaseCommand },
  { name: 'activity', load: async () => (await import('../entries/database')).activityCommand },
  { name: 'explain', load: async () => (await import('../entries/database')).explainCommand },
  { name: 'history', load: async () => (await import('../entries/database')).historyCommand },
  { name: 'watch', load: async () => (await import('../entries/database')).watchCommand },
  { name: 'cycle', load: async () => (await import('../entries/database')).cycleCommand },
  { name: 'report', load: async () => (await import('../entries/database')).reportCommand },
  { name: 'user', load: async () => (await import('../entries/database')).userCommand },
  { name: 'db', load: async () => (await import('../entries/database')).dbCommand },
  { name: 'migrate-legacy', load: async () => (await import('../entries/database')).migrateLegacyCommand },
  { name: 'demo', load: async () => (await import('../entries/database')).demoCommand },
];
