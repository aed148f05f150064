// The one test entry point (`npm test`): every `*.test.ts` under test/, one node process per
// file, TEST_CONCURRENCY (default 3) at a time, longest first by the times remembered in
// test-output/test-times.json; then the in-editor end-to-end suites when their harness is there.
//
//   node scripts/run-tests.mjs                 every file, then e2e
//   node scripts/run-tests.mjs test/unit test/db/sync.test.ts   only files under these paths (no e2e)
//   node scripts/run-tests.mjs --quick         core, rules, unit, client and LSP without a database (`npm run test:quick`)
//   node scripts/run-tests.mjs -g 'sync'       only tests whose name matches (node's --test-name-pattern)
//   node scripts/run-tests.mjs -j 1            one file at a time (also TEST_CONCURRENCY=1)
//
// Each file's output is buffered and printed whole when it ends, so parallel files never
// interleave; a table of every file (tests, pass, fail, skipped, seconds) closes the run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const skipDirs = new Set(['fixtures', 'e2e', 'node_modules']);
const timesFile = join(root, 'test-output', 'test-times.json');

// The quick loop: the core, the rules, the client's words and the language server, none of
// them needing a database. Paths under test/; `quickExclude` removes the live (database) LSP
// suites again. The LSP fuzz test runs 1,000 documents instead of 10,000 (FUZZ_COUNT).
const quickInclude = ['test/unit', 'test/rules', 'test/client', 'test/lsp', 'test/transitions/engine.test.ts', 'test/transitions/properties.test.ts', 'test/transitions/scenario.test.ts'];
const quickExclude = ['test/lsp/live', 'test/lsp/neovim.test.ts'];
const QUICK_FUZZ_COUNT = '1000';

function usage(message) {
  console.error(`${message}\nUsage: node scripts/run-tests.mjs [--quick] [-g <pattern>] [-j <n>] [path under test/ ...]`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { quick: false, grep: [], concurrency: Number(process.env.TEST_CONCURRENCY ?? 3), paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '-g' || arg === '--grep') {
      if (argv[i + 1] === undefined) usage(`${arg} needs a pattern`);
      options.grep.push(argv[++i]);
    } else if (arg === '-j' || arg === '--concurrency') options.concurrency = Number(argv[++i]);
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else options.paths.push(arg);
  }
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) usage('the concurrency must be a whole number >= 1');
  return options;
}

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

/** Whether `file` is `prefix` or lies under the folder `prefix`. */
function under(file, prefix) {
  return file === prefix || file.startsWith(prefix.endsWith(sep) ? prefix : prefix + sep);
}

function readTimes() {
  try {
    return JSON.parse(readFileSync(timesFile, 'utf8'));
  } catch {
    return {};
  }
}

/** The counts of node's spec reporter summary (`ℹ tests 3` ...), or null when it never got there. */
function summaryOf(output) {
  const count = (key) => {
    const m = output.match(new RegExp(`^ℹ ${key} (\\d+)$`, 'm'));
    return m ? Number(m[1]) : null;
  };
  const tests = count('tests');
  if (tests === null) return null;
  return { tests, pass: count('pass') ?? 0, fail: count('fail') ?? 0, skipped: (count('skipped') ?? 0) + (count('todo') ?? 0), cancelled: count('cancelled') ?? 0 };
}

const children = new Set();
function runFile(file, grep, extraEnv) {
  const args = ['--import', 'tsx', '--test-reporter=spec', ...grep.map((g) => `--test-name-pattern=${g}`), file];
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...extraEnv, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') } });
    children.add(child);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (output += d));
    child.on('error', (error) => (output += `\n${error.stack}\n`));
    child.on('close', (code, signal) => {
      children.delete(child);
      const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
      done({ file, code: code ?? 1, signal, output, summary: summaryOf(plain), seconds: (Date.now() - started) / 1000 });
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill('SIGTERM');
    process.exit(130);
  });
}

