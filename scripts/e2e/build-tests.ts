/**
 * Bundles the in-editor Mocha suites (test/e2e/suite/*.ts) into dist/e2e/suite/, inside
 * the extension folder as the extension host requires. `vscode` comes from the host;
 * Mocha is bundled into the index, which loads each suite file at run time.
 */
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness';

/** Where the bundled suites go. */
export const SUITE_OUT_DIR = join(ROOT, 'dist', 'e2e', 'suite');

/** Bundles the index and every `*.test.ts` of test/e2e/suite. */
export async function buildSuites(): Promise<void> {
  const source = join(ROOT, 'test', 'e2e', 'suite');
  const entries = readdirSync(source)
    .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
    .map((f) => join(source, f));
  rmSync(SUITE_OUT_DIR, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries,
    outdir: SUITE_OUT_DIR,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'pg-native'],
    logLevel: 'warning',
    // Mocha's parallel mode (worker files found by require.resolve) is not used in the host.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
}
