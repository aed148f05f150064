/**
 * phasectl's database commands, run in-process on both backends: the output a user
 * sees, the JSON shapes and the exit codes. `phasectl demo` runs as a real process
 * from the build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/cli/main';
import { openDatabase } from '../../server/db/database';
import type { DatabaseTarget } from '../../server/db/database';
import { MIGRATIONS } from '../../server/db/migrations/generated-sql';
import { describeEachBackend } from './helpers/backends';

const root = join(__dirname, '..', '..');
const QUOTED = `O'Brien "quoted"; DROP TABLE reports; --`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function dbArg(target: DatabaseTarget): string {
  return target.kind === 'postgres' ? target.url : `embedded:${target.folder}`;
}

async function cli(cwd: string, target: DatabaseTarget, ...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...argv, '--db', dbArg(target)], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} });
  return { code, stdout, stderr };
}

async function sql(target: DatabaseTarget, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const db = await openDatabase(target);
  try {
    return (await db.query(text, params)).rows;
  } finally {
    await db.close();
  }
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wp-cli-'));
  mkdirSync(join(dir, 'defs'));
  copyFileSync(join(__dirname, 'cli-fixtures', 'two-reports.phases.yaml'), join(dir, 'defs', 'two-reports.phases.yaml'));
  return dir;
}

describeEachBackend('phasectl database commands', (backend) => {
  void test('migrate, sync, re-sync, plan, status, init: output, JSON shapes and exit codes', async () => {
    const cwd = workspace();
    try {
      const target = await backend.freshTarget();
      const migrated = await cli(cwd, target, 'db', 'migrate');
      assert.equal(migrated.code, 0, migrated.stderr);
      assert.match(migrated.stdout, /migration|schema up to date/);
      const again = await cli(cwd, target, 'db', 'migrate');
      assert.ok(again.stdout.includes(`schema up to date (${MIGRATIONS.length} migrations)`), again.stdout);

      // The cycle and reports do not exist yet: named with file:line:col, nothing written.
      const missing = await cli(cwd, target, 'sync', 'defs');
      assert.equal(missing.code, 1);
      assert.equal(missing.stdout, '');
      assert.match(missing.stderr, /^defs\/two-reports\.phases\.yaml:53:12: error unknown-cycle: test cycle '2026-Q4' does not exist in the database$/m);
      assert.match(missing.stderr, /defs\/two-reports\.phases\.yaml:54:15: error unknown-report: report 'CCAR' does not exist/);
      assert.deepEqual(await sql(target, 'SELECT count(*)::int AS n FROM workflow_phases'), [{ n: 0 }]);

      await sql(target, "INSERT INTO test_cycles (cycle_name) VALUES ('2026-Q4'), ('2027-Q1')");
      await sql(target, "INSERT INTO reports (report_name) VALUES ('CCAR'), ($1), ('FR-2052a')", [QUOTED]);

      const planned = await cli(cwd, target, 'plan', 'defs', '--format', 'json');
      assert.equal(planned.code, 0, planned.stderr);
      const plan = JSON.parse(planned.stdout) as { instances: { cycle: string; report: string; workflow: string; changes: unknown[]; refused: unknown[] }[]; summary: unknown };
      assert.deepEqual(plan.instances.map((i) => [i.cycle, i.report, i.workflow, i.changes.length, i.refused.length]), [
        ['2026-Q4', 'CCAR', 'cli-test', 1 + 9 + 27, 0],
        ['2026-Q4', QUOTED, 'cli-test', 1 + 9 + 27, 0],
      ]);
      assert.deepEqual(plan.summary, { create: 74, update: 0, delete: 0, refused: 0 });
      assert.deepEqual(await sql(target, 'SELECT count(*)::int AS n FROM workflow_phases'), [{ n: 0 }], 'plan writes nothing');

      const synced = await cli(cwd, target, 'sync', 'defs');
      assert.equal(synced.code, 0, synced.stderr);
      assert.match(synced.stdout, /^2026-Q4 \/ CCAR \(workflow cli-test\)\n  \+ instance\n  \+ phase planning \(3 activities\)\n/);
      assert.match(synced.stdout, /Summary: 74 created, 0 updated, 0 deleted, 0 refused\.\n$/);
      const resynced = await cli(cwd, target, 'sync', 'defs', '--format', 'json');
      assert.equal(resynced.code, 0);
      assert.deepEqual(JSON.parse(resynced.stdout), { instances: [], summary: { create: 0, update: 0, delete: 0, refused: 0 }, applied: false, unchanged: ['cli-test'] });

      const status = await cli(cwd, target, 'status', '--report', QUOTED, '--format', 'json');
      assert.equal(status.code, 0, status.stderr);
      const shown = JSON.parse(status.stdout) as { instances: { cycle: string; report: string; workflow: string; phases: { name: string; order: number; status: string; risk_level: null; started_at: null; completed_at: null; activities: unknown[] }[] }[] };
      assert.equal(shown.instances.length, 1);
      assert.equal(shown.instances[0]?.report, QUOTED);
      assert.deepEqual(shown.instances[0]?.phases[0], {
        name: 'planning', order: 1, status: 'NOT_STARTED', risk_level: null, started_at: null, completed_at: null,
        activities: [
          { name: 'start_planning', type: 'START', status: 'NOT_STARTED', required: true },
          { name: 'load_attributes', type: 'TASK', status: 'NOT_STARTED', required: true },
          { name: 'complete_planning', type: 'COMPLETE', status: 'NOT_STARTED', required: true },
        ],
      });
      const table = await cli(cwd, target, 'status', '--cycle', '2026-Q4', '--report', 'CCAR');
      assert.match(table.stdout, /^2026-Q4 \/ CCAR — workflow cli-test\n  #  phase +status +risk +required done +attention\n  1  planning +NOT_STARTED +- +0\/3\n/);
      const unknownStatus = await cli(cwd, target, 'status', '--cycle', 'nope');
      assert.equal(unknownStatus.code, 2);
      assert.match(unknownStatus.stderr, /phasectl status: test cycle 'nope' does not exist/);

      // init: by name, by id; unknown names write nothing; a second init is a no-op.
      const before = await sql(target, 'SELECT count(*)::int AS n FROM workflow_phases');
      const bad = await cli(cwd, target, 'init', '--cycle', '2027-Q1', '--report', 'missing-report');
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /report 'missing-report' does not exist \(nothing written\)/);
      assert.deepEqual(await sql(target, 'SELECT count(*)::int AS n FROM workflow_phases'), before);
      const noWorkflow = await cli(cwd, target, 'init', '--cycle', '2027-Q1', '--report', 'CCAR', '--workflow', 'other');
      assert.equal(noWorkflow.code, 2);
      assert.match(noWorkflow.stderr, /workflow 'other' has not been synced to this database \(synced workflows: cli-test\)/);
      const ids = await sql(target, "SELECT (SELECT cycle_id FROM test_cycles WHERE cycle_name = '2027-Q1') AS c, (SELECT id FROM reports WHERE report_name = 'FR-2052a') AS r");
      const init = await cli(cwd, target, 'init', '--cycle', String(ids[0]?.c), '--report', String(ids[0]?.r));
      assert.equal(init.code, 0, init.stderr);
      assert.match(init.stdout, /^2027-Q1 \/ FR-2052a \(workflow cli-test\)\n  \+ instance\n/);
      const initAgain = await cli(cwd, target, 'init', '--cycle', '2027-Q1', '--report', 'FR-2052a');
      assert.equal(initAgain.code, 0);
      assert.match(initAgain.stdout, /up to date/);
      assert.deepEqual(await sql(target, 'SELECT count(*)::int AS n FROM workflow_phases'), [{ n: 27 }]);
      // An instance following another workflow is not taken over.
      await sql(target, "UPDATE workflow_instances SET workflow_name = 'other-workflow' WHERE report_id = $1", [ids[0]?.r]);
      const taken = await cli(cwd, target, 'init', '--cycle', '2027-Q1', '--report', 'FR-2052a', '--workflow', 'cli-test');
      assert.equal(taken.code, 3);
      assert.match(taken.stdout, /  ! refused: cycle '2027-Q1' \/ report 'FR-2052a' follows workflow 'other-workflow', not 'cli-test'/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  void test('sync refuses progress loss with exit 3 and writes nothing; --allow-partial writes the rest', async () => {
    const cwd = workspace();
    try {
      const target = await backend.freshTarget();
      assert.equal((await cli(cwd, target, 'db', 'migrate')).code, 0);
      await sql(target, "INSERT INTO test_cycles (cycle_name) VALUES ('2026-Q4')");
      await sql(target, "INSERT INTO reports (report_name) VALUES ('CCAR'), ($1)", [QUOTED]);
      assert.equal((await cli(cwd, target, 'sync', 'defs')).code, 0);
      await sql(target, "UPDATE workflow_activities SET status = 'IN_PROGRESS' WHERE activity_name = 'load_attributes'");
      const file = join(cwd, 'defs', 'two-reports.phases.yaml');
      const { readFileSync } = await import('node:fs');
      writeFileSync(file, readFileSync(file, 'utf8').replace('      - {name: load_attributes, type: TASK, role: tester}\n', '').replace('{name: assess_risk, type: TASK, role: tester}', '{name: assess_risk, type: TASK, role: test_executive}'));

      const refused = await cli(cwd, target, 'sync', 'defs');
      assert.equal(refused.code, 3);
      assert.match(refused.stdout, /  ! refused: activity 'load_attributes' of phase 'planning' \(activity_id \d+\) is IN_PROGRESS: removing it would lose its progress/);
      assert.match(refused.stderr, /nothing was written \(use --allow-partial to write the rest\)/);
      assert.deepEqual(await sql(target, "SELECT DISTINCT role FROM workflow_activities WHERE activity_name = 'assess_risk'"), [{ role: 'tester' }]);

      const partial = await cli(cwd, target, 'sync', 'defs', '--allow-partial', '--format', 'json');
      assert.equal(partial.code, 3);
      const json = JSON.parse(partial.stdout) as { applied: boolean; summary: { update: number; refused: number } };
      assert.equal(json.applied, true);
      // assess_risk's role in both instances; complete_planning keeps its order behind the kept load_attributes.
      assert.deepEqual(json.summary, { create: 0, update: 2, delete: 0, refused: 2 });
      assert.deepEqual(await sql(target, "SELECT DISTINCT role FROM workflow_activities WHERE activity_name = 'assess_risk'"), [{ role: 'test_executive' }]);
      assert.deepEqual(await sql(target, "SELECT status FROM workflow_activities WHERE activity_name = 'load_attributes'"), [{ status: 'IN_PROGRESS' }, { status: 'IN_PROGRESS' }]);
      assert.deepEqual(
        await sql(target, 'SELECT count(*)::int AS n FROM (SELECT phase_id, activity_order FROM workflow_activities GROUP BY 1, 2 HAVING count(*) > 1) d'),
        [{ n: 0 }],
        'activity orders stay unique per phase',
      );
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  void test('a file with validation errors is refused like `phasectl validate` reports it, nothing written', async () => {
    const cwd = workspace();
    try {
      const target = await backend.freshTarget();
      writeFileSync(join(cwd, 'defs', 'broken.phases.yaml'), 'version: 1\nworkflow: broken\nphases:\n  - name: planing\n');
      const r = await cli(cwd, target, 'sync', 'defs');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^defs\/broken\.phases\.yaml:4:\d+: error [a-z-]+: /m);
      assert.match(r.stderr, /Nothing was synced: fix the errors first\.\n$/);
      assert.equal(r.stdout, '');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

void test('phasectl demo runs end to end from the build, on a fresh embedded database', () => {
  const cli = join(root, 'dist', 'phasectl.js');
  assert.ok(existsSync(cli), 'dist/phasectl.js is missing: run `npm run build` (npm test does)');
  const home = mkdtempSync(join(tmpdir(), 'wp-demo-'));
  try {
    const folder = join(home, 'db');
    const run = spawnSync(process.execPath, [cli, 'demo', '--db', `embedded:${folder}`], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Summary: 120 created, 0 updated, 0 deleted, 0 refused\./);
    assert.match(run.stdout, /\$ phasectl status\n2026-Q4 \/ FR-2052a — workflow regulatory-testing\n/);
    assert.match(run.stdout, /  1  planning +IN_PROGRESS +medium +1\/5 +load_attributes BLOCKED\n/);
    assert.match(run.stdout, /2026-Q4 \/ FR-Y-14Q — workflow regulatory-testing\n.*\n  1  planning +COMPLETED +medium +5\/5\n  2  scoping +IN_PROGRESS +high +2\/6/);
    assert.match(run.stdout, /2027-Q1 \/ CCAR — workflow regulatory-testing\n/);
    // The database it left behind answers `status` in a new process.
    const status = spawnSync(process.execPath, [cli, 'status', '--db', `embedded:${folder}`, '--format', 'json'], { cwd: root, encoding: 'utf8' });
    assert.equal(status.status, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as { instances: unknown[] }).instances.length, 3);
    // The progress was made by the transitions engine, as the demo users: history rows with source `demo`.
    const history = spawnSync(process.execPath, [cli, 'history', '--cycle', '2026-Q4', '--report', 'FR-2052a', '--db', `embedded:${folder}`, '--format', 'json'], { cwd: root, encoding: 'utf8' });
    assert.equal(history.status, 0, history.stderr);
    const entries = (JSON.parse(history.stdout) as { history: { phase: string; activity: string | null; from: string; to: string; actor: string; reason: string | null; source: string }[] }).history;
    assert.deepEqual(entries.map((e) => [e.phase, e.activity, e.from, e.to, e.actor, e.reason, e.source]), [
      ['planning', null, 'NOT_STARTED', 'IN_PROGRESS', 'ana.tester@example.com', null, 'demo'],
      ['planning', 'start_planning', 'NOT_STARTED', 'IN_PROGRESS', 'ana.tester@example.com', null, 'demo'],
      ['planning', 'start_planning', 'IN_PROGRESS', 'COMPLETED', 'ana.tester@example.com', null, 'demo'],
      ['planning', 'load_attributes', 'NOT_STARTED', 'IN_PROGRESS', 'ana.tester@example.com', null, 'demo'],
      ['planning', 'load_attributes', 'IN_PROGRESS', 'BLOCKED', 'ana.tester@example.com', 'waiting for the attribute list from the report owner', 'demo'],
    ]);
    // Run again on the same database: the instances it moved are left as they are.
    const again = spawnSync(process.execPath, [cli, 'demo', '--db', `embedded:${folder}`], { cwd: root, encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /  2026-Q4 \/ FR-2052a: it has history already: left as it is\n/);
    assert.match(again.stdout, /  1  planning +IN_PROGRESS +medium +1\/5 +load_attributes BLOCKED\n/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
