/**
 * First use without a host application, as the README's quick start walks it, with
 * phasectl in-process (test/helpers/run-cli.ts) on the embedded database (the default
 * folder) and on PostgreSQL:
 * read-only commands create nothing, `sync` names the missing cycle and reports and the
 * commands that create them, `cycle|report|user add|list`, `sync --create-missing`, and a
 * host application's tables are never written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget } from '../../server/db/database';
import { describeEachBackend } from '../db/helpers/backends';
import { runPhasectl as phasectl } from '../helpers/run-cli';
import { dbArg, migrated, sql } from './helpers/phasectl';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'regulatory-testing.phases.yaml');

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wp-first-use-'));
  copyFileSync(EXAMPLE, join(dir, 'regulatory-testing.phases.yaml'));
  return dir;
}

describeEachBackend('first use without a host application', (backend) => {
  void test('the quick start: from an empty folder to a started phase', async () => {
    const cwd = folder();
    try {
      // Embedded: the default folder, as a newcomer runs it. PostgreSQL: an empty database.
      const target: DatabaseTarget = backend.kind === 'embedded' ? { kind: 'embedded', folder: join(cwd, '.workflow-phases') } : await backend.freshTarget();
      const db = backend.kind === 'embedded' ? [] : ['--db', dbArg(target)];
      const run = (...args: string[]) => phasectl(cwd, [...args, ...db]);

      for (const args of [['status'], ['history', '--cycle', '2026-Q4', '--report', 'FR-Y-14Q'], ['explain', '--cycle', '2026-Q4', '--report', 'FR-Y-14Q'], ['plan'], ['cycle', 'list']]) {
        const r = await run(...args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, backend.kind === 'embedded'
          ? /no database: there is no embedded database in \.\/\.workflow-phases and DATABASE_URL is not set; create one with `phasectl sync` .*`phasectl db migrate` .*`phasectl demo --db embedded:\.workflow-phases` .*--db/
          : /no Workflow Phases tables in postgres .* yet; create one with `phasectl sync`/);
      }
      if (backend.kind === 'embedded') assert.equal(existsSync(target.kind === 'embedded' ? target.folder! : ''), false, 'a read-only command created nothing');

      assert.equal((await phasectl(cwd, ['validate'])).code, 0);
      const missing = await run('sync');
      assert.equal(missing.code, 1);
      assert.equal(missing.stdout, '');
      assert.equal(missing.stderr, [
        "regulatory-testing.phases.yaml:115:12: error unknown-cycle: test cycle '2026-Q4' does not exist in the database",
        "regulatory-testing.phases.yaml:116:15: error unknown-report: report 'FR-Y-14Q' does not exist in the database",
        "regulatory-testing.phases.yaml:116:25: error unknown-report: report 'FR-2052a' does not exist in the database",
        'Nothing was synced. Create them and sync in one step with `phasectl sync --create-missing`, or first run `phasectl cycle add 2026-Q4` and `phasectl report add FR-Y-14Q FR-2052a` (or fix applies_to).',
        '',
      ].join('\n'));

      const preview = await run('plan', '--create-missing');
      assert.equal(preview.code, 0, preview.stderr);
      assert.match(preview.stdout, /^Would create test cycle 2026-Q4 and reports FR-2052a, FR-Y-14Q \(--create-missing\)\n2026-Q4 \/ FR-Y-14Q \(workflow regulatory-testing\)\n  \+ instance\n/);
      assert.deepEqual(await sql(target, 'SELECT (SELECT count(*) FROM test_cycles)::int AS c, (SELECT count(*) FROM workflow_phases)::int AS p'), [{ c: 0, p: 0 }], 'plan wrote nothing');

      const synced = await run('sync', '--create-missing');
      assert.equal(synced.code, 0, synced.stderr);
      assert.match(synced.stdout, /^Created test cycle 2026-Q4 and reports FR-2052a, FR-Y-14Q \(--create-missing\)\n/);
      assert.match(synced.stdout, /Summary: 120 created, 0 updated, 0 deleted, 0 refused\.\n$/);

      const user = await run('user', 'add', 'ana@example.com', '--name', 'Ana Tester', '--role', 'tester');
      assert.equal(user.code, 0, user.stderr);
      assert.match(user.stdout, /^created user ana@example.com "Ana Tester" \(tester\) \(id \d+\); act as them with --as ana@example.com\n$/);

      const started = await run('phase', 'start', 'planning', '--cycle', '2026-Q4', '--report', 'FR-Y-14Q', '--as', 'ana@example.com');
      assert.equal(started.code, 0, started.stderr);
      assert.match(started.stdout, /^allowed: start phase `planning` \(NOT_STARTED -> IN_PROGRESS\) by ana@example.com at /);
      const status = await run('status', '--report', 'FR-Y-14Q');
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /^2026-Q4 \/ FR-Y-14Q — workflow regulatory-testing\n.*\n  1  planning +IN_PROGRESS +medium +0\/3\n  2  scoping +NOT_STARTED +high +0\/4\n/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  void test('cycle, report and user: add and list, duplicates kept, bad input a usage error', async () => {
    const cwd = folder();
    try {
      const target = await backend.freshTarget();
      const run = (...args: string[]) => phasectl(cwd, [...args, '--db', dbArg(target)]);
      const added = await run('cycle', 'add', '2026-Q4', '2027 Q1', '2026-Q4');
      assert.equal(added.code, 0, added.stderr);
      assert.match(added.stdout, /^created test cycle 2026-Q4 \(id (\d+)\)\ncreated test cycle 2027 Q1 \(id \d+\)\n$/);
      const again = await run('cycle', 'add', '2026-Q4');
      assert.match(again.stdout, /^test cycle 2026-Q4 already exists \(id \d+\): left as it is\n$/);
      assert.match((await run('cycle', 'list')).stdout, /^id +name\n\d+ +2026-Q4\n\d+ +2027 Q1\n$/);
      assert.equal((await run('report', 'add', 'FR-Y-14Q')).code, 0);
      assert.deepEqual((JSON.parse((await run('report', 'list', '--format', 'json')).stdout) as { reports: { name: string }[] }).reports.map((r) => r.name), ['FR-Y-14Q']);
      assert.match((await run('report', 'list', '--format', 'json')).stdout, /^\{\n  "reports": \[\n    \{\n      "id": \d+,\n      "name": "FR-Y-14Q"\n    \}\n  \]\n\}\n$/);

      assert.equal((await run('user', 'add', '--name', 'Ted', '--role', 'test_executive')).code, 0);
      assert.equal((await run('user', 'add', 'rita@example.com', '--role', 'report_owner')).code, 0);
      assert.match((await run('user', 'add', 'RITA@example.com')).stdout, /^a user with email RITA@example.com already exists \(id \d+\): left as it is\n$/);
      assert.match((await run('user', 'list')).stdout, /^id +email +name +role\n\d+ +- +Ted +test_executive\n\d+ +rita@example.com +- +report_owner\n$/);
      const cases: [string[], RegExp][] = [
        [['user', 'add', 'x@example.com', '--role', 'boss'], /unknown role 'boss' \(use tester, test_executive, report_owner, report_executive, data_owner, data_executive, admin\)/],
        [['user', 'add', '--role', 'tester'], /give an email, a name \(--name\), or both/],
        [['cycle', 'add'], /give the name of at least one test cycle, e.g. phasectl cycle add 2026-Q4/],
        [['cycle', 'add', 'x'.repeat(256)], /test cycle name 'x{40}…' is 256 characters long; test_cycles holds at most 255/],
        [['report', 'remove', 'x'], /unknown sub-command 'remove' \(use add or list\)/],
        [['user', 'add', `${'u'.repeat(250)}@example.com`], /the email is 262 characters long; users holds at most 255/],
      ];
      for (const [args, message] of cases) {
        const r = await run(...args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message);
      }
      assert.deepEqual(await sql(target, 'SELECT (SELECT count(*) FROM test_cycles)::int AS c, (SELECT count(*) FROM users)::int AS u'), [{ c: 2, u: 2 }]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  void test("a host application's tables are read, never written, and the messages say so", async () => {
    const cwd = folder();
    try {
      const target = await backend.freshTarget({ migrated: true });
      // A host application's cycles table has columns of its own.
      await migrated(target, "ALTER TABLE test_cycles ADD COLUMN start_date DATE; INSERT INTO test_cycles (cycle_name, start_date) VALUES ('2025-Q4', '2025-10-01')");
      const run = (...args: string[]) => phasectl(cwd, [...args, '--db', dbArg(target)]);
      const host = /test_cycles belongs to a host application \(its columns are created_at, cycle_id, cycle_name, start_date, not the ones Workflow Phases creates\): Workflow Phases never writes to it; add the row with the host application/;
      for (const args of [['cycle', 'add', '2026-Q4'], ['report', 'add', 'FR-Y-14Q'], ['user', 'add', 'ana@example.com']]) {
        const r = await run(...args);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, host);
      }
      const synced = await run('sync', '--create-missing');
      assert.equal(synced.code, 1);
      assert.match(synced.stderr, /error unknown-cycle: test cycle '2026-Q4' does not exist/);
      assert.match(synced.stderr, new RegExp(`Nothing was synced: ${host.source} \\(or fix applies_to\\)\\.\\n$`));
      assert.match((await run('cycle', 'list')).stdout, /^id +name\n\d+ +2025-Q4\n$/, 'listing reads host tables');
      assert.deepEqual(await sql(target, 'SELECT (SELECT count(*) FROM test_cycles)::int AS c, (SELECT count(*) FROM reports)::int AS r, (SELECT count(*) FROM users)::int AS u'), [{ c: 1, r: 0, u: 0 }]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  void test('applies_to `cycle: 2026` (unquoted) is the cycle named "2026", not cycle id 2026', async () => {
    const cwd = folder();
    try {
      const target = await backend.freshTarget({ migrated: true });
      await migrated(target, "INSERT INTO test_cycles (cycle_id, cycle_name) VALUES (2026, 'another cycle'), (7, '2026'); INSERT INTO reports (id, report_name) VALUES (14, 'FR-Y-14Q')");
      const file = join(cwd, 'regulatory-testing.phases.yaml');
      const { readFileSync } = await import('node:fs');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/applies_to:[\s\S]*$/, 'applies_to:\n  - cycle: 2026\n    reports: [FR-Y-14Q]\n'));
      const r = await phasectl(cwd, ['sync', '--db', dbArg(target)]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^2026 \/ FR-Y-14Q \(workflow regulatory-testing\)\n/);
      assert.deepEqual(await sql(target, 'SELECT cycle_id, report_id FROM workflow_instances'), [{ cycle_id: 7, report_id: 14 }]);
      // On the command line too: --cycle 2026 is the cycle named "2026".
      const shown = await phasectl(cwd, ['status', '--cycle', '2026', '--db', dbArg(target), '--format', 'json']);
      assert.deepEqual((JSON.parse(shown.stdout) as { instances: { cycle_id: number }[] }).instances.map((i) => i.cycle_id), [7]);
      const explained = await phasectl(cwd, ['explain', '--cycle', '2026', '--report', '14', '--db', dbArg(target)]);
      assert.equal(explained.code, 0, explained.stderr);
      assert.match(explained.stdout, /phase start planning/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
