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
export class UsageError extends Error {}

/** A failure the user can act on (unreachable database, unreadable path): printed, exit code `exitCode`. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** validate: at least one error diagnostic. */
  problems: 1,
  /** usage errors, unreadable paths, unreachable database. */
  usage: 2,
  /** sync: something was refused. */
  refused: 3,
  /** a transition was refused. */
  transitionRefused: 4,
} as const;
