// Called by `npm test` (scripts/run-tests.mjs) after the unit suites: runs the end-to-end
// part when its harness is installed (`npm run e2e:setup`): `npm run test:e2e`, then the
// runner's own tests (test/e2e/runner). Without the harness it says so and passes, except
// when CI is set: CI must never pass by skipping.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

// Whether the harness is installed is decided in one place (scripts/e2e/harness.ts).
const probe = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'e2e', 'check-installed.ts')], { cwd: root, stdio: 'inherit' });
if (probe.status === 3) {
  const where = process.env.CI ? 'FAILED' : 'SKIPPED';
  console.error(
    `\n${where}: the end-to-end tests (a real VS Code via code-server + headless Chromium) did not run: ` +
      'their harness is not installed.\n' +
      'Install it with `npm run e2e:setup` (Node 24 and code-server into .e2e-cache/, about 3 minutes once);\n' +
      'it needs the Debian packages libkrb5-dev build-essential python3 pkg-config chromium fonts-dejavu-core\n' +
      '(`sudo scripts/e2e/ci-setup.sh` installs both). Then `npm run test:e2e` runs them.' +
      (process.env.CI ? '\nCI is set, so a missing harness is a failure.' : ''),
  );
  process.exit(process.env.CI ? 1 : 0);
}
if (probe.status !== 0) process.exit(probe.status ?? 1);

const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

console.log('\n== end-to-end: npm run test:e2e');
let status = run(['--import', 'tsx', join(root, 'scripts', 'e2e', 'run.ts')]);

const runnerDir = join(root, 'test', 'e2e', 'runner');
const runnerTests = existsSync(runnerDir) ? readdirSync(runnerDir).filter((f) => f.endsWith('.test.ts')).map((f) => join(runnerDir, f)) : [];
if (runnerTests.length > 0) {
  console.log('\n== end-to-end: the runner\'s own tests');
  const runner = run(['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...runnerTests]);
  if (runner !== 0) status = runner;
}
process.exit(status);
