/**
 * A realistic legacy database, generated with set-based SQL so it scales from a test
 * (a few dozen pairs) to the benchmark (10,000 pairs, 200,000 data rows): one phase
 * table per phase with its own columns and column spellings, statuses in the old
 * spellings, `cycle_report_*` data tables referencing the legacy rows, and on request
 * orphans, conflicts and a row with an unknown status. Creates the host tables
 * (test_cycles, reports, users) when they are missing, as a host database has them.
 */
import type { Queryable } from '../../server/db/database';

/** What to generate. */
export interface FixtureOptions {
  readonly cycles: number;
  readonly reportsPerCycle: number;
  /** Rows across all data tables (split evenly over them). */
  readonly dataRows: number;
  /** Orphan phase rows, a dangling user id and unlinkable data rows. */
  readonly orphans?: boolean;
  /** Rows that collide with other rows for the same (cycle, report, phase). */
  readonly conflicts?: boolean;
  /** A test-execution row with a status no spelling maps ('On Hold'). */
  readonly unknownStatus?: boolean;
  /**
   * Data tables whose name suggests another phase than their foreign key:
   * `cycle_report_observations` (cycle, report and a reference to planning_phases) and
   * `cycle_report_test_cases_scope` (only `phase_id`, referencing scoping_phases).
   */
  readonly misleadingNames?: boolean;
}

/** What was generated, for assertions. */
export interface Fixture {
  readonly pairs: number;
  /** Rows per legacy phase table. */
  readonly phaseRows: Readonly<Record<string, number>>;
  /** Rows per data table. */
  readonly dataRows: Readonly<Record<string, number>>;
}

/** The legacy phase tables the fixture creates, with the phase each maps to. */
export const FIXTURE_PHASE_TABLES = {
  planning_phases: 'planning',
  scoping_phases: 'scoping',
  data_owner_phases: 'data_request',
  data_profiling_phases: 'data_profiling',
  sample_selection_phases: 'sample_selection',
  cycle_report_request_info_phases: 'request_info',
  testing_execution_phases: 'test_execution',
  observation_management_phases: 'observation_mgmt',
  test_report_phases: 'test_report',
} as const;

// Each pair n is at a stage 0..9; phase k (1..9) is done before its stage, under way at it.
const STATUS = (order: number) => `CASE
    WHEN ${order} < n % 10 THEN (ARRAY['Complete', 'Completed', 'completed', 'COMPLETE', 'Done'])[1 + n % 5]
    WHEN ${order} = n % 10 THEN (ARRAY['In Progress', 'in_progress', 'IN PROGRESS', 'Started'])[1 + n % 4]
    ELSE (ARRAY['Not Started', 'not started', 'Pending', NULL])[1 + n % 4] END`;
const STARTED = (order: number) => `CASE WHEN ${order} <= n % 10 THEN TIMESTAMP '2025-01-01' + (n % 300 + ${order}) * INTERVAL '1 day' END`;
const DONE = (order: number) => `CASE WHEN ${order} < n % 10 THEN TIMESTAMP '2025-01-03' + (n % 300 + ${order}) * INTERVAL '1 day' END`;
const PAIR = (r: number) => `1 + (n - 1) / ${r} AS cycle_id, 1 + (n - 1) % ${r} AS report_id`;

