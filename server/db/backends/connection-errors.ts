/** Turns driver errors raised while connecting into `DatabaseError`s a user can act on. */
import { DatabaseError } from '../database';

/** The URL with its password replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

function where(url: string): { host: string; port: string; user: string; database: string } {
  try {
    const u = new URL(url);
    return {
      host: u.hostname || 'localhost',
      port: u.port || '5432',
      user: decodeURIComponent(u.username) || 'the default user',
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'the default database',
    };
  } catch {
    return { host: 'unknown host', port: '5432', user: 'unknown user', database: 'unknown database' };
  }
}

/** Maps an error from connecting to `url` to a clear `DatabaseError` (never showing the password). */
export function describeConnectionError(error: unknown, url: string): DatabaseError {
  const e = error as { code?: string; message?: string };
  const { host, port, user, database } = where(url);
  const at = `${host}:${port}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return new DatabaseError('unreachable', `cannot reach PostgreSQL at ${at}: connection refused (is the server running and listening there?)`, error);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DatabaseError('unreachable', `cannot reach PostgreSQL at ${at}: unknown host '${host}'`, error);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new DatabaseError('unreachable', `cannot reach PostgreSQL at ${at}: ${e.code}`, error);
    case '28P01':
    case '28000':
      return new DatabaseError('authentication', `PostgreSQL at ${at} refused user '${user}': wrong password or not allowed (${e.code})`, error);
    case '3D000':
      return new DatabaseError('no-database', `PostgreSQL at ${at} has no database '${database}' (create it first)`, error);
    default:
      break;
  }
  const message = (e.message ?? String(error)).replace(url, redactUrl(url));
  if (/timeout/i.test(message)) return new DatabaseError('unreachable', `cannot reach PostgreSQL at ${at}: connection timed out`, error);
  if (/password/i.test(message)) return new DatabaseError('authentication', `PostgreSQL at ${at} needs a password for user '${user}': ${message}`, error);
  return new DatabaseError('failed', `cannot open PostgreSQL at ${at}: ${message}`, error);
}
