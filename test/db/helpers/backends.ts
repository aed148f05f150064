/**
 * Runs one suite against both backends: a throwaway database on the real PostgreSQL
 * (see test/helpers/postgres.ts: a failure, not a skip, when CI or
 * WORKFLOW_PHASES_REQUIRE_PG is set) and a temporary PGlite folder.
 */
import { after, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../server/db/database';
import type { Database, DatabaseTarget } from '../../../server/db/database';
import { createTestDatabase } from '../../helpers/postgres';

/** What a suite body gets: which backend, and a way to make fresh databases on it. */
export interface Backend {
  readonly kind: 'postgres' | 'embedded';
  /** A new empty database on this backend (dropped / removed after the suite). */
  freshTarget(): Promise<DatabaseTarget>;
  /** Opens a new empty database on this backend; closed, dropped or removed after the suite. */
  freshDatabase(): Promise<Database>;
}

function backend(kind: Backend['kind'], makeTarget: () => Promise<DatabaseTarget>): Backend {
  const open: Database[] = [];
  after(async () => {
    for (const db of open) await db.close().catch(() => undefined);
  });
  return {
    kind,
    freshTarget: makeTarget,
    async freshDatabase() {
      const db = await openDatabase(await makeTarget());
      open.push(db);
      return db;
    },
  };
}

/** Declares `body` twice: once on PostgreSQL and once on PGlite. */
export function describeEachBackend(label: string, body: (backend: Backend) => void): void {
  void describe(`${label} [postgres]`, async () => {
    const drops: (() => Promise<void>)[] = [];
    let counter = 0;
    // Probe once so a missing server shows up as one skipped (or, in CI, failed) test.
    const probe = await createTestDatabase(`${label}_probe`);
    if (probe === null) {
      void test('PostgreSQL is not reachable', { skip: 'no PostgreSQL (set DATABASE_URL)' }, () => undefined);
      return;
    }
    await probe.drop();
    after(async () => {
      for (const drop of drops) await drop();
    });
    body(
      backend('postgres', async () => {
        const created = await createTestDatabase(`${label}_${++counter}`);
        if (created === null) throw new Error('PostgreSQL went away during the test run');
        drops.push(() => created.drop());
        return { kind: 'postgres', url: created.url };
      }),
    );
  });
  void describe(`${label} [pglite]`, () => {
    const folders: string[] = [];
    after(() => {
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    });
    body(
      backend('embedded', () => {
        const folder = mkdtempSync(join(tmpdir(), 'wp-pglite-'));
        folders.push(folder);
        return Promise.resolve({ kind: 'embedded', folder: join(folder, 'db') });
      }),
    );
  });
}
