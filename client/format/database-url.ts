/**
 * PostgreSQL URLs and passwords, without editor API (unit-tested): a password typed into
 * the URL is split off, and settings on their way to the server never carry one.
 */
import { SETTINGS_SECTION } from '../../schemas/lsp-protocol';

/** Whether `url` is a PostgreSQL URL (as opposed to `embedded:` or empty). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim());
}

/** A URL split into the URL without its password and the password it held (null when none). */
export interface SplitUrl {
  readonly url: string;
  readonly password: string | null;
}

/**
 * Removes the password from a `postgres://user:password@host/db` URL. Anything that is not
 * a PostgreSQL URL, or has no password, comes back unchanged with `password: null`.
 */
export function splitPassword(url: string): SplitUrl {
  if (!isPostgresUrl(url)) return { url, password: null };
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { url, password: null };
  }
  if (parsed.password === '') return { url, password: null };
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), password };
}

/**
 * A settings value on its way to the server, without any password: a URL typed with one
 * is sent without it (the server asks for passwords with `workflowPhases/password`).
 */
export function withoutPassword(section: string | undefined, value: unknown): unknown {
  const strip = (url: unknown) => (typeof url === 'string' ? splitPassword(url).url : url);
  if (section === `${SETTINGS_SECTION}.database.url`) return strip(value);
  const database = (container: unknown) => (container && typeof container === 'object' ? { ...container, url: strip((container as { url?: unknown }).url) } : container);
  if (section === `${SETTINGS_SECTION}.database`) return database(value);
  if (section === SETTINGS_SECTION && value && typeof value === 'object') {
    const settings = value as { database?: unknown };
    return { ...settings, database: database(settings.database) };
  }
  return value;
}

