/**
 * The standard test-electron entry point: `runTests` with `vscodeExecutablePath` pointing at
 * code-server-shim.sh, so the Mocha suites of dist/e2e/suite run in code-server's
 * extension host. The workspace is a fresh copy of test/e2e/workspace (tests edit it).
 * Exits with the test run's exit code.
 */
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './harness';

async function main(): Promise<number> {
  const workspace = mkdtempSync(join(tmpdir(), 'workflow-phases-e2e-workspace-'));
  cpSync(join(ROOT, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  try {
    return await runTests({
      vscodeExecutablePath: join(ROOT, 'scripts', 'e2e', 'code-server-shim.sh'),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(ROOT, 'dist', 'e2e', 'suite', 'index.js'),
      // Named so runTests does not add its own profile folders; code-server makes throwaway ones.
      launchArgs: [workspace, '--user-data-dir=unused', '--extensions-dir=unused'],
      extensionTestsEnv: { E2E_WORKSPACE: workspace },
    });
  } catch (error) {
    // runTests rejects with TestRunFailedError when the tests fail: the report is already printed.
    const code = (error as { code?: number }).code;
    if (code === undefined) console.error(`host-tests: ${String(error)}`);
    return code || 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
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
