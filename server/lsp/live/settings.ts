/**
 * The `workflowPhases` settings as the client sends them, and the database they name:
 * a PostgreSQL URL (never with a password), an embedded folder, or none. The default is
 * the embedded database in `.workflow-phases/` of the first workspace folder, when that
 * folder exists.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { LiveSettings } from '../../../schemas/lsp-protocol';
import { DEFAULT_EMBEDDED_FOLDER } from '../../db/embedded-folder';

/** The settings the server acts on, with defaults applied. */
export interface Settings {
  /** `database.url`, trimmed; empty = the default. */
  readonly url: string;
  /** `user`, trimmed; empty = `git config user.email`. */
  readonly user: string;
}

/** Where the live database is, or why there is none. */
export type LiveTarget =
  | { readonly kind: 'postgres'; readonly url: string }
  /** `create`: make the folder when it is missing (an explicit `embedded:` setting, or `createEmbedded`). */
  | { readonly kind: 'embedded'; readonly folder: string; readonly create: boolean }
  /** Nothing configured (`configured` false) or a setting that cannot be used (`configured` true). */
  | { readonly kind: 'none'; readonly reason: string; readonly configured: boolean };

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/**
 * Reads the section object (`{database: {url}, user}`); a flat `"database.url"` key is
 * accepted too, as some clients send dotted keys unexpanded. Anything else counts as unset.
 */
export function readSettings(section: unknown): Settings {
  const s = (typeof section === 'object' && section !== null ? section : {}) as LiveSettings & { readonly 'database.url'?: unknown };
  const nested = typeof s.database === 'object' && s.database !== null ? s.database.url : undefined;
  return { url: text(nested) || text(s['database.url']), user: text(s.user) };
}

/** The embedded folder of a workspace folder when nothing else is configured. */
export function defaultEmbeddedFolder(workspaceFolder: string): string {
  return join(workspaceFolder, DEFAULT_EMBEDDED_FOLDER);
}

const NOTHING_CONFIGURED =
  'no database is configured: create the embedded one (Workflow Phases: Use Embedded Database, or the workflowPhases/createEmbedded request) or set workflowPhases.database.url';

/** The database the settings name, relative to the first workspace folder (a path, or null when there is none). */
export function targetOf(settings: Settings, workspaceFolder: string | null): LiveTarget {
  const url = settings.url;
  if (url === '') {
    if (workspaceFolder === null) return { kind: 'none', reason: `${NOTHING_CONFIGURED} (and there is no workspace folder for an embedded one)`, configured: false };
    const folder = defaultEmbeddedFolder(workspaceFolder);
    return existsSync(folder) ? { kind: 'embedded', folder, create: false } : { kind: 'none', reason: NOTHING_CONFIGURED, configured: false };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { kind: 'none', reason: `workflowPhases.database.url is not a valid URL (expected postgres://user@host:port/database)`, configured: true };
    }
    if (parsed.password !== '') {
      return { kind: 'none', reason: 'workflowPhases.database.url holds a password: remove it from the setting (the server asks the editor for the password, which keeps it in its secret storage)', configured: true };
    }
    return { kind: 'postgres', url };
  }
  if (url.startsWith('embedded:')) {
    const given = url.slice('embedded:'.length).trim();
    if (given === '') return { kind: 'none', reason: 'workflowPhases.database.url is `embedded:` without a folder (e.g. embedded:.workflow-phases)', configured: true };
    if (!isAbsolute(given) && workspaceFolder === null) return { kind: 'none', reason: `embedded:${given} is relative, and there is no workspace folder to resolve it against`, configured: true };
    return { kind: 'embedded', folder: isAbsolute(given) ? given : resolve(workspaceFolder!, given), create: true };
  }
  return { kind: 'none', reason: `workflowPhases.database.url '${url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@')}' is neither a postgres:// URL nor embedded:<folder>`, configured: true };
}

/** Two targets name the same database. */
export function sameTarget(a: LiveTarget, b: LiveTarget): boolean {
  if (a.kind === 'postgres' && b.kind === 'postgres') return a.url === b.url;
  if (a.kind === 'embedded' && b.kind === 'embedded') return a.folder === b.folder;
  if (a.kind === 'none' && b.kind === 'none') return a.reason === b.reason;
  return false;
}
