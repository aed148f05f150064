/**
 * The test plumbing other suites stand on, against the real PostgreSQL: test database
 * names stay unique within PostgreSQL's 63 bytes, a migrated test database is a complete
 * copy of the migrated template, and processes asking for a new template at once make it
 * once. Also the seed choice of the randomised tests.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../server/db/database';
import { MIGRATIONS } from '../../server/db/migrations/generated-sql';
import { migrate } from '../../server/db/migrations/migrate';
import { chooseSeed } from '../helpers/fuzz-seed';
import { ADMIN_URL, createTestDatabase, postgresReachable, testDatabaseName, type TestDatabase } from '../helpers/postgres';
import { migratedTemplate, templateName } from '../helpers/template-database';

void describe('test databases [postgres]', async () => {
  if (!(await postgresReachable())) {
    void test('PostgreSQL is not reachable', { skip: 'no PostgreSQL (set DATABASE_URL)' }, () => undefined);
    return;
  }
  const made: TestDatabase[] = [];
  after(async () => {
    for (const d of made) await d.drop();
  });

  void test('long labels that differ only at the end give two databases, each under 63 bytes', async () => {
    const label = 'sync racing a transition on the same instance, with a long suite name';
    const a = await createTestDatabase(`${label} 1`);
    const b = await createTestDatabase(`${label} 2`);
    assert.ok(a && b);
    made.push(a, b);
    assert.notEqual(a.name, b.name);
    for (const d of [a, b]) {
      assert.ok(Buffer.byteLength(d.name) <= 63, `${d.name} is longer than PostgreSQL keeps`);
      const client = new pg.Client({ connectionString: d.url });
      await client.connect();
      assert.equal((await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db, d.name);
      await client.end();
    }
    assert.match(testDatabaseName('x'.repeat(200)), /^wp_test_x+_\d+_\d+_[a-z0-9]+$/);
  });

  void test('{migrated: true} is a copy of the template: every migration there, none to run, empty tables', async () => {
    const created = await createTestDatabase('migrated copy', { migrated: true });
    assert.ok(created);
    made.push(created);
    const db = await openDatabase({ kind: 'postgres', url: created.url });
    try {
      const report = await migrate(db);
      assert.deepEqual(report.applied, []);
      assert.equal(report.alreadyApplied, MIGRATIONS.length);
      assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM workflow_phases')).rows, [{ n: 0 }]);
      // The copy is a database of its own: what a test writes does not reach the template.
      await db.query("INSERT INTO test_cycles (cycle_name) VALUES ('only here')");
    } finally {
      await db.close();
    }
    const again = await createTestDatabase('migrated copy', { migrated: true });
    assert.ok(again);
    made.push(again);
    const other = await openDatabase({ kind: 'postgres', url: again.url });
    try {
      assert.deepEqual((await other.query('SELECT count(*)::int AS n FROM test_cycles')).rows, [{ n: 0 }]);
    } finally {
      await other.close();
    }
  });

  void test('three processes asking for a new template at once: it is made once, complete, and all get it', async () => {
    // A migration set of its own, so the template is new for this test.
    const extra = { version: 9000 + (process.pid % 900), name: `template-race-${process.pid}-${Date.now()}`, sql: 'CREATE TABLE template_race (id INTEGER)' };
    const migrations = [...MIGRATIONS, extra];
    const name = templateName(migrations);
    const admins = [0, 1, 2].map(() => new pg.Client({ connectionString: ADMIN_URL }));
    await Promise.all(admins.map((a) => a.connect()));
    try {
      // Separate modules would each have their own memo; one module asks three times at once.
      const names = await Promise.all(admins.map((a) => migratedTemplate(a, ADMIN_URL, migrations)));
      assert.deepEqual(names, [name, name, name]);
      const rows = await admins[0]!.query<{ datistemplate: boolean }>('SELECT datistemplate FROM pg_database WHERE datname = $1', [name]);
      assert.deepEqual(rows.rows, [{ datistemplate: true }]);
      const copy = `${name}_copy`;
      await admins[0]!.query(`CREATE DATABASE "${copy}" TEMPLATE "${name}"`);
      const url = new URL(ADMIN_URL);
      url.pathname = `/${copy}`;
      const db = await openDatabase({ kind: 'postgres', url: url.toString() });
      try {
        assert.deepEqual((await migrate(db, migrations)).applied, [], 'every migration, the extra one too, is in the template');
      } finally {
        await db.close();
        await admins[0]!.query(`DROP DATABASE "${copy}" WITH (FORCE)`);
      }
    } finally {
      await admins[0]!.query(`ALTER DATABASE "${name}" IS_TEMPLATE false`).catch(() => undefined);
      await admins[0]!.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await Promise.all(admins.map((a) => a.end()));
    }
  });
});

void describe('the seed of a randomised test', () => {
  void test('FUZZ_SEED replays, CI fixes it, otherwise it is random', () => {
    assert.deepEqual(chooseSeed(14, { FUZZ_SEED: '123', CI: 'true' }), { seed: 123, source: 'FUZZ_SEED' });
    assert.deepEqual(chooseSeed(14, { CI: 'true' }), { seed: 14, source: 'CI' });
    assert.deepEqual(chooseSeed(14, {}, () => 0.5), { seed: Math.floor(0.5 * 0x7fffffff), source: 'random' });
    assert.deepEqual(chooseSeed(14, { CI: 'false' }, () => 0.25), { seed: Math.floor(0.25 * 0x7fffffff), source: 'random' });
    assert.throws(() => chooseSeed(14, { FUZZ_SEED: 'abc' }), /FUZZ_SEED must be a whole number, not 'abc'/);
  });
});
