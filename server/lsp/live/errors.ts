/**
 * Live request handlers that never take the server down: a database failure answers
 * `LiveErrorCodes.databaseError` with what to do, a bug answers an internal error, is
 * logged and turns the server's health to `error`.
 */
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import { LiveErrorCodes } from '../../../schemas/lsp-protocol';
import { DatabaseError } from '../../db/database';
import { TransitionError } from '../../db/transitions/index';

/** A request error with one of the `LiveErrorCodes`. */
export function liveError(code: (typeof LiveErrorCodes)[keyof typeof LiveErrorCodes], message: string): ResponseError<void> {
  return new ResponseError(code, message);
}

// SQLSTATE classes of a database that went away or refused (not a bug of ours): connection
// exceptions, operator intervention (terminated), insufficient resources, system errors.
const DATABASE_GONE = /^(08|57|53|58)/;
const SOCKET_GONE = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

function isDatabaseFailure(error: unknown): boolean {
  if (error instanceof DatabaseError || error instanceof TransitionError) return true;
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && (DATABASE_GONE.test(e.code) || SOCKET_GONE.has(e.code))) return true;
  return typeof e.message === 'string' && /Connection terminated|connection (is )?closed|Client has encountered a connection error|PGlite is closed/i.test(e.message);
}

/**
 * Wraps an async handler: errors it means (ResponseError) pass through; database
 * failures become `databaseError`; anything else is a bug: logged, reported, answered.
 */
export function liveHandler<P, R>(
  connection: Connection,
  name: string,
  onError: (where: string, error: unknown) => void,
  handler: (params: P) => Promise<R>,
): (params: P) => Promise<R> {
  return async (params: P) => {
    try {
      return await handler(params);
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (isDatabaseFailure(error)) {
        throw liveError(LiveErrorCodes.databaseError, `${message} (the server reconnects by itself; try again once the database is back)`);
      }
      connection.console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
      onError(name, error);
      throw new ResponseError(ErrorCodes.InternalError, `internal error in ${name}: ${message} (see the Workflow Phases log)`);
    }
  };
}