function phaseTablesSql(p: number, r: number): string[] {
  const series = `FROM generate_series(1, ${p}) AS n`;
  return [
    `CREATE TABLE planning_phases (
       phase_id SERIAL PRIMARY KEY, cycle_id INTEGER, report_id INTEGER, status VARCHAR(50),
       started_at TIMESTAMP, started_by INTEGER, completed_at TIMESTAMP, completed_by INTEGER,
       attributes_loaded INTEGER, planning_notes TEXT,
       created_at TIMESTAMP DEFAULT now(), updated_at TIMESTAMP DEFAULT now())`,
    `INSERT INTO planning_phases (phase_id, cycle_id, report_id, status, started_at, started_by, completed_at, completed_by, attributes_loaded, planning_notes, created_at, updated_at)
     SELECT n, ${PAIR(r)}, ${STATUS(1)}, ${STARTED(1)}, CASE WHEN 1 <= n % 10 THEN 1 + n % 20 END, ${DONE(1)}, CASE WHEN 1 < n % 10 THEN 1 + (n + 1) % 20 END,
            50 + n % 200, 'attributes for report ' || (1 + (n - 1) % ${r}), TIMESTAMP '2024-12-01' + n * INTERVAL '1 minute', TIMESTAMP '2025-06-01' ${series}`,
    `CREATE TABLE scoping_phases (
       id SERIAL PRIMARY KEY, cycle_id INTEGER, report_id INTEGER, phase_status VARCHAR(30),
       start_date DATE, completion_date DATE, risk_level VARCHAR(10), attributes_in_scope INTEGER,
       scoping_approach TEXT, approved_by INTEGER)`,
    `INSERT INTO scoping_phases (id, cycle_id, report_id, phase_status, start_date, completion_date, risk_level, attributes_in_scope, scoping_approach, approved_by)
     SELECT n, ${PAIR(r)}, ${STATUS(2)}, (${STARTED(2)})::date, (${DONE(2)})::date,
            (ARRAY['High', 'medium', 'LOW', NULL])[1 + n % 4], 10 + n % 40, (ARRAY['risk-based', 'full'])[1 + n % 2], 1 + n % 20 ${series}`,
    `CREATE TABLE data_owner_phases (
       id SERIAL PRIMARY KEY, cycle_id INTEGER NOT NULL, report_id INTEGER NOT NULL, status VARCHAR(50),
       started_at TIMESTAMP, completed_at TIMESTAMP, lobs_assigned INTEGER, cdo_notified_at TIMESTAMPTZ)`,
    `INSERT INTO data_owner_phases (id, cycle_id, report_id, status, started_at, completed_at, lobs_assigned, cdo_notified_at)
     SELECT n, ${PAIR(r)}, ${STATUS(3)}, ${STARTED(3)}, ${DONE(3)}, 1 + n % 5, TIMESTAMPTZ '2025-02-01 09:00+00' ${series}`,
    `CREATE TABLE data_profiling_phases (
       id SERIAL PRIMARY KEY, cycle_id INTEGER, report_id INTEGER, status VARCHAR(50),
       started_at TIMESTAMP, started_by INTEGER, completed_at TIMESTAMP, completed_by INTEGER,
       total_files INTEGER, rules_generated INTEGER, quality_score NUMERIC(5, 2), profiling_config JSONB)`,
    `INSERT INTO data_profiling_phases (id, cycle_id, report_id, status, started_at, started_by, completed_at, completed_by, total_files, rules_generated, quality_score, profiling_config)
     SELECT n, ${PAIR(r)}, ${STATUS(4)}, ${STARTED(4)}, 1 + n % 20, ${DONE(4)}, 1 + (n + 3) % 20,
            n % 7, n % 90, round((60 + n % 40)::numeric + 0.25, 2), jsonb_build_object('sampling', n % 2 = 0, 'engine', 'v2') ${series}`,
    `CREATE TABLE sample_selection_phases (
       phase_id SERIAL PRIMARY KEY, test_cycle_id INTEGER, report_id INTEGER, status VARCHAR(50),
       actual_start_date TIMESTAMP, actual_end_date TIMESTAMP, started_by VARCHAR(255),
       sample_size INTEGER, selection_method VARCHAR(50))`,
    `INSERT INTO sample_selection_phases (phase_id, test_cycle_id, report_id, status, actual_start_date, actual_end_date, started_by, sample_size, selection_method)
     SELECT n, ${PAIR(r)}, ${STATUS(5)}, ${STARTED(5)}, ${DONE(5)}, 'tester' || (1 + n % 20) || '@bank.example',
            25 + n % 50, (ARRAY['random', 'stratified', 'judgmental'])[1 + n % 3] ${series}`,
    `CREATE TABLE cycle_report_request_info_phases (
       id SERIAL PRIMARY KEY, cycle_id INTEGER, report_id INTEGER, status VARCHAR(50),
       started_at TIMESTAMP, completed_at TIMESTAMP, evidence_due_date DATE, total_requests INTEGER)`,
    `INSERT INTO cycle_report_request_info_phases (id, cycle_id, report_id, status, started_at, completed_at, evidence_due_date, total_requests)
     SELECT n, ${PAIR(r)}, ${STATUS(6)}, ${STARTED(6)}, ${DONE(6)}, DATE '2025-09-30', n % 30 ${series}`,
    `CREATE TABLE testing_execution_phases (
       execution_id SERIAL PRIMARY KEY, cycle_id INTEGER, report_id INTEGER, status VARCHAR(50),
       started_at TIMESTAMP, completed_at TIMESTAMP, total_test_cases INTEGER, passed INTEGER, failed INTEGER)`,
    `INSERT INTO testing_execution_phases (execution_id, cycle_id, report_id, status, started_at, completed_at, total_test_cases, passed, failed)
     SELECT n, ${PAIR(r)}, ${STATUS(7)}, ${STARTED(7)}, ${DONE(7)}, 20 + n % 30, 18 + n % 30, 2 ${series}`,
    `CREATE TABLE observation_management_phases (
       id SERIAL PRIMARY KEY, cycle_id INTEGER, report_id INTEGER, status VARCHAR(50),
       started_at TIMESTAMP, completed_at TIMESTAMP, total_observations INTEGER, high_severity INTEGER)`,
    `INSERT INTO observation_management_phases (id, cycle_id, report_id, status, started_at, completed_at, total_observations, high_severity)
     SELECT n, ${PAIR(r)}, ${STATUS(8)}, ${STARTED(8)}, ${DONE(8)}, n % 12, n % 3 ${series}`,
    `CREATE TABLE test_report_phases (
       id SERIAL PRIMARY KEY, cycle_id INTEGER, report_id INTEGER, status VARCHAR(50),
       started_at TIMESTAMP, completed_at TIMESTAMP, report_version VARCHAR(20), signed_off_by INTEGER, final_report_path TEXT)`,
    `INSERT INTO test_report_phases (id, cycle_id, report_id, status, started_at, completed_at, report_version, signed_off_by, final_report_path)
     SELECT n, ${PAIR(r)}, ${STATUS(9)}, ${STARTED(9)}, ${DONE(9)}, 'v' || (1 + n % 3), 1 + n % 20, '/reports/' || n || '.pdf' ${series}`,
  ];
}

