/**
 * Tests of the e2e runner itself (run by scripts/e2e/run-if-installed.mjs after the suites):
 * a failing Mocha test inside the extension host makes `npm run test:e2e` exit non-zero and
 * keeps a screenshot and the logs; a hung run is stopped by the deadline; and neither
 * leaves a code-server process behind.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, ROOT, harnessInstalled } from '../../../scripts/e2e/harness';

/** The runs below write here, not over the screenshots of the real run in test-output/e2e. */
const OUTPUT_DIR = join(ROOT, 'test-output', 'e2e-runner');

/**
 * Runs `npm run test:e2e -- --suites-only` with `env`; returns its exit code and output. The
 * suites run from the development path: packaging is not what these tests are about, and it
 * would eat into the short deadline of the hung run.
 */
function runE2e(env: Record<string, string>): { status: number | null; output: string } {
  const run = spawnSync('npm', ['run', 'test:e2e', '--', '--suites-only'], {
    cwd: ROOT,
    env: { ...process.env, E2E_OUTPUT_DIR: OUTPUT_DIR, E2E_FROM_SOURCE: '1', ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

/** Command lines of live processes started from this worktree's harness (code-server and its children). */
function harnessProcesses(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(CACHE_DIR)) found.push(`${pid}: ${cmdline.slice(0, 160)}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const logs = join(OUTPUT_DIR, 'logs', 'extension-host');

describe('npm run test:e2e', { skip: !harnessInstalled() && 'the e2e harness is not installed', concurrency: 1 }, () => {
  test('exits non-zero when a Mocha test fails inside the extension host, keeping a screenshot and logs', { timeout: 600_000 }, () => {
    const { status, output } = runE2e({ E2E_DELIBERATE_FAILURE: '1', E2E_GREP: 'deliberate failure' });
    assert.notEqual(status, 0, `test:e2e exited ${status}:\n${output}`);
    assert.match(output, /1 failing/, "Mocha's report from the extension host is printed");
    assert.match(output, /fails on purpose \(E2E_DELIBERATE_FAILURE=1\)/);
    assert.match(output, /FAIL \(exit 1\) {2}extension-host suites/);
    assert.ok(existsSync(join(logs, 'failure.png')), 'a screenshot is kept');
    assert.match(readFileSync(join(logs, 'extension-host.log'), 'utf8'), /1 failing/, 'the host log is kept');
    assert.ok(existsSync(join(logs, 'code-server.log')), "code-server's log is kept");
    assert.doesNotMatch(output, /killed what it left running/);
    assert.deepEqual(harnessProcesses(), [], 'no code-server process is left running');
  });

  test('stops a hung run at the hard deadline and exits non-zero', { timeout: 600_000 }, () => {
    const { status, output } = runE2e({ E2E_DELIBERATE_HANG: '1', E2E_GREP: 'deliberate hang', E2E_TIMEOUT_SECONDS: '50' });
    assert.notEqual(status, 0, `test:e2e exited ${status}:\n${output}`);
    assert.match(output, /did not finish before the deadline|passed the hard deadline|timed out/);
    assert.ok(existsSync(join(logs, 'failure.png')), 'a screenshot is kept');
    assert.deepEqual(harnessProcesses(), [], 'no code-server process is left running');
  });
});
