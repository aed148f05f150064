/** Finding and reading definition files for the CLI: folders are searched, files read and decoded. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** The file names that hold definitions. */
export const DEFINITION_FILE = /\.phases\.ya?ml$/;

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', '.workflow-phases', '.e2e-cache']);

/** A definition file read from disk: its text, or why it has none. */
export type LoadedFile =
  | { readonly kind: 'text'; readonly path: string; readonly display: string; readonly text: string }
  | { readonly kind: 'not-text'; readonly path: string; readonly display: string; readonly reason: string; readonly line: number; readonly column: number }
  | { readonly kind: 'unreadable'; readonly path: string; readonly display: string; readonly reason: string };

/** What `findDefinitionFiles` found, and the paths it could not use. */
export interface FoundFiles {
  readonly files: string[];
  readonly errors: string[];
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(join(dir, entry.name), out);
    } else if (entry.isFile() && DEFINITION_FILE.test(entry.name)) {
      out.push(join(dir, entry.name));
    }
  }
}

/** Expands paths: a folder yields every `*.phases.yaml`/`*.phases.yml` below it; a file is taken as given. */
export function findDefinitionFiles(paths: readonly string[], cwd: string): FoundFiles {
  const files: string[] = [];
  const errors: string[] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    try {
      if (statSync(path).isDirectory()) walk(path, files);
      else files.push(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      errors.push(`${given}: ${code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
    }
  }
  return { files: [...new Set(files)], errors };
}

function position(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The offset of the first byte that is not part of a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return i;
}

/** Reads a definition file; a binary or non-UTF-8 file comes back with the reason and where. */
export function loadDefinitionFile(path: string, cwd: string): LoadedFile {
  const rel = relative(cwd, path);
  const display = rel && !rel.startsWith('..') ? rel : path;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { kind: 'unreadable', path, display, reason: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { kind: 'not-text', path, display, reason: 'this is a binary file, not YAML text (it contains a NUL byte)', ...position(bytes, nul) };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { kind: 'text', path, display, text };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return {
      kind: 'not-text',
      path,
      display,
      reason: `the file is not UTF-8 text (byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} cannot be decoded); save it as UTF-8`,
      ...position(bytes, at),
    };
  }
}