/** The data tables: name, DDL (after `id SERIAL PRIMARY KEY, `), and the INSERT column list and SELECT for pair `p`. */
function dataTables(): { table: string; ddl: string; columns: string; select: string }[] {
  const pair = 'cycle_id, report_id';
  return [
    { table: 'cycle_report_planning_attributes', ddl: 'cycle_id INTEGER, report_id INTEGER, attribute_name VARCHAR(100), is_key BOOLEAN, planning_phase_id INTEGER REFERENCES planning_phases (phase_id)', columns: `${pair}, attribute_name, is_key, planning_phase_id`, select: `c, r, 'attr_' || k, k % 5 = 0, p` },
    { table: 'cycle_report_scoping_decisions', ddl: 'cycle_id INTEGER, report_id INTEGER, attribute_id INTEGER, in_scope BOOLEAN', columns: `${pair}, attribute_id, in_scope`, select: 'c, r, k, k % 3 <> 0' },
    { table: 'cycle_report_data_owner_lob_assignments', ddl: 'cycle_id INTEGER, report_id INTEGER, lob_name VARCHAR(100), data_owner_id INTEGER', columns: `${pair}, lob_name, data_owner_id`, select: `c, r, 'LOB ' || k % 7, 1 + k % 20` },
    { table: 'cycle_report_data_profiling_files', ddl: 'cycle_id INTEGER, report_id INTEGER, file_name TEXT, row_count INTEGER, data_profiling_phase_id INTEGER REFERENCES data_profiling_phases (id)', columns: `${pair}, file_name, row_count, data_profiling_phase_id`, select: `c, r, 'extract_' || k || '.csv', k * 13 % 100000, p` },
    { table: 'cycle_report_data_profiling_rules', ddl: 'phase_id INTEGER REFERENCES data_profiling_phases (id), rule_text TEXT', columns: 'phase_id, rule_text', select: `p, 'value IS NOT NULL -- rule ' || k` },
    { table: 'cycle_report_sample_selection_samples', ddl: 'cycle_id INTEGER, report_id INTEGER, sample_key VARCHAR(50), selected BOOLEAN', columns: `${pair}, sample_key, selected`, select: `c, r, 'S-' || k, true` },
    { table: 'cycle_report_request_info_evidence', ddl: 'request_info_phase_id INTEGER REFERENCES cycle_report_request_info_phases (id), document_name TEXT', columns: 'request_info_phase_id, document_name', select: `p, 'evidence-' || k || '.pdf'` },
    { table: 'cycle_report_test_execution_test_cases', ddl: 'cycle_id INTEGER, report_id INTEGER, test_case_ref VARCHAR(50), result VARCHAR(10)', columns: `${pair}, test_case_ref, result`, select: `c, r, 'TC-' || k, (ARRAY['pass', 'fail'])[1 + k % 2]` },
    { table: 'cycle_report_observation_mgmt_observations', ddl: 'cycle_id INTEGER, report_id INTEGER, severity VARCHAR(10), description TEXT', columns: `${pair}, severity, description`, select: `c, r, (ARRAY['low', 'medium', 'high'])[1 + k % 3], 'observation ' || k` },
    { table: 'cycle_report_test_report_sections', ddl: 'cycle_id INTEGER, report_id INTEGER, section_name VARCHAR(100), content TEXT', columns: `${pair}, section_name, content`, select: `c, r, 'Section ' || k % 6, repeat('text ', 5)` },
  ];
}

