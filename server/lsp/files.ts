/** Definition files on disk: which names count, the workspace scan, and reading a file. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** True when `uri` names a definition file (`*.phases.yaml` or `*.phases.yml`). */
export function isDefinitionUri(uri: string): boolean {
  return /\.phases\.ya?ml$/i.test(uri.split(/[?#]/)[0]!);
}

// Folders that never hold definitions worth validating, and can be huge.
const SKIP = new Set(['node_modules', '.git', 'dist', 'out', '.e2e-cache', 'test-output', '.workflow-phases']);

/** True when `uri` lies in a folder the workspace scan skips (a watcher may still report it). */
export function isSkippedUri(uri: string): boolean {
  return uri.split('/').some((segment) => SKIP.has(segment));
}

/** Every definition file under the folder `rootUri` (a `file://` URI), as URIs, sorted. */
export async function scanFolder(rootUri: string, limit = 10_000): Promise<string[]> {
  if (!rootUri.startsWith('file:')) return [];
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable or vanished: nothing to validate there
    }
    for (const entry of entries) {
      if (found.length >= limit) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name)) await walk(path);
      } else if (entry.isFile() && isDefinitionUri(entry.name)) {
        found.push(pathToFileURL(path).href);
      }
    }
  };
  await walk(fileURLToPath(rootUri));
  return found.sort();
}

/** The text of the file at `uri`, or undefined when it cannot be read (deleted, not a file URI). */
export async function readUri(uri: string): Promise<string | undefined> {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return await readFile(fileURLToPath(uri), 'utf8');
  } catch {
    return undefined;
  }
}
