// The one test entry point (`npm test`): every `*.test.ts` under test/ through node's
// test runner, then the in-editor end-to-end suites when their harness is there.
// `node scripts/run-tests.mjs test/unit` runs only the files under the given paths.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const skipDirs = new Set(['fixtures', 'e2e', 'node_modules']);

function collect(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!skipDirs.has(name)) collect(path, out);
    } else if (name.endsWith('.test.ts')) {
      out.push(path);
    }
  }
  return out;
}

const filters = process.argv.slice(2).map((p) => join(root, p));
const files = collect(join(root, 'test'), []).filter((f) => filters.length === 0 || filters.some((p) => f.startsWith(p)));
if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}
console.log(`Running ${files.length} test files: ${files.map((f) => relative(root, f)).join(', ')}`);
const unit = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit', cwd: root });
let status = unit.status ?? 1;

const e2e = join(root, 'scripts', 'e2e', 'run-if-installed.mjs');
if (filters.length === 0 && existsSync(e2e)) {
  const run = spawnSync(process.execPath, [e2e], { stdio: 'inherit', cwd: root });
  if ((run.status ?? 1) !== 0) status = run.status ?? 1;
}
process.exit(status);
