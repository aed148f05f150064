/** phasectl: validate, plan, sync and drive Workflow Phases from a terminal or CI. */
import { parseArgs } from 'node:util';
import { didYouMean } from '../core/index';
import { CliError, EXIT, UsageError } from './command';
import type { CliIO } from './command';
import { COMMANDS } from './commands/index';

const VERSION = '0.1.0';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'phasectl — Workflow Phases on the command line',
    '',
    'Usage: phasectl <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `phasectl <command> --help` for a command\'s options.',
    '',
  ].join('\n');
}

/** Runs phasectl with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const guess = didYouMean(name, COMMANDS.map((c) => c.name));
    io.stderr(`phasectl: unknown command '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}\n\n${help()}`);
    return EXIT.usage;
  }
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${command.usage.trimEnd()}\n`);
      return EXIT.ok;
    }
    const parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
    return await command.run({ values: parsed.values, positionals: parsed.positionals }, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`phasectl ${command.name}: ${(error as Error).message}\n\n${command.usage.trimEnd()}\n`);
      return EXIT.usage;
    }
    if (error instanceof CliError) {
      io.stderr(`phasectl ${command.name}: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`phasectl ${command.name}: internal error (please report): ${(error as Error).stack ?? String(error)}\n`);
    return 70;
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
