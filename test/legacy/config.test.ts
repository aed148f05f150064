/**
 * The legacy config file: bad files give problems that say where (line:col, path) and
 * what; a good one maps an extra phase table with its own column names and statuses,
 * an extra data table, and an ignored table, end to end through the built phasectl.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseLegacyConfig } from '../../server/db/legacy/config';
import type { LegacyReport } from '../../server/db/legacy/report';
import { phasectl } from './helpers';
import { legacyTestDb } from './setup';
import type { LegacyTestDb } from './setup';

const scratch = mkdtempSync(join(tmpdir(), 'wp-legacy-config-'));
const opened: LegacyTestDb[] = [];
after(async () => {
  for (const t of opened) await t.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Each bad config, and the problems it must produce as `line:col path: message`. */
const BAD: { name: string; text: string; want: string[] }[] = [
  {
    name: 'a misspelt phase, with a suggestion',
    text: '{\n  "phaseTables": {\n    "uat_phases": "test_executon"\n  }\n}\n',
    want: ["3:19 phaseTables.uat_phases: unknown phase 'test_executon' (did you mean 'test_execution'?); expected one of planning, scoping, data_request, data_profiling, sample_selection, request_info, test_execution, observation_mgmt, test_report"],
  },
  {
    name: 'an unknown top-level key',
    text: '{\n  "phaseTabels": {}\n}\n',
    want: ["2:3 phaseTabels: unknown key 'phaseTabels'"],
  },
  {
    name: 'an unknown unified column in a column map',
    text: '{"phaseTables": {"uat_phases": {"phase": "test_execution",\n  "columns": {"state": "uat_state"}}}}',
    want: ["2:15 phaseTables.uat_phases.columns.state: unknown key 'state'"],
  },
  {
    name: 'a status that is not a phase status',
    text: '{\n  "statuses": {\n    "On Hold": "ON_HOLD"\n  }\n}\n',
    want: ["3:16 statuses.On Hold: unknown phase status 'ON_HOLD'; expected one of NOT_STARTED, IN_PROGRESS, COMPLETED, SKIPPED"],
  },
  {
    name: 'a list that is not a list',
    text: '{"ignoreTables": "approval_phases"}',
    want: ['1:18 ignoreTables: Invalid input: expected array, received string'],
  },
  {
    name: 'not JSON at all',
    text: '{\n  "phaseTables": {,}\n}\n',
    want: ['2:19 (file): not valid JSON: '],
  },
];

void describe('legacy config file', () => {
  for (const bad of BAD) {
    void test(`problem: ${bad.name}`, () => {
      const parsed = parseLegacyConfig(bad.text);
      const got = parsed.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
      assert.equal(got.length, bad.want.length, got.join('\n'));
      bad.want.forEach((want, i) => assert.ok(got[i]!.startsWith(want), `${got[i]}\n  should start with\n${want}`));
      assert.deepEqual(parsed.value.phaseTables, {}, 'an unusable file maps nothing');
    });
  }

  void test('a good file: string and object forms, statuses by any spelling', () => {
    const parsed = parseLegacyConfig(
      JSON.stringify({
        phaseTables: { cdo_phases: 'data_request', uat_phases: { phase: 'test_execution', columns: { status: 'uat_state' } } },
        dataTables: { lob_mappings: 'data_request' },
        ignoreTables: ['approval_phases'],
        statuses: { 'On Hold': 'IN_PROGRESS' },
      }),
    );
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.value.phaseTables, {
      cdo_phases: { phase: 'data_request', columns: {} },
      uat_phases: { phase: 'test_execution', columns: { status: 'uat_state' } },
    });
  });

  void test('phasectl names the file, line and column of a bad config; exit 2', () => {
    const path = join(scratch, 'bad.json');
    writeFileSync(path, BAD[0]!.text);
    const run = phasectl(['migrate-legacy', '--config', path, '--db', 'postgres://postgres@127.0.0.1:1/unused']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^phasectl migrate-legacy: config file .*bad\.json is not valid:\n  .*bad\.json:3:19: phaseTables\.uat_phases: unknown phase 'test_executon' \(did you mean 'test_execution'\?\)/);
  });

  void test('an extra phase table with its own column names and statuses, an extra data table, an ignored table', async (ctx) => {
    const t = await legacyTestDb('legacy_config');
    if (!t) return ctx.skip('no PostgreSQL');
    opened.push(t);
    await t.db.exec(`
      INSERT INTO test_cycles (cycle_id, cycle_name) VALUES (1, '2026-Q1');
      INSERT INTO reports (id, report_name) VALUES (1, 'FR Y-9C'), (2, 'FFIEC 031');
      CREATE TABLE uat_phases (uat_id SERIAL PRIMARY KEY, cyc INTEGER, rpt INTEGER, uat_state VARCHAR(20), kickoff DATE, signoff DATE, tester_notes TEXT);
      INSERT INTO uat_phases (cyc, rpt, uat_state, kickoff, signoff, tester_notes) VALUES
        (1, 1, 'On Hold', DATE '2026-01-05', NULL, 'waiting for the CDO'),
        (1, 2, 'Complete', DATE '2026-01-06', DATE '2026-01-20', NULL);
      CREATE TABLE lob_mappings (id SERIAL PRIMARY KEY, cycle_id INTEGER, report_id INTEGER, lob TEXT);
      INSERT INTO lob_mappings (cycle_id, report_id, lob) VALUES (1, 1, 'Retail'), (1, 2, 'Wholesale'), (1, 2, 'Treasury');
      CREATE TABLE approval_phases (id SERIAL PRIMARY KEY, note TEXT);`);
    const path = join(scratch, 'workflow-phases.legacy.json');
    writeFileSync(
      path,
      JSON.stringify(
        {
          phaseTables: { uat_phases: { phase: 'test_execution', columns: { cycle_id: 'cyc', report_id: 'rpt', status: 'uat_state', started_at: 'kickoff', completed_at: 'signoff' } } },
          dataTables: { lob_mappings: 'test_execution' },
          ignoreTables: ['approval_phases'],
          statuses: { 'on hold': 'IN_PROGRESS' },
        },
        null,
        2,
      ),
    );
    // Found as the default config file of the working directory.
    const run = phasectl(['migrate-legacy', '--format', 'json', '--db', t.url], { cwd: scratch });
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const report = JSON.parse(run.stdout) as LegacyReport;
    assert.deepEqual(report.phaseTables.map((p) => [p.table, p.source, p.migrated]), [['uat_phases', 'config', 2]]);
    assert.deepEqual(report.dataTables.map((d) => [d.table, d.phaseFrom, d.backfilled]), [['lob_mappings', 'config', 3]]);
    assert.deepEqual(report.unrecognised, []);
    assert.equal(report.verification?.passed, true);
    const rows = await t.db.query<{ report_id: number; status: string; started_at: Date; completed_at: Date | null; notes: string | null }>(
      `SELECT report_id, status, started_at, completed_at, phase_metadata->'legacy'->'columns'->>'tester_notes' AS notes
         FROM workflow_phases ORDER BY report_id`,
    );
    assert.deepEqual(
      rows.rows.map((r) => [r.report_id, r.status, r.started_at.toISOString().slice(0, 10), r.completed_at?.toISOString().slice(0, 10) ?? null, r.notes]),
      [
        [1, 'IN_PROGRESS', '2026-01-05', null, 'waiting for the CDO'],
        [2, 'COMPLETED', '2026-01-06', '2026-01-20', null],
      ],
    );
  });
});
