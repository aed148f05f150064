/**
 * Runs one suite against both backends: a throwaway database on the real PostgreSQL
 * (see test/helpers/postgres.ts: a failure, not a skip, when CI or
 * WORKFLOW_PHASES_REQUIRE_PG is set) and a temporary PGlite folder. A fresh database is
 * empty, or with `{migrated: true}` already migrated: on PostgreSQL a copy of the migrated
 * template, on PGlite the pre-initialised template every new embedded folder starts from.
 */
import { after, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../server/db/database';
import type { Database, DatabaseTarget } from '../../../server/db/database';
import { createTestDatabase, postgresReachable } from '../../helpers/postgres';

/** What a fresh database holds. */
export interface FreshOptions {
  /** Migrated to the current schema, as `migrate` leaves it (the embedded backend always is). */
  readonly migrated?: boolean;
}

/** What a suite body gets: which backend, and a way to make fresh databases on it. */
export interface Backend {
  readonly kind: 'postgres' | 'embedded';
  /** A new database on this backend, empty unless `migrated` (dropped / removed after the suite). */
  freshTarget(options?: FreshOptions): Promise<DatabaseTarget>;
  /** Opens a new database on this backend, empty unless `migrated`; closed, dropped or removed after the suite. */
  freshDatabase(options?: FreshOptions): Promise<Database>;
}

function backend(kind: Backend['kind'], makeTarget: (options?: FreshOptions) => Promise<DatabaseTarget>): Backend {
  const open: Database[] = [];
  after(async () => {
    for (const db of open) await db.close().catch(() => undefined);
  });
  return {
    kind,
    freshTarget: makeTarget,
    async freshDatabase(options) {
      const db = await openDatabase(await makeTarget(options));
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
    if (!(await postgresReachable())) {
      void test('PostgreSQL is not reachable', { skip: 'no PostgreSQL (set DATABASE_URL)' }, () => undefined);
      return;
    }
    after(async () => {
      for (const drop of drops) await drop();
    });
    body(
      backend('postgres', async (options) => {
        const created = await createTestDatabase(`${label}_${++counter}`, options);
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
