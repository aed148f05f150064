/** What a phasectl command is, and the errors every command may raise. */
import type { ParseArgsConfig } from 'node:util';

/** Where a command writes, and what it runs in. Tests and the real process provide it. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Parsed arguments of a command. */
export interface CommandArgs {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/** One phasectl command (its first word; sub-commands are positionals). */
export interface Command {
  readonly name: string;
  /** One line for `phasectl --help`. */
  readonly summary: string;
  /** The usage lines shown by `phasectl <name> --help` and on usage errors. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Runs the command; resolves to the process exit code. */
  run(args: CommandArgs, io: CliIO): Promise<number>;
}

/** Wrong arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the user can act on (unreachable database, unreadable path): printed, exit code `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

/**
 * Whether `error` is a `UsageError` / `CliError`. By name, not `instanceof`: each phasectl
 * bundle (`dist/phasectl*.js`) carries its own copy of these classes.
 */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof Error && error.name === 'UsageError';
}

/** Whether `error` is a `CliError` (by name; see `isUsageError`). */
export function isCliError(error: unknown): error is CliError {
  return error instanceof Error && error.name === 'CliError' && typeof (error as CliError).exitCode === 'number';
}

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** The input has problems: validation errors, unknown cycles or reports, a value too long for its column. */
  problems: 1,
  /** Usage errors, unreadable paths, nothing found, no or unreachable database, tables owned by a host application. */
  usage: 2,
  /** sync: something was refused because it would lose progress. */
  refused: 3,
  /** A transition was refused. */
  transitionRefused: 4,
  /** The database changed under the command, or the connection dropped: nothing was written, run it again. */
  retry: 5,
  /** A bug in phasectl: please report it. */
  internal: 70,
} as const;

/** Every exit code with what it means, for `phasectl --help` (the README lists the same). */
export const EXIT_CODES: readonly (readonly [code: number, meaning: string])[] = [
  [EXIT.ok, 'done (for a transition: done or already so)'],
  [EXIT.problems, 'problems in the input: validation errors, unknown cycles or reports, a value too long for the database'],
  [EXIT.usage, 'usage error, path not found or nothing to check, no database or unreachable, host application tables'],
  [EXIT.refused, 'sync refused a change that would lose progress (nothing written unless --allow-partial)'],
  [EXIT.transitionRefused, 'a transition was refused (every unmet condition printed; nothing written)'],
  [EXIT.retry, 'the database changed meanwhile or the connection dropped: nothing was written, run it again'],
  [EXIT.internal, 'internal error: a bug in phasectl, please report it'],
];
