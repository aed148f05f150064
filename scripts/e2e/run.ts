/**
 * `npm run test:e2e`: builds the extension and the in-editor suites, packages the extension
 * and runs the Mocha suites in code-server's extension host against the installed .vsix
 * (host-tests.ts --installed), then the Playwright UI checks
 * (test/e2e/ui). Each phase runs in its own process group under one hard deadline
 * (E2E_TIMEOUT_SECONDS, default 900); afterwards every process group a phase started is
 * reaped, so nothing is left running. Exits non-zero when any phase failed or timed out.
 * `--suites-only` / `--ui-only` run one phase.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSuites } from './build-tests';
import { HOW_TO_INSTALL, OUTPUT_DIR, ROOT, harnessInstalled } from './harness';
import { reapRecordedGroups, signalGroup, waitForGroupExit } from './processes';

function testFiles(dir: string): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(dir, f));
  if (files.length === 0) throw new Error(`no *.test.ts in ${dir}`);
  return files;
}

interface Phase {
  readonly name: string;
  readonly args: readonly string[];
}

const PHASES: readonly Phase[] = [
  // The suites run against the packaged extension installed from its .vsix (E2E_FROM_SOURCE=1: from the development path, quicker).
  process.env.E2E_FROM_SOURCE === '1'
    ? { name: 'extension-host suites (development path)', args: ['--import', 'tsx', join(ROOT, 'scripts', 'e2e', 'host-tests.ts')] }
    : { name: 'extension-host suites (installed .vsix)', args: ['--import', 'tsx', join(ROOT, 'scripts', 'e2e', 'host-tests.ts'), '--installed'] },
  { name: 'UI checks', args: ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...testFiles(join(ROOT, 'test', 'e2e', 'ui'))] },
];

interface PhaseResult {
  readonly name: string;
  readonly code: number;
  readonly seconds: number;
  readonly note: string;
}

async function runPhase(phase: Phase, deadline: number, processFile: string): Promise<PhaseResult> {
  const started = Date.now();
  const child = spawn(process.execPath, phase.args, {
    cwd: ROOT,
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, E2E_DEADLINE: String(deadline), E2E_PROCESS_FILE: processFile },
  });
  const pgid = child.pid!;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    console.error(`\ntest:e2e: "${phase.name}" passed the hard deadline; killing it.`);
    signalGroup(pgid, 'SIGTERM');
    setTimeout(() => signalGroup(pgid, 'SIGKILL'), 5_000).unref();
  }, Math.max(0, deadline - Date.now()));
  const code = await new Promise<number>((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 : 1))));
  clearTimeout(timer);
  if (!(await waitForGroupExit(pgid, 5_000))) signalGroup(pgid, 'SIGKILL');
  const leftovers = reapRecordedGroups(processFile);
  const notes = [timedOut ? 'timed out' : '', leftovers.length ? `killed what it left running: ${leftovers.join(', ')}` : ''].filter(Boolean);
  return {
    name: phase.name,
    code: timedOut ? 124 : code,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    note: notes.join('; '),
  };
}

async function main(): Promise<number> {
  if (!harnessInstalled()) {
    console.error(`test:e2e: the end-to-end harness is not installed. ${HOW_TO_INSTALL}`);
    return 1;
  }
  const started = Date.now();
  const deadline = started + (Number(process.env.E2E_TIMEOUT_SECONDS) || 900) * 1000;
  const selected = PHASES.filter((_phase, i) => !(process.argv.includes('--suites-only') && i > 0) && !(process.argv.includes('--ui-only') && i === 0));

  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) return build.status ?? 1;
  await buildSuites();

  // Screenshots and logs are those of the latest run only.
  for (const sub of ['ui', 'logs']) rmSync(join(OUTPUT_DIR, sub), { recursive: true, force: true });
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const results: PhaseResult[] = [];
  for (const phase of selected) {
    console.log(`\n== test:e2e: ${phase.name}`);
    const processFile = join(OUTPUT_DIR, `processes-${results.length}.txt`);
    rmSync(processFile, { force: true });
    const result = await runPhase(phase, deadline, processFile);
    rmSync(processFile, { force: true });
    results.push(result);
    if (Date.now() >= deadline) break;
  }

  console.log('\n== test:e2e summary');
  for (const r of results) {
    console.log(`  ${r.code === 0 ? 'pass' : `FAIL (exit ${r.code})`}  ${r.name}  ${r.seconds} s${r.note ? `  (${r.note})` : ''}`);
  }
  const failed = results.some((r) => r.code !== 0) || results.length < selected.length;
  console.log(`  total ${Math.round((Date.now() - started) / 1000)} s; screenshots in ${OUTPUT_DIR}${failed ? `; logs in ${join(OUTPUT_DIR, 'logs')}` : ''}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`test:e2e: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
