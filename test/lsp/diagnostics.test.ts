/**
 * Pushed diagnostics through the built server over stdio: exact ranges, codes, docs
 * links and related locations; incremental edits; closed files on disk, kept current
 * by file-watch notifications, with cross-file rules.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { FileChangeType, TextDocumentSyncKind, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, messageOf, positionOf, uriOf } from './client';

const root = join(__dirname, '..', '..');
const fixture = (path: string) => readFileSync(join(root, 'test', 'fixtures', path), 'utf8');
const brief = (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${String(d.code)}`;

describe('diagnostics of open documents', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('initialize announces incremental sync and every feature', () => {
    const caps = client.initializeResult.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: TextDocumentSyncKind.Incremental });
    assert.ok(caps.completionProvider && caps.hoverProvider && caps.codeActionProvider && caps.documentSymbolProvider);
    assert.ok(caps.foldingRangeProvider && caps.definitionProvider && caps.referencesProvider);
    assert.equal(client.initializeResult.serverInfo?.name, 'workflow-phases');
  });

  test('the complete example has no diagnostics', async () => {
    const text = readFileSync(join(root, 'examples', 'regulatory-testing.phases.yaml'), 'utf8');
    assert.deepEqual(await client.open('file:///virtual/example.phases.yaml', text), []);
  });

  test('an unknown phase: exact range, rule code, source, docs link, fix facts', async () => {
    const uri = 'file:///virtual/unknown-phase.phases.yaml';
    const [d, ...rest] = await client.open(uri, fixture('unknown-phase/bad.phases.yaml'));
    assert.equal(rest.length, 0);
    assert.equal(brief(d!), '9:10-9:17 unknown-phase');
    assert.equal(d!.source, 'workflow-phases');
    assert.equal(d!.severity, 1);
    assert.match(messageOf(d!), /did you mean 'scoping'/);
    assert.equal(d!.codeDescription?.href, uriOf(join(root, 'docs', 'rules', 'unknown-phase.md')));
    assert.ok(existsSync(fileURLToPath(d!.codeDescription.href)), 'the docs page ships beside dist/');
    assert.deepEqual(d!.data, { suggestion: 'scoping' });
  });

  test('incremental edits: fixing the typo clears it, a new mistake is reported at its place', async () => {
    const uri = 'file:///virtual/edits.phases.yaml';
    const text = fixture('unknown-phase/bad.phases.yaml');
    await client.open(uri, text);
    const at = positionOf(text, 'scopign');
    const fixed = await client.edit(uri, { start: { line: at.line, character: at.character + 5 }, end: { line: at.line, character: at.character + 7 } }, 'ng');
    assert.deepEqual(fixed, []);
    const type = positionOf(text, 'type: TASK', 6);
    const broken = await client.edit(uri, { start: type, end: { line: type.line, character: type.character + 4 } }, 'TASC');
    assert.deepEqual(broken.map(brief), [`${type.line}:${type.character}-${type.line}:${type.character + 4} invalid-value`]);
    // Several changes in one notification, applied in order.
    const both = await client.change(uri, [
      { range: { start: type, end: { line: type.line, character: type.character + 4 } }, text: 'TASK' },
      { range: { start: { line: 0, character: 9 }, end: { line: 0, character: 10 } }, text: '2' },
    ]);
    assert.deepEqual(both.map((d) => d.code), ['invalid-value']);
    assert.equal(both[0]!.range.start.line, 0);
  });

  test('typing quickly: many small changes sent at once end in the diagnostics of the last version', async () => {
    const uri = 'file:///virtual/typing.phases.yaml';
    const text = fixture('unknown-phase/bad.phases.yaml');
    await client.open(uri, text);
    const at = positionOf(text, 'scopign');
    // Delete the misspelt word letter by letter, then type the right one, without waiting in between.
    const changes: { range: { start: typeof at; end: typeof at }; text: string }[] = [];
    for (let i = 'scopign'.length; i > 0; i--) changes.push({ range: { start: { line: at.line, character: at.character + i - 1 }, end: { line: at.line, character: at.character + i } }, text: '' });
    [...'data_request'].forEach((ch, i) => changes.push({ range: { start: { line: at.line, character: at.character + i }, end: { line: at.line, character: at.character + i } }, text: ch }));
    const last = 1 + changes.length;
    const final = client.nextDiagnostics(uri, (_d, p) => p.version === last);
    for (const [i, change] of changes.entries()) {
      void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [change] });
    }
    const diagnostics = await final;
    // The same final text, opened fresh, must get exactly the same diagnostics.
    const lines = text.split('\n');
    lines[at.line] = lines[at.line]!.replace('scopign', 'data_request');
    const fresh = await client.open('file:///virtual/typing-expected.phases.yaml', lines.join('\n'));
    assert.deepEqual(diagnostics.map(brief), fresh.map(brief));
    assert.ok(diagnostics.some((d) => d.code === 'missing-phase' && messageOf(d).includes("'scoping'")), JSON.stringify(diagnostics.map(brief)));
    assert.equal(diagnostics.some((d) => d.code === 'unknown-phase'), false);
  });

  test('related information points at the first duplicate', async () => {
    const uri = 'file:///virtual/duplicate-phase.phases.yaml';
    const text = fixture('duplicate-phase/bad.phases.yaml');
    const diagnostics = await client.open(uri, text);
    const dup = diagnostics.find((d) => d.code === 'duplicate-phase');
    assert.ok(dup, JSON.stringify(diagnostics));
    const related = dup.relatedInformation?.[0];
    assert.equal(related?.location.uri, uri);
    const line = text.split('\n')[related.location.range.start.line]!;
    assert.match(line, /name:/);
    assert.ok(related.location.range.start.line < dup.range.start.line);
  });

  test('a closed document that is not on disk loses its diagnostics', async () => {
    const uri = 'file:///virtual/closing.phases.yaml';
    assert.equal((await client.open(uri, fixture('unknown-phase/bad.phases.yaml'))).length, 1);
    const cleared = client.nextDiagnostics(uri);
    await client.close(uri);
    assert.deepEqual(await cleared, []);
  });

  test('documents that are not definition files are left alone', async () => {
    const uri = 'file:///virtual/other.yaml';
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: 'a: [' } });
    const probe = 'file:///virtual/probe.phases.yaml';
    await client.open(probe, 'version: 1\n');
    assert.equal(client.published.some((p) => p.uri === uri), false);
  });

  test('the status notification counts files and problems once quiet', async () => {
    await client.waitFor('a quiescent status', () => client.statuses.some((s) => s.quiescent && s.health === 'ok'));
    const last = client.statuses[client.statuses.length - 1]!;
    assert.equal(last.health, 'ok');
    assert.match(last.message, /definition files?, \d+ problems?/);
  });
});

describe('definition files on disk', () => {
  let dir: string;
  let client: LspClient;
  const a = () => join(dir, 'a.phases.yaml');
  const b = () => join(dir, 'nested', 'b.phases.yaml');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wp-lsp-disk-'));
    writeFileSync(a(), fixture('duplicate-workflow/bad/a.phases.yaml'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(b(), fixture('duplicate-workflow/bad/b.phases.yaml'));
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'node_modules', 'ignored.phases.yaml'), 'nonsense: [');
    client = await LspClient.start({ rootPath: dir });
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the workspace scan validates closed files, across files', async () => {
    await client.waitFor('diagnostics of both files', () => client.diagnostics.has(uriOf(a())) && client.diagnostics.has(uriOf(b())));
    assert.deepEqual(client.diagnostics.get(uriOf(a())), []);
    const [dup, ...rest] = client.diagnostics.get(uriOf(b()))!;
    assert.equal(rest.length, 0);
    assert.equal(brief(dup!), '1:10-1:21 duplicate-workflow');
    assert.equal(dup!.relatedInformation?.[0]?.location.uri, uriOf(a()));
    assert.deepEqual(dup!.relatedInformation?.[0]?.location.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 21 } });
    assert.equal(client.published.some((p) => p.uri.includes('node_modules')), false);
  });

  test('the server asks to watch definition files', async () => {
    await client.waitFor('a watcher registration', () => client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'));
    const reg = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!;
    assert.match(JSON.stringify(reg.registerOptions), /\*\*\/\*\.phases\.yaml/);
  });

  test('a file changed on disk while closed is revalidated: the cross-file problem goes away', async () => {
    writeFileSync(b(), fixture('duplicate-workflow/bad/b.phases.yaml').replace('workflow: shared-name', 'workflow: other-name'));
    const next = client.nextDiagnostics(uriOf(b()));
    await client.filesChanged([{ uri: uriOf(b()), type: FileChangeType.Changed }]);
    assert.deepEqual(await next, []);
  });

  test('a new file on disk is validated; a deleted one is cleared', async () => {
    const c = join(dir, 'c.phases.yaml');
    writeFileSync(c, fixture('unknown-phase/bad.phases.yaml'));
    const created = client.nextDiagnostics(uriOf(c));
    await client.filesChanged([{ uri: uriOf(c), type: FileChangeType.Created }]);
    assert.deepEqual((await created).map((d) => d.code), ['unknown-phase']);
    unlinkSync(c);
    const deleted = client.nextDiagnostics(uriOf(c));
    await client.filesChanged([{ uri: uriOf(c), type: FileChangeType.Deleted }]);
    assert.deepEqual(await deleted, []);
  });

  test('watch events under node_modules are ignored', async () => {
    const ignored = join(dir, 'node_modules', 'ignored.phases.yaml');
    // The same notification reports a real file after it: once that one is revalidated, the other was read too (were it not ignored).
    writeFileSync(b(), fixture('duplicate-workflow/bad/b.phases.yaml').replace('workflow: shared-name', 'workflow: third-name'));
    const real = client.nextDiagnostics(uriOf(b()));
    await client.filesChanged([
      { uri: uriOf(ignored), type: FileChangeType.Changed },
      { uri: uriOf(b()), type: FileChangeType.Changed },
    ]);
    await real;
    assert.equal(client.published.some((p) => p.uri.includes('node_modules')), false);
  });

  test('an open file follows the editor; closed again, it follows the disk', async () => {
    const uri = uriOf(a());
    const text = readFileSync(a(), 'utf8');
    const open = await client.open(uri, text.replace('name: planning', 'name: planing'));
    assert.deepEqual(open.map((d) => d.code), ['unknown-phase']);
    // A change on disk does not override the editor's text.
    await client.filesChanged([{ uri, type: FileChangeType.Changed }]);
    const closed = client.nextDiagnostics(uri);
    await client.close(uri);
    assert.deepEqual(await closed, []);
  });
});
