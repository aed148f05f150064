/**
 * Every exit code phasectl can return, each reached the way a user reaches it with the
 * built `dist/phasectl.js` (70, a bug, through the same classifier in-process), and every
 * one listed in `phasectl --help` and the README. Nothing a user can cause is reported
 * as an internal error.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { EXIT, EXIT_CODES } from '../../server/cli/command';
import { exitFor } from '../../server/cli/main';
import { createTestDatabase } from '../helpers/postgres';
import { waitFor } from '../transitions/helpers/wait-for';
import { openDatabase } from '../../server/db/database';
import { phasectl, phasectlAsync } from './helpers/phasectl';

const root = join(__dirname, '..', '..');
const FIXTURE = join(root, 'test', 'db', 'cli-fixtures', 'two-reports.phases.yaml');
const scratch = mkdtempSync(join(tmpdir(), 'wp-exit-codes-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A folder holding `defs/two-reports.phases.yaml` (workflow cli-test, cycle 2026-Q4, report CCAR and one more). */
function workspace(name: string): string {
  const cwd = join(scratch, name);
  mkdirSync(join(cwd, 'defs'), { recursive: true });
  copyFileSync(FIXTURE, join(cwd, 'defs', 'two-reports.phases.yaml'));
  return cwd;
}

const edit = (cwd: string, from: string, to: string) => {
  const file = join(cwd, 'defs', 'two-reports.phases.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
};

void describe('exit codes', () => {
  const seen = new Set<number>();
  let noPostgres = false;
  const expectCode = (run: { code: number | null; stdout: string; stderr: string }, code: number, label: string) => {
    assert.equal(run.code, code, `${label}\n${run.stdout}${run.stderr}`);
    assert.doesNotMatch(run.stderr, /internal error \(please report\)/, label);
    seen.add(code);
  };

  void test('phasectl --help and the README list every exit code, with the same codes', () => {
    const help = phasectl(root, ['--help']);
    assert.equal(help.code, 0);
    const listed = help.stdout.slice(help.stdout.indexOf('Exit codes:')).split('\n').slice(1).flatMap((l) => /^ +(\d+) {2}\S/.exec(l)?.[1] ?? []).map(Number);
    assert.deepEqual(listed, EXIT_CODES.map(([code]) => code));
    for (const [code, meaning] of EXIT_CODES) assert.ok(help.stdout.includes(`${String(code).padStart(2)}  ${meaning}`));
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Exit codes'));
    const rows = section.slice(0, section.indexOf('\n\n', section.indexOf('|'))).split('\n').flatMap((l) => /^\| `?(\d+)`? \|/.exec(l)?.[1] ?? []).map(Number);
    assert.deepEqual(rows, EXIT_CODES.map(([code]) => code), 'the README table lists the same codes in the same order');
  });

  void test('0, 1, 2: validate passes, finds errors, is misused or finds nothing (a missing path and an empty folder alike)', () => {
    expectCode(phasectl(root, ['validate', 'examples/regulatory-testing.phases.yaml']), EXIT.ok, 'valid file');
    expectCode(phasectl(root, ['validate', 'examples/broken/misspelt-phase.phases.yaml']), EXIT.problems, 'broken file');
    expectCode(phasectl(root, ['valdate']), EXIT.usage, 'unknown command');
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    const missing = phasectl(root, ['validate', join(scratch, 'nowhere')]);
    const none = phasectl(root, ['validate', empty]);
    for (const [run, why] of [[missing, /nowhere: no such file or folder/], [none, /no \*\.phases\.yaml \/ \*\.phases\.yml files in /]] as const) {
      expectCode(run, EXIT.usage, 'nothing found');
      assert.equal(run.stdout, 'No definition files found: nothing was checked.\n');
      assert.match(run.stderr, why);
    }
  });

  void test('1: input the CLI cannot take is the input\'s problem, never an internal error', () => {
    const deep = join(scratch, 'deep.phases.yaml');
    writeFileSync(deep, `version: 1\nworkflow: deep\nphases: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    expectCode(phasectl(root, ['validate', deep]), EXIT.problems, 'a file nested 10,000 levels deep');
    const cwd = workspace('long-name');
    const name = `load_${'x'.repeat(300)}`;
    edit(cwd, '{name: load_attributes, type: TASK', `{name: ${name}, type: TASK`);
    const long = phasectl(cwd, ['sync', 'defs', '--create-missing', '--db', `embedded:${join(cwd, 'db')}`]);
    expectCode(long, EXIT.problems, 'a name longer than its column');
    // Refused at the value, before anything is sent to the database.
    assert.match(long.stderr, /^defs\/two-reports\.phases\.yaml:9:16: error invalid-value: .*255/m);
    assert.match(long.stderr, /Nothing was synced: fix the errors first\.\n$/);
  });

  void test('3 and 4 on the embedded database: sync refuses to lose progress, a transition is refused', () => {
    const cwd = workspace('embedded');
    const db = ['--db', `embedded:${join(cwd, 'db')}`];
    const on = ['--cycle', '2026-Q4', '--report', 'CCAR', '--as', 'tess@example.com', ...db];
    expectCode(phasectl(cwd, ['sync', 'defs', '--create-missing', ...db]), EXIT.ok, 'first sync');
    expectCode(phasectl(cwd, ['user', 'add', 'tess@example.com', '--role', 'tester', ...db]), EXIT.ok, 'user add');
    expectCode(phasectl(cwd, ['phase', 'start', 'planning', ...on]), EXIT.ok, 'phase start');
    expectCode(phasectl(cwd, ['activity', 'start', 'planning', 'load_attributes', ...on]), EXIT.ok, 'activity start');
    const refused = phasectl(cwd, ['phase', 'complete', 'planning', ...on]);
    expectCode(refused, EXIT.transitionRefused, 'phase complete with work in progress');
    assert.match(refused.stderr, /✘ planning: required activity `load_attributes` is IN_PROGRESS \(it must be COMPLETED\)/);
    edit(cwd, '      - {name: load_attributes, type: TASK, role: tester}\n', '');
    const lose = phasectl(cwd, ['sync', 'defs', ...db]);
    expectCode(lose, EXIT.refused, 'sync removing a started activity');
    assert.match(lose.stdout, /! refused: activity 'load_attributes' of phase 'planning' \(activity_id \d+\) is IN_PROGRESS: removing it would lose its progress/);
  });

  void describe('5 on PostgreSQL: the connection drops in the middle of a sync', () => {
    let url = '';
    let drop: (() => Promise<void>) | null = null;
    before(async () => {
      const created = await createTestDatabase('exit_codes');
      if (created) {
        url = created.url;
        drop = () => created.drop();
      }
    });
    after(async () => drop?.());

    void test('exit 5, nothing written, and the message says to run it again', { timeout: 120_000 }, async (t) => {
      if (!url) {
        noPostgres = true;
        return t.skip('no PostgreSQL (set DATABASE_URL)');
      }
      const cwd = workspace('postgres');
      expectCode(phasectl(cwd, ['sync', 'defs', '--create-missing', '--db', url]), EXIT.ok, 'first sync');
      edit(cwd, '{name: assess_risk, type: TASK, role: tester}', '{name: assess_risk, type: TASK, role: test_executive}');
      // Another sync of the same workflow holds its lock: ours waits there, and its connection is cut.
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      const db = await openDatabase({ kind: 'postgres', url });
      try {
        await holder.query('BEGIN');
        await holder.query("SELECT pg_advisory_xact_lock(hashtextextended('workflow-phases sync ' || $1, 0))", ['cli-test']);
        const running = phasectlAsync(cwd, ['sync', 'defs', '--db', url]);
        const pid = await waitFor(db, "wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock%' AND pid <> $1", [(holder as unknown as { processID: number }).processID]);
        await db.query('SELECT pg_terminate_backend($1)', [pid]);
        const run = await running;
        expectCode(run, EXIT.retry, 'connection terminated mid-sync');
        assert.match(run.stderr, /^phasectl sync: the database connection was lost while working \(.+\): what was not committed was rolled back; run the command again \(it is safe to repeat\)\n$/);
        await holder.query('ROLLBACK');
        const roles = await db.query<{ role: string }>("SELECT DISTINCT role FROM workflow_activities WHERE activity_name = 'assess_risk'");
        assert.deepEqual(roles.rows, [{ role: 'tester' }], 'nothing was written');
        expectCode(phasectl(cwd, ['sync', 'defs', '--db', url]), EXIT.ok, 'run again');
      } finally {
        await holder.end();
        await db.close();
      }
    });
  });

  void test('70 is for bugs only: an unexpected error says so; a stack overflow from input is not one', () => {
    const command = { name: 'sync', usage: 'Usage: phasectl sync' };
    const bug = exitFor(new TypeError("Cannot read properties of undefined (reading 'phases')"), command);
    assert.equal(bug.code, EXIT.internal);
    assert.match(bug.message, /^phasectl sync: internal error \(please report\): TypeError: Cannot read properties of undefined/);
    seen.add(bug.code);
    const deep = exitFor(new RangeError('Maximum call stack size exceeded'), command);
    assert.deepEqual(deep, { code: EXIT.problems, message: 'phasectl sync: the input is nested too deeply to process (Maximum call stack size exceeded); nothing was written\n' });
  });

  void test('every exit code was reached', (t) => {
    t.diagnostic(`reached: ${[...seen].sort((a, b) => a - b).join(', ')}`);
    // Without PostgreSQL (and not required) the exit-5 walk was skipped, visibly, above.
    const expected = EXIT_CODES.map(([code]) => code).filter((code) => !(noPostgres && code === EXIT.retry));
    assert.deepEqual([...seen].sort((a, b) => a - b), expected);
  });
});
