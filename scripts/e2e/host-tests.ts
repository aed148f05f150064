/**
 * The standard test-electron entry point: `runTests` with `vscodeExecutablePath` pointing at
 * code-server-shim.sh, so the Mocha suites of dist/e2e/suite run in code-server's
 * extension host. The workspace is a fresh copy of test/e2e/workspace (tests edit it);
 * the live suites get their own PostgreSQL database (E2E_PG_URL), dropped afterwards.
 *
 * `--installed`: the extension under test is the packaged one: `npm run package` makes a
 * .vsix, code-server installs it into the session's extensions folder, and the
 * development path is a runner extension holding only the bundled suites.
 * Exits with the test run's exit code.
 */
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres';
import { SUITE_OUT_DIR } from './build-tests';
import { ROOT } from './harness';

/** Packages the extension into `dir` and returns the .vsix path. */
function packageInto(dir: string): string {
  const vsix = join(dir, 'workflow-phases.vsix');
  const made = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'package.ts'), '--out', vsix], { cwd: ROOT, stdio: 'inherit' });
  if (made.status !== 0) throw new Error(`npm run package failed (exit ${made.status ?? made.signal})`);
  return vsix;
}

/** A development extension that contributes nothing: only the bundled suites, run against the installed extension. */
function runnerExtension(dir: string): string {
  const runner = join(dir, 'runner');
  mkdirSync(runner, { recursive: true });
  writeFileSync(
    join(runner, 'package.json'),
    JSON.stringify({ name: 'workflow-phases-e2e-runner', displayName: 'Workflow Phases e2e runner', publisher: 'workflow-phases', version: '0.0.0', engines: { vscode: '^1.100.0' } }, null, 2),
  );
  cpSync(SUITE_OUT_DIR, join(runner, 'suite'), { recursive: true });
  return runner;
}

async function main(): Promise<number> {
  const installed = process.argv.includes('--installed');
  const scratch = mkdtempSync(join(tmpdir(), 'workflow-phases-e2e-host-'));
  const workspace = join(scratch, 'workspace');
  cpSync(join(ROOT, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  let database: TestDatabase | null = null;
  try {
    database = await createTestDatabase('e2e_host');
    const vsix = installed ? packageInto(scratch) : undefined;
    const extensionDevelopmentPath = installed ? runnerExtension(scratch) : ROOT;
    console.log(installed ? `host-tests: the suites run against the installed ${vsix}` : 'host-tests: the suites run against the extension in development mode');
    return await runTests({
      vscodeExecutablePath: join(ROOT, 'scripts', 'e2e', 'code-server-shim.sh'),
      extensionDevelopmentPath,
      extensionTestsPath: join(extensionDevelopmentPath, ...(installed ? ['suite'] : ['dist', 'e2e', 'suite']), 'index.js'),
      // Named so runTests does not add its own profile folders; code-server makes throwaway ones.
      launchArgs: [workspace, '--user-data-dir=unused', '--extensions-dir=unused'],
      extensionTestsEnv: {
        E2E_WORKSPACE: workspace,
        ...(database ? { E2E_PG_URL: database.url } : {}),
        ...(vsix ? { E2E_INSTALL_VSIX: vsix } : {}),
      },
    });
  } catch (error) {
    // runTests rejects with TestRunFailedError when the tests fail: the report is already printed.
    const code = (error as { code?: number }).code;
    if (code === undefined) console.error(`host-tests: ${String(error)}`);
    return code || 1;
  } finally {
    await database?.drop().catch((error: unknown) => console.error(`host-tests: dropping ${database?.name ?? ''}: ${String(error)}`));
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`host-tests: ${String(error)}`);
    process.exitCode = 1;
  },
);
