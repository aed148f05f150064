import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMissingHostRows, hostOwnership } from '../../server/db/host-rows';
import { migrate } from '../../server/db/migrations/migrate';
import { describeEachBackend } from './helpers/backends';

describeEachBackend('host rows', (backend) => {
  void test('tables Workflow Phases created are standalone: missing cycles and reports are created once', async () => {
    const db = await backend.freshDatabase({ migrated: true });
    await migrate(db);
    assert.deepEqual(await hostOwnership(db), { standalone: true });
    await db.query("INSERT INTO reports (report_name) VALUES ('FR-Y-14Q')");
    const created = await createMissingHostRows(db, { cycles: ['2026-Q4', '2026-Q4'], reports: ['FR-Y-14Q', 'FR-2052a'] });
    assert.deepEqual(created.map((c) => `${c.kind} ${c.name}`), ['cycle 2026-Q4', 'report FR-2052a']);
    const again = await createMissingHostRows(db, { cycles: ['2026-Q4'], reports: ['FR-2052a'] });
    assert.deepEqual(again, []);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
    assert.equal(rows[0]!.n, 2);
  });

  void test("a host application's table is never written", async () => {
    const db = await backend.freshDatabase({ migrated: true });
    await migrate(db);
    // A host application's cycles table has columns of its own.
    await db.exec('ALTER TABLE test_cycles ADD COLUMN start_date DATE');
    const ownership = await hostOwnership(db);
    assert.equal(ownership.standalone, false);
    assert.match(ownership.standalone ? '' : ownership.reason, /^test_cycles belongs to a host application .*start_date/);
    await assert.rejects(createMissingHostRows(db, { cycles: ['2026-Q4'], reports: [] }), /host tables/);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM test_cycles');
    assert.equal(rows[0]!.n, 0);
  });
});
