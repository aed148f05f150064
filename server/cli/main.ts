/** phasectl: validate, plan, sync and drive Workflow Phases from a terminal or CI. */
import { parseArgs } from 'node:util';
import { EXIT, EXIT_CODES, isCliError, isUsageError } from './command';
import type { CliIO } from './command';
import { COMMANDS } from './commands/index';

const VERSION = '0.1.0';

async function help(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'phasectl — Workflow Phases on the command line',
    '',
    'Usage: phasectl <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `phasectl <command> --help` for a command\'s options.',
    'Database commands take --db postgres://… or --db embedded:<folder> (default: $DATABASE_URL,',
    'else ./.workflow-phases); --as defaults to $PHASECTL_USER.',
    '',
    'Exit codes:',
    ...EXIT_CODES.map(([code, meaning]) => `  ${String(code).padStart(2)}  ${meaning}`),
    '',
  ].join('\n');
}

/**
 * The exit code and message for an error a command threw: usage (2), a `CliError`'s own
 * code, input too deeply nested to process (1), and anything else a bug (70).
 */
export function exitFor(error: unknown, command: { name: string; usage: string }): { code: number; message: string } {
  const prefix = `phasectl ${command.name}`;
  if (isUsageError(error) || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    return { code: EXIT.usage, message: `${prefix}: ${(error as Error).message}\n\n${command.usage.trimEnd()}\n` };
  }
  if (isCliError(error)) return { code: error.exitCode, message: `${prefix}: ${error.message}\n` };
  // Recursion over a user's document is the only deep recursion here: the input, not a bug.
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return { code: EXIT.problems, message: `${prefix}: the input is nested too deeply to process (${error.message}); nothing was written\n` };
  }
  return { code: EXIT.internal, message: `${prefix}: internal error (please report): ${(error as Error).stack ?? String(error)}\n` };
}

/** Runs phasectl with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(await help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const { didYouMean } = await import('./entries/validate');
    const guess = didYouMean(name, COMMANDS.map((c) => c.name));
    io.stderr(`phasectl: unknown command '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}\n\n${await help()}`);
    return EXIT.usage;
  }
  const command = await entry.load();
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${command.usage.trimEnd()}\n`);
      return EXIT.ok;
    }
    const parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
    return await command.run({ values: parsed.values, positionals: parsed.positionals }, io);
  } catch (error) {
    const { code, message } = exitFor(error, command);
    io.stderr(message);
    return code;
  }
}

if (require.main === module) {
  // A reader that stops early (`phasectl status | head`) is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const io: CliIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
  };
  void runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
