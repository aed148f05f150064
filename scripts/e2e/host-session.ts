/**
 * Runs extension tests inside the real extension host of code-server, standing in for the
 * VS Code executable that `@vscode/test-electron`'s `runTests` spawns (through
 * code-server-shim.sh). It takes the same arguments (`--extensionDevelopmentPath=`,
 * `--extensionTestsPath=`, a folder), opens the workbench in headless Chromium with the
 * smoke-test driver's `payload`, prints the extension host's console (Mocha's report) and
 * exits with the test run's exit code. On failure it keeps the logs and a screenshot.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { launchBrowser, type BrowserSession } from './browser';
import { startCodeServer, type CodeServer } from './code-server';
import { OUTPUT_DIR } from './harness';
import { payloadUrl } from './workbench-url';

/** What runTests passed us. */
export interface HostSessionArgs {
  readonly extensionDevelopmentPath: string;
  readonly extensionTestsPath: string;
  readonly folder: string | undefined;
}

/** Reads the arguments runTests passes to "VS Code"; Electron-only flags are ignored. */
export function parseHostArgs(argv: readonly string[]): HostSessionArgs {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const extensionDevelopmentPath = value('extensionDevelopmentPath');
  const extensionTestsPath = value('extensionTestsPath');
  if (!extensionDevelopmentPath || !extensionTestsPath) {
    throw new Error('host-session: --extensionDevelopmentPath= and --extensionTestsPath= are required');
  }
  const folder = argv.find((a) => !a.startsWith('-'));
  return { extensionDevelopmentPath: resolve(extensionDevelopmentPath), extensionTestsPath: resolve(extensionTestsPath), folder: folder && resolve(folder) };
}

/** Printed by test/e2e/suite/index.ts when Mocha starts: the host's output is shown from there. */
export const SUITE_START_MARKER = 'Workflow Phases e2e:';

/**
 * The workbench logs into the same channel as the extension host's console, at the same
 * level as Mocha's report; these lines of it are left out of the printed report (the kept
 * log has everything).
 */
const WORKBENCH_NOISE =
  /^(\[(AgentHost|ChatModelSelection|AccountPolicyGate|Service Worker|reconnection-grace-time)\]|Resolv(ing|ed) connection token|Creating a socket|Creation of workbench contribution|Updating additional builtin|Timed out waiting for authentication provider|getaddrinfo ENOTFOUND)/;

function formatLogArgs(args: unknown): string {
  const list: unknown[] = Array.isArray(args) ? args : [args];
  return format(...list);
}

async function runSession(args: HostSessionArgs, deadline: number, logDir: string): Promise<number> {
  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  const hostLog: string[] = [];
  let printing = false;
  let code = 1;
  try {
    // E2E_INSTALL_VSIX (set by host-tests.ts --installed): the extension under test is installed, not loaded from source.
    const vsix = process.env.E2E_INSTALL_VSIX;
    server = await startCodeServer({ smokeTestDriver: true, ...(vsix ? { installExtensions: [vsix] } : {}) });
    browser = await launchBrowser();
    const { page } = browser;
    let resolveExit: (code: number) => void = () => undefined;
    const exit = new Promise<number>((done) => {
      resolveExit = done;
    });
    await page.exposeFunction('codeAutomationExit', (exitCode: number) => resolveExit(exitCode));
    await page.exposeFunction('codeAutomationLog', (type: string, logArgs: unknown) => {
      const line = formatLogArgs(logArgs);
      hostLog.push(`[${type}] ${line}`);
      printing ||= line.startsWith(SUITE_START_MARKER);
      if (printing && !WORKBENCH_NOISE.test(line)) (type === 'error' ? process.stderr : process.stdout).write(line + '\n');
    });
    page.on('pageerror', (error) => hostLog.push(`[page error] ${error.message}`));
    await page.goto(payloadUrl(server.origin, args));

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout('timeout'), Math.max(0, deadline - Date.now()));
    });
    const result = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      console.error(`host-session: the extension tests did not finish before the deadline; stopping them.`);
      code = 1;
    } else {
      code = result;
    }
    if (code !== 0) {
      mkdirSync(logDir, { recursive: true });
      await page.screenshot({ path: join(logDir, 'failure.png') }).catch(() => undefined);
    }
  } catch (error) {
    console.error(`host-session: ${(error as Error).stack ?? String(error)}`);
    code = 1;
  } finally {
    if (code !== 0) {
      // The tests never started (no Mocha report was printed): show how the host's log ends.
      if (!printing) console.error(`host-session: the last lines of the workbench and extension host log:\n${hostLog.slice(-40).join('\n')}`);
      mkdirSync(logDir, { recursive: true });
      writeFileSync(join(logDir, 'extension-host.log'), hostLog.join('\n') + '\n');
      server?.saveLogs(logDir);
      console.error(`host-session: logs and a screenshot are kept in ${logDir}`);
    }
    await browser?.close();
    await server?.stop();
  }
  return code;
}

async function main(): Promise<void> {
  const args = parseHostArgs(process.argv.slice(2));
  // The runner hands down its hard deadline; a session started by hand gets ten minutes.
  const deadline = Number(process.env.E2E_DEADLINE) || Date.now() + 600_000;
  const logDir = join(OUTPUT_DIR, 'logs', 'extension-host');
  process.exitCode = await runSession(args, deadline - 5_000, logDir);
}

main().catch((error: unknown) => {
  console.error(`host-session: ${String(error)}`);
  process.exitCode = 1;
});
