/**
 * phasectl in-process: `runCli` from the source, with what it prints captured and the exit
 * code it returns, in a working folder and an environment of the test's choosing. For
 * tests of what the commands do; tests of the binary itself (exit codes of the real
 * process, `validate`, many processes at once) spawn the built `dist/phasectl.js`.
 */
import assert from 'node:assert/strict';
import { runCli } from '../../server/cli/main';

/** What a run printed and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `phasectl ...args` in `cwd`, in the test's environment without DATABASE_URL and
 * PHASECTL_USER unless `env` gives them; asserts no stack trace reached the user.
 */
export async function runPhasectl(cwd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    env: { ...process.env, DATABASE_URL: '', PHASECTL_USER: '', ...env },
  });
  assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, `no stack trace on stderr: ${stderr}`);
  return { code, stdout, stderr };
}
