/** The embedded database's folder in a workspace: its default name, and making a new one. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The default embedded database folder, relative to the working directory or workspace folder. */
export const DEFAULT_EMBEDDED_FOLDER = '.workflow-phases';

/** Creates `folder` when missing, with a `.gitignore` of `*`: the embedded database is local state, not source. */
export function prepareEmbeddedFolder(folder: string): void {
  if (existsSync(folder)) return;
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, '.gitignore'), '*\n');
}
