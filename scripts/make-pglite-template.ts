// Makes dist/pglite-template.tar.gz: a PGlite data folder already initialised and
// migrated, which the embedded backend copies into a new folder instead of running
// initdb (seconds and ~800 MB). Run by scripts/build.mjs; skipped when the migrations
// and the PGlite version are unchanged since the last run (dist/pglite-template.json).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openEmbeddedOn, POSTGRESQL_CONF } from '../server/db/backends/pglite-database';
import { TEMPLATE_FILE } from '../server/db/backends/embedded-template';
import { MIGRATIONS } from '../server/db/migrations/generated-sql';
import { migrate } from '../server/db/migrations/migrate';

const root = join(__dirname, '..');
const dist = join(root, 'dist');
const stamp = join(dist, 'pglite-template.json');
const pgliteVersion = (JSON.parse(readFileSync(join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }).version;
const key = createHash('sha256').update(pgliteVersion).update(POSTGRESQL_CONF).update(JSON.stringify(MIGRATIONS)).digest('hex');

async function main(): Promise<void> {
  if (existsSync(join(dist, TEMPLATE_FILE)) && existsSync(stamp) && (JSON.parse(readFileSync(stamp, 'utf8')) as { key?: string }).key === key) {
    console.log('pglite template: up to date');
    return;
  }
  const pglite = await PGlite.create({ postgresqlconf: POSTGRESQL_CONF });
  const db = openEmbeddedOn(pglite, 'embedded (template)');
  await migrate(db);
  // A checkpoint leaves the data files complete, so the copy needs no WAL replay.
  await db.exec('CHECKPOINT');
  const archive = await pglite.dumpDataDir('gzip');
  await db.close();
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, TEMPLATE_FILE), Buffer.from(await archive.arrayBuffer()));
  writeFileSync(stamp, JSON.stringify({ key, pglite: pgliteVersion, migrations: MIGRATIONS.length }, null, 2));
  console.log(`pglite template: wrote dist/${TEMPLATE_FILE} (${Math.round(archive.size / 1024)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