const options = parseArgs(process.argv.slice(2));
const all = collect(join(root, 'test'), []);
const filters = options.paths.map((p) => resolve(root, p));
let files = all.filter((f) => filters.length === 0 || filters.some((p) => under(f, p)));
if (options.quick) {
  const inc = quickInclude.map((p) => join(root, p));
  const exc = quickExclude.map((p) => join(root, p));
  files = files.filter((f) => inc.some((p) => under(f, p)) && !exc.some((p) => under(f, p)));
}
if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}

const times = readTimes();
const rel = (f) => relative(root, f);
// Longest first, so the slowest file does not start last; files never timed count as long.
files.sort((a, b) => (times[rel(b)] ?? Infinity) - (times[rel(a)] ?? Infinity) || a.localeCompare(b));
const concurrency = Math.min(options.concurrency, files.length);
console.log(`Running ${files.length} test files, ${concurrency} at a time${options.grep.length ? ` (tests matching ${options.grep.join(', ')})` : ''}`);

const startedAt = Date.now();
const results = [];
let next = 0;
async function worker() {
  while (next < files.length) {
    const file = files[next++];
    const result = await runFile(file, options.grep, options.quick && !process.env.FUZZ_COUNT ? { FUZZ_COUNT: QUICK_FUZZ_COUNT } : {});
    results.push(result);
    const ok = result.code === 0;
    const header = `${ok ? '✔' : '✖'} ${rel(file)} (${result.seconds.toFixed(1)} s${ok ? '' : `, exit ${result.signal ?? result.code}`})`;
    process.stdout.write(`\n━━ ${header}\n${result.output.trimEnd()}\n━━ end of ${rel(file)}\n`);
  }
}
await Promise.all(Array.from({ length: concurrency }, () => worker()));
const wall = (Date.now() - startedAt) / 1000;

// Remember the times (only of full runs of a file: a -g or --quick run says nothing about its length).
if (options.grep.length === 0 && !options.quick) {
  for (const r of results) times[rel(r.file)] = Math.round(r.seconds * 10) / 10;
  mkdirSync(join(root, 'test-output'), { recursive: true });
  writeFileSync(timesFile, JSON.stringify(Object.fromEntries(Object.entries(times).sort()), null, 2) + '\n');
}

const failed = results.filter((r) => r.code !== 0);
const rows = [...results].sort((a, b) => b.seconds - a.seconds);
const width = Math.max(4, ...rows.map((r) => rel(r.file).length));
const cell = (v) => String(v ?? '?').padStart(5);
console.log(`\n${'file'.padEnd(width)}  tests  pass  fail  skip  seconds`);
for (const r of rows) {
  const s = r.summary;
  const mark = r.code === 0 ? ' ' : '✖';
  console.log(`${rel(r.file).padEnd(width)}  ${cell(s?.tests)} ${cell(s?.pass)} ${cell(s?.fail)} ${cell(s?.skipped)}  ${r.seconds.toFixed(1).padStart(7)} ${mark}`);
}
const total = (key) => results.reduce((n, r) => n + (r.summary?.[key] ?? 0), 0);
console.log(`${'total'.padEnd(width)}  ${cell(total('tests'))} ${cell(total('pass'))} ${cell(total('fail'))} ${cell(total('skipped'))}  ${wall.toFixed(1).padStart(7)}  (wall clock, ${concurrency} at a time)`);
if (failed.length > 0) console.log(`\n✖ ${failed.length} of ${results.length} files failed: ${failed.map((r) => rel(r.file)).join(', ')}`);
let status = failed.length > 0 ? 1 : 0;

const e2e = join(root, 'scripts', 'e2e', 'run-if-installed.mjs');
if (filters.length === 0 && !options.quick && options.grep.length === 0 && existsSync(e2e)) {
  const run = spawnSync(process.execPath, [e2e], { stdio: 'inherit', cwd: root });
  if ((run.status ?? 1) !== 0) status = run.status ?? 1;
}
process.exit(status);
