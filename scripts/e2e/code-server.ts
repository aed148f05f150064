/**
 * Starts and stops code-server (a real VS Code) for one test session: a free loopback
 * port, no auth, and a throwaway profile (user data, extensions, XDG folders) in a
 * temporary folder that `stop()` removes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harnessPaths } from './harness';
import { groupAlive, recordProcessGroup, signalGroup, waitForGroupExit } from './processes';

/** A running code-server. */
export interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  /** Its throwaway folder: profile, logs, config. */
  readonly home: string;
  /** Copies code-server's and VS Code's logs into `dir` (kept when a run fails). */
  saveLogs(dir: string): void;
  /** Stops it and every child process, then removes the throwaway folder. */
  stop(): Promise<void>;
}

/** What a session needs from code-server. */
export interface CodeServerOptions {
  /** Turns on the smoke-test driver, which reads extension development options from the URL. */
  readonly smokeTestDriver?: boolean;
  /** Extra environment for code-server and so for the extension host it starts. */
  readonly env?: NodeJS.ProcessEnv;
  /** Keeps workspace trust on (the start-up trust prompt appears); off by default. */
  readonly workspaceTrust?: boolean;
  /** How long to wait for `/healthz` to answer (default 30 s). */
  readonly readyWithinMs?: number;
  /** `.vsix` files installed into the session's extensions folder before it starts. */
  readonly installExtensions?: readonly string[];
}

/**
 * User settings of the throwaway profile: no network look-ups (there is no internet), no
 * chat or Git work in the background, so the machine's time goes to the tests.
 */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'github.gitAuthentication': false,
};

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function healthy(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/healthz`);
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts code-server and resolves once `/healthz` answers. */
export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const paths = harnessPaths();
  const home = mkdtempSync(join(tmpdir(), 'workflow-phases-e2e-'));
  const dirs = { userData: join(home, 'user-data'), extensions: join(home, 'extensions'), xdgConfig: join(home, 'config'), xdgData: join(home, 'data') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'));
  const settings = { ...SETTINGS, 'security.workspace.trust.enabled': Boolean(options.workspaceTrust) };
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  for (const vsix of options.installExtensions ?? []) {
    // The same binary and folders as the session: what a user's `code-server --install-extension` does.
    const installed = spawnSync(paths.node, [paths.codeServerEntry, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData },
    });
    if (installed.status !== 0 || !/was successfully installed/.test(installed.stdout)) {
      rmSync(home, { recursive: true, force: true });
      throw new Error(`code-server --install-extension ${vsix} failed (exit ${installed.status ?? installed.signal}):\n${installed.stdout}${installed.stderr}`);
    }
    console.log(`code-server: ${installed.stdout.trim().split('\n').pop() ?? ''}`);
  }
  const port = await freePort();
  const config = join(home, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

  const args = [
    paths.codeServerEntry,
    '--config', config,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const log = createWriteStream(join(home, 'code-server.log'));
  // Its own process group, so that stop() (or the runner's reaper) reaches every child.
  const child = spawn(paths.node, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData },
  });
  const pgid = child.pid;
  recordProcessGroup(pgid, 'code-server');
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `code-server exited (${code ?? signal}) before it was ready; see ${join(home, 'code-server.log')}`;
  });

  const origin = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (pgid && groupAlive(pgid)) {
      signalGroup(pgid, 'SIGTERM');
      if (!(await waitForGroupExit(pgid, 5000))) signalGroup(pgid, 'SIGKILL');
      await waitForGroupExit(pgid, 2000);
    }
    log.end();
    rmSync(home, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.readyWithinMs ?? 30_000);
  while (!(await healthy(origin))) {
    if (exited || Date.now() > deadline) {
      const reason = exited ?? `code-server did not answer ${origin}/healthz in time`;
      await stop();
      throw new Error(reason);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    origin,
    port,
    home,
    saveLogs(dir) {
      mkdirSync(dir, { recursive: true });
      for (const [from, to] of [[join(home, 'code-server.log'), 'code-server.log'], [join(dirs.userData, 'logs'), 'vscode-logs']] as const) {
        if (existsSync(from)) cpSync(from, join(dir, to), { recursive: true });
      }
    },
    stop,
  };
}
