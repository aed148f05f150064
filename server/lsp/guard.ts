/** Handlers that never take the server down: a thrown error answers an empty result and is logged. */
import type { Connection } from 'vscode-languageserver/node';

/** Wraps `handler` so that a throw logs through the connection, reports it, and answers `fallback`. */
export function guard<P extends unknown[], R>(
  connection: Connection,
  name: string,
  fallback: R,
  onError: (where: string, error: unknown) => void,
  handler: (...params: P) => R,
): (...params: P) => R {
  return (...params: P) => {
    try {
      return handler(...params);
    } catch (error) {
      connection.console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      onError(name, error);
      return fallback;
    }
  };
}
