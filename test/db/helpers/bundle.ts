/**
 * Bundles a test helper script into one plain-JS file, so tests can start many real
 * processes of it without paying for the TypeScript loader in each one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as esbuild from 'esbuild';

/** Bundles `entry` (a .ts file) and resolves to the path of the .js file. */
export async function bundleScript(entry: string): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'wp-bundle-')), basename(entry).replace(/\.ts$/, '.js'));
  await esbuild.build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent', external: ['pg-native', '@electric-sql/pglite'] });
  return outfile;
}
