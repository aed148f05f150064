/**
 * `npm run package`: a minified build, then `vsce package` into `workflow-phases-<version>.vsix`,
 * then a check of what the .vsix holds: exactly the files .vscodeignore lets in (the bundles,
 * the embedded database template, PGlite's runtime files, the rule pages, manifest, README,
 * LICENSE, icons),
 * nothing else and nothing missing. Prints the size of each. vsce runs on the e2e harness's
 * Node 24 when it is installed, else on this Node. `--out <file>` names the .vsix.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, harnessInstalled, harnessPaths } from './e2e/harness';

/** The files a line such as `docs/rules/*.md` names: `*` only in the last segment. */
function expandPattern(pattern: string): string[] {
  const star = pattern.lastIndexOf('*');
  if (star < 0) return [pattern];
  const folder = dirname(pattern);
  const [prefix, suffix] = pattern.slice(folder.length + 1).split('*') as [string, string];
  return readdirSync(join(ROOT, folder))
    .filter((name) => name.startsWith(prefix) && name.endsWith(suffix))
    .sort()
    .map((name) => `${folder}/${name}`);
}

/** The files a .vsix must hold (under `extension/`), as .vscodeignore lists them. */
export function expectedFiles(): string[] {
  const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8');
  return ignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .flatMap((line) => expandPattern(line.slice(1)));
}

/** The entries of a zip file. */
export function zipEntries(file: string): string[] {
  const listed = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`unzip -Z1 ${file} failed: ${listed.stderr}`);
  return listed.stdout.split('\n').filter((line) => line !== '' && !line.endsWith('/'));
}

function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

function main(): void {
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const outArg = process.argv.indexOf('--out');
  const out = outArg > 0 && process.argv[outArg + 1] ? process.argv[outArg + 1]! : join(ROOT, `workflow-phases-${version}.vsix`);
  run(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--minify']);
  const node = harnessInstalled() ? harnessPaths().node : process.execPath;
  run(node, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--out', out]);

  const entries = zipEntries(out).filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length));
  // vsce stores README.md as readme.md and LICENSE as LICENSE.txt.
  const stored: Record<string, string> = { 'README.md': 'readme.md', LICENSE: 'LICENSE.txt' };
  const expected = expectedFiles().map((f) => stored[f] ?? f);
  const extra = entries.filter((e) => !expected.includes(e));
  const missing = expected.filter((e) => !entries.includes(e));
  if (extra.length > 0 || missing.length > 0) {
    throw new Error(`the .vsix does not hold what .vscodeignore lists:${extra.length ? `\n  unexpected: ${extra.join(', ')}` : ''}${missing.length ? `\n  missing: ${missing.join(', ')}` : ''}`);
  }
  console.log(`\npackage: ${out} (${kib(statSync(out).size)}), ${entries.length} files:`);
  for (const entry of expectedFiles()) {
    const path = join(ROOT, entry);
    console.log(`  ${kib(existsSync(path) ? statSync(path).size : 0).padStart(9)}  ${entry}`);
  }
}

try {
  main();
} catch (error) {
  console.error(`package: ${(error as Error).message}`);
  process.exitCode = 1;
}
