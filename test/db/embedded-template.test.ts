/**
 * The shipped, pre-initialised embedded database (dist/pglite-template.tar.gz, made by
 * `npm run build`): a new folder starts from it, already migrated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openDatabase } from '../../server/db/database';
import { extractTar, seedFromTemplate, TEMPLATE_FILE } from '../../server/db/backends/embedded-template';
import { MIGRATIONS } from '../../server/db/migrations/generated-sql';
import { migrate } from '../../server/db/migrations/migrate';

const template = join(__dirname, '..', '..', 'dist', TEMPLATE_FILE);

void test('a new embedded folder starts from the shipped template, already migrated', async () => {
  assert.ok(existsSync(template), `${template} is missing: run \`npm run build\` (npm test does)`);
  const root = mkdtempSync(join(tmpdir(), 'wp-template-'));
  try {
    const folder = join(root, 'db');
    const db = await openDatabase({ kind: 'embedded', folder });
    try {
      assert.ok(existsSync(join(folder, 'PG_VERSION')));
      const report = await migrate(db);
      assert.deepEqual(report.applied, [], 'the template holds every migration');
      assert.equal(report.alreadyApplied, MIGRATIONS.length);
      assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM workflow_phases')).rows, [{ n: 0 }]);
    } finally {
      await db.close();
    }
    // An initialised folder is never overwritten.
    assert.equal(await seedFromTemplate(folder), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

void test('extraction writes PG_VERSION last, so an interrupted copy is redone', () => {
  assert.ok(existsSync(template), `${template} is missing: run \`npm run build\``);
  const archive = gunzipSync(readFileSync(template));
  // Cut the archive halfway: the folder must not look initialised.
  const root = mkdtempSync(join(tmpdir(), 'wp-template-'));
  try {
    extractTar(archive.subarray(0, Math.floor(archive.length / 2 / 512) * 512), join(root, 'half'));
    assert.ok(readdirSync(join(root, 'half')).length > 0);
    assert.equal(existsSync(join(root, 'half', 'PG_VERSION')), false);
    extractTar(archive, join(root, 'full'));
    assert.ok(existsSync(join(root, 'full', 'PG_VERSION')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
