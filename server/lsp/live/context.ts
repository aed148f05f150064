/** What the live request handlers share: the connection, the database, the acting user, the definition files. */
import type { Connection } from 'vscode-languageserver/node';
import type { Actor } from '../../core/index';
import { LiveErrorCodes, type ActingUser } from '../../../schemas/lsp-protocol';
import type { Database } from '../../db/database';
import type { Validator } from '../validation';
import type { LiveConnection } from './connection';
import { liveError } from './errors';

/** The handlers' view of the server. */
export interface LiveContext {
  readonly connection: Connection;
  readonly live: LiveConnection;
  readonly validator: Validator;
  /** Reports a bug (health `error`). */
  readonly onError: (where: string, error: unknown) => void;
  /** The first workspace folder's path, or null. */
  workspaceFolder(): string | null;
  /** The `source` transitions record: `vscode`, or the client's name. */
  readonly source: () => string;
}

/** The open database; a `noDatabase` error saying why there is none and what to do. */
export function requireDatabase(ctx: LiveContext): Database {
  const db = ctx.live.db;
  if (db) return db;
  const why = ctx.live.isEnabled ? ctx.live.unavailableReason() : 'the live database is off in Restricted Mode (trust the workspace to use it)';
  throw liveError(LiveErrorCodes.noDatabase, `No database is connected: ${why}.`);
}

/** The acting user, read again from the database (the users table may have changed). */
export async function actingUser(ctx: LiveContext): Promise<{ actor: Actor; user: ActingUser }> {
  const acting = await ctx.live.refreshUser();
  if (!acting) throw liveError(LiveErrorCodes.noDatabase, `No database is connected: ${ctx.live.unavailableReason()}.`);
  return acting;
}

/** A whole number parameter, or a `badRequest` error naming it. */
export function idParam(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw liveError(LiveErrorCodes.badRequest, `${name} must be a whole number (a database id), got ${JSON.stringify(value)}`);
  return value;
}

/** An optional string parameter, or a `badRequest` error naming it. */
export function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw liveError(LiveErrorCodes.badRequest, `${name} must be a string, got ${JSON.stringify(value)}`);
  return value;
}
