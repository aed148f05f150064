/**
 * A definition file outside every workspace folder counts only while it is open: closed,
 * it is forgotten (its diagnostics cleared, out of the cross-file rules), while a closed
 * file of the workspace goes on counting as it is on disk.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LspClient, uriOf } from './client';

const shared = readFileSync(join(__dirname, '..', 'fixtures', 'duplicate-workflow', 'bad', 'a.phases.yaml'), 'utf8');

let dir: string;
let client: LspClient;
// `outside/` sorts before `workspace/`: the workspace file is the later duplicate, reported against the outside one.
const inside = () => uriOf(join(dir, 'workspace', 'a.phases.yaml'));
const outside = (name: string) => uriOf(join(dir, 'outside', `${name}.phases.yaml`));
const codes = (uri: string) => (client.diagnostics.get(uri) ?? []).map((d) => String(d.code));
const relatedOf = (uri: string) => (client.diagnostics.get(uri) ?? []).flatMap((d) => d.relatedInformation?.map((r) => r.location.uri) ?? []);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wp-lsp-outside-'));
  mkdirSync(join(dir, 'workspace'));
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(dir, 'workspace', 'a.phases.yaml'), shared);
  writeFileSync(join(dir, 'outside', 'b.phases.yaml'), shared);
  writeFileSync(join(dir, 'outside', 'c.phases.yaml'), shared);
  client = await LspClient.start({ rootPath: join(dir, 'workspace') });
  await client.waitFor('the workspace file validated', () => client.diagnostics.has(inside()));
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('an outside file opened and closed is forgotten: diagnostics cleared, no longer a duplicate', async () => {
  assert.deepEqual(codes(inside()), []);
  const duplicate = client.nextDiagnostics(inside(), (ds) => ds.some((d) => d.code === 'duplicate-workflow'));
  await client.open(outside('b'), shared);
  await duplicate;
  assert.deepEqual(relatedOf(inside()), [outside('b')]);

  const cleared = client.nextDiagnostics(outside('b'));
  const clean = client.nextDiagnostics(inside(), (ds) => ds.length === 0);
  await client.close(outside('b'));
  assert.deepEqual(await cleared, []);
  await clean;
  await client.waitFor('one known file', () => client.statuses.at(-1)?.files === 1 && client.statuses.at(-1)?.quiescent === true);
});

test('a file opened later is checked against the workspace only, not the forgotten one', async () => {
  const published = client.published.length;
  const duplicate = client.nextDiagnostics(inside(), (ds) => ds.some((d) => d.code === 'duplicate-workflow'));
  await client.open(outside('c'), shared);
  await duplicate;
  assert.deepEqual(relatedOf(inside()), [outside('c')]);
  assert.deepEqual(codes(outside('c')), []);
  assert.equal(client.published.slice(published).some((p) => p.uri === outside('b')), false, 'nothing more about the forgotten file');
  const clean = client.nextDiagnostics(inside(), (ds) => ds.length === 0);
  await client.close(outside('c'));
  await clean;
});

test('a workspace file opened and closed still counts as it is on disk', async () => {
  await client.open(inside(), shared);
  const duplicate = client.nextDiagnostics(inside(), (ds) => ds.some((d) => d.code === 'duplicate-workflow'));
  await client.close(inside());
  await client.open(outside('b'), shared);
  await duplicate;
  assert.deepEqual(relatedOf(inside()), [outside('b')]);
  await client.waitFor('two known files', () => client.statuses.at(-1)?.files === 2 && client.statuses.at(-1)?.quiescent === true);
  await client.close(outside('b'));
});