/** Builds the legacy database in `db`, with or without the Workflow Phases schema applied. */
export async function buildLegacyFixture(db: Queryable, options: FixtureOptions): Promise<Fixture> {
  const { cycles, reportsPerCycle: r } = options;
  const p = cycles * r;
  const run = async (sql: string) => {
    await db.query(sql);
  };
  // The host application's tables; a host database has them before Workflow Phases arrives.
  await run(`CREATE TABLE IF NOT EXISTS test_cycles (cycle_id SERIAL PRIMARY KEY, cycle_name VARCHAR(255) NOT NULL UNIQUE, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)`);
  await run(`CREATE TABLE IF NOT EXISTS reports (id SERIAL PRIMARY KEY, report_name VARCHAR(255) NOT NULL UNIQUE, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)`);
  await run(
    `CREATE TABLE IF NOT EXISTS users (user_id SERIAL PRIMARY KEY, email VARCHAR(255) UNIQUE, name VARCHAR(255), role VARCHAR(50), created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)`,
  );
  await run(`INSERT INTO test_cycles (cycle_id, cycle_name) SELECT n, '2025-Q' || n FROM generate_series(1, ${cycles}) AS n`);
  await run(`INSERT INTO reports (id, report_name) SELECT n, 'FR-' || n FROM generate_series(1, ${r}) AS n`);
  await run(`INSERT INTO users (user_id, email, name, role) SELECT n, 'tester' || n || '@bank.example', 'Tester ' || n, 'tester' FROM generate_series(1, 20) AS n`);
  await run(`SELECT setval('test_cycles_cycle_id_seq', ${cycles}), setval('reports_id_seq', ${r}), setval('users_user_id_seq', 20)`);
  for (const sql of phaseTablesSql(p, r)) await run(sql);
  const phaseRows: Record<string, number> = Object.fromEntries(Object.keys(FIXTURE_PHASE_TABLES).map((t) => [t, p]));

  const tables = dataTables();
  const perTable = Math.max(1, Math.floor(options.dataRows / tables.length));
  const dataRows: Record<string, number> = {};
  for (const t of tables) {
    await run(`CREATE TABLE ${t.table} (id SERIAL PRIMARY KEY, ${t.ddl})`);
    // Row k belongs to pair p = 1 + (k - 1) % pairs, i.e. cycle c and report r.
    await run(
      `INSERT INTO ${t.table} (${t.columns})
       SELECT ${t.select} FROM (
         SELECT k, 1 + (k - 1) % ${p} AS p, 1 + ((k - 1) % ${p}) / ${r} AS c, 1 + ((k - 1) % ${p}) % ${r} AS r
           FROM generate_series(1, ${perTable}) AS k) AS g`,
    );
    dataRows[t.table] = perTable;
  }
  // Tables a legacy database also has that the migration must report, not touch.
  await run(`CREATE TABLE approval_phases (id SERIAL PRIMARY KEY, cycle_id INTEGER, report_id INTEGER, status VARCHAR(50))`);
  await run(`INSERT INTO approval_phases (cycle_id, report_id, status) VALUES (1, 1, 'Approved')`);
  await run(`CREATE TABLE cycle_report_misc_notes (id SERIAL PRIMARY KEY, note TEXT)`);

  if (options.misleadingNames) {
    await run(
      `CREATE TABLE cycle_report_observations (id SERIAL PRIMARY KEY, cycle_id INTEGER, report_id INTEGER, finding TEXT,
         planning_phase_id INTEGER REFERENCES planning_phases (phase_id))`,
    );
    await run(`INSERT INTO cycle_report_observations (cycle_id, report_id, finding, planning_phase_id) SELECT cycle_id, report_id, 'finding ' || phase_id, phase_id FROM planning_phases`);
    dataRows.cycle_report_observations = phaseRows.planning_phases!;
    await run(`CREATE TABLE cycle_report_test_cases_scope (id SERIAL PRIMARY KEY, phase_id INTEGER REFERENCES scoping_phases (id), test_case_ref TEXT)`);
    await run(`INSERT INTO cycle_report_test_cases_scope (phase_id, test_case_ref) SELECT id, 'TC-' || id FROM scoping_phases`);
    dataRows.cycle_report_test_cases_scope = phaseRows.scoping_phases!;
  }
  if (options.orphans) {
    await run(`INSERT INTO planning_phases (phase_id, cycle_id, report_id, status) VALUES (${p + 1}, 99999, 1, 'Complete'), (${p + 2}, 1, NULL, 'In Progress')`);
    phaseRows.planning_phases! += 2;
    await run(`UPDATE planning_phases SET started_by = 999 WHERE phase_id = 1`);
    await run(`INSERT INTO cycle_report_sample_selection_samples (cycle_id, report_id, sample_key) VALUES (NULL, NULL, 'S-unassigned-1'), (NULL, NULL, 'S-unassigned-2')`);
    dataRows.cycle_report_sample_selection_samples! += 2;
    await run(`INSERT INTO cycle_report_observation_mgmt_observations (cycle_id, report_id, severity, description) VALUES (99999, 1, 'high', 'observation of a deleted cycle')`);
    dataRows.cycle_report_observation_mgmt_observations! += 1;
  }
  if (options.conflicts) {
    await run(`CREATE TABLE data_provider_phases (id SERIAL PRIMARY KEY, cycle_id INTEGER, report_id INTEGER, status VARCHAR(50), provider_name TEXT)`);
    await run(`INSERT INTO data_provider_phases (cycle_id, report_id, status, provider_name) VALUES (1, 1, 'Completed', 'Treasury'), (1, 2, 'in progress', 'Finance')`);
    phaseRows.data_provider_phases = 2;
    await run(`INSERT INTO test_report_phases (id, cycle_id, report_id, status, report_version) VALUES (${p + 1}, 1, 1, 'Not Started', 'draft')`);
    phaseRows.test_report_phases! += 1;
    // A unified row made by sync before the migration ran (only where the schema is there already).
    const unified = await db.query<{ present: boolean }>(`SELECT to_regclass('workflow_phases') IS NOT NULL AS present`);
    if (unified.rows[0]!.present) {
      await run(
        `INSERT INTO workflow_phases (cycle_id, report_id, phase_name, phase_order, status, phase_metadata)
         VALUES (1, ${Math.min(3, r)}, 'scoping', 2, 'IN_PROGRESS', '{"synced_from": "regulatory-testing.phases.yaml"}')`,
      );
    }
  }
  if (options.unknownStatus) {
    await run(`UPDATE testing_execution_phases SET status = 'On Hold' WHERE execution_id = ${Math.min(5, p)}`);
  }
  await run(`ANALYZE`);
  return { pairs: p, phaseRows, dataRows };
}
