/**
 * The server offers only what the client declared: the same files through a client that
 * declares nothing, one that declares only `workspace.applyEdit`, and one with VS Code's
 * capabilities. Each fallback is what the plain client sees.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  DocumentSymbolRequest,
  ExecuteCommandRequest,
  InsertTextFormat,
  MarkupKind,
  type CodeAction,
  type Command,
  type Diagnostic,
  type MarkupContent,
  type SymbolInformation,
} from 'vscode-languageserver-protocol';
import { applyTextEdits, LspClient, messageOf, positionOf } from './client';

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const DUP_PHASE = fixture('duplicate-phase/bad.phases.yaml');
const UNKNOWN_PHASE = fixture('unknown-phase/bad.phases.yaml');
const SHARED_A = fixture('duplicate-workflow/bad/a.phases.yaml');
const SHARED_B = fixture('duplicate-workflow/bad/b.phases.yaml');
const SKELETON_AT = `version: 1
workflow: w
phases:
  - name: planning
    activities:
      - {name: start_planning, type: START}
      - {name: complete_planning, type: COMPLETE}
  - |
`;

const uri = (name: string) => `file:///virtual/capabilities/${name}.phases.yaml`;

let plain: LspClient;
let editsOnly: LspClient;
let full: LspClient;

before(async () => {
  [plain, editsOnly, full] = await Promise.all([LspClient.start({ capabilities: {} }), LspClient.start({ capabilities: { workspace: { applyEdit: true } } }), LspClient.start()]);
});
after(async () => {
  assert.deepEqual(await Promise.all([plain.stop(), editsOnly.stop(), full.stop()]), [0, 0, 0]);
});

const find = (ds: Diagnostic[], code: string) => {
  const d = ds.find((x) => x.code === code);
  assert.ok(d, `no ${code} in ${JSON.stringify(ds)}`);
  return d;
};

describe('diagnostics', () => {
  test('related places: related information when declared, else told in the message', async () => {
    const line = DUP_PHASE.split('\n').findIndex((l) => l.includes('name: test_report')) + 1;
    const bare = find(await plain.open(uri('dup-phase'), DUP_PHASE), 'duplicate-phase');
    assert.equal(bare.relatedInformation, undefined);
    assert.equal(messageOf(bare), `Phase 'test_report' is defined twice; each phase appears exactly once. ('test_report' is first defined here: line ${line})`);
    const rich = find(await full.open(uri('dup-phase'), DUP_PHASE), 'duplicate-phase');
    assert.equal(messageOf(rich), "Phase 'test_report' is defined twice; each phase appears exactly once.");
    assert.equal(rich.relatedInformation?.[0]?.location.range.start.line, line - 1);
  });

  test('a related place in another file is named by its path', async () => {
    await plain.open(uri('shared-a'), SHARED_A);
    const bare = find(await plain.open(uri('shared-b'), SHARED_B), 'duplicate-workflow');
    assert.match(messageOf(bare), /\('shared-name' is first defined here: \/virtual\/capabilities\/shared-a\.phases\.yaml:2\)$/);
  });

  test('the rule page link only for a client that declared codeDescription', async () => {
    const bare = find(await plain.open(uri('unknown'), UNKNOWN_PHASE), 'unknown-phase');
    assert.equal(bare.codeDescription, undefined);
    assert.equal(bare.code, 'unknown-phase', 'the rule id is still there');
    const rich = find(await full.open(uri('unknown'), UNKNOWN_PHASE), 'unknown-phase');
    assert.match(rich.codeDescription?.href ?? '', /docs\/rules\/unknown-phase\.md$/);
  });
});

describe('hover and completion', () => {
  test('hover: plain text without markup, markdown when declared', async () => {
    await plain.open(uri('hover'), UNKNOWN_PHASE);
    await full.open(uri('hover'), UNKNOWN_PHASE);
    const at = positionOf(UNKNOWN_PHASE, 'name: planning', 8);
    const bare = (await plain.hover(uri('hover'), at))!.contents as MarkupContent;
    assert.equal(bare.kind, MarkupKind.PlainText);
    assert.match(bare.value, /^planning — Report Planning & Attribute Definition\n/);
    assert.match(bare.value, /The first phase: depends on nothing\./);
    assert.doesNotMatch(bare.value, /\*\*|`/);
    const rich = (await full.hover(uri('hover'), at))!.contents as MarkupContent;
    assert.equal(rich.kind, MarkupKind.Markdown);
    assert.match(rich.value, /^\*\*planning\*\* — Report Planning/);
  });

  test('completion: a plain skeleton and plain documentation without snippets or markdown', async () => {
    const text = SKELETON_AT.replace('|', '');
    const at = positionOf(SKELETON_AT, '|');
    await plain.open(uri('skeleton'), text);
    await full.open(uri('skeleton'), text);
    const bare = (await plain.completion(uri('skeleton'), at)).find((i) => i.label === 'phase: scoping')!;
    assert.equal(bare.insertTextFormat, InsertTextFormat.PlainText);
    assert.equal(typeof bare.documentation, 'string');
    assert.ok(bare.textEdit && 'range' in bare.textEdit);
    assert.doesNotMatch(bare.textEdit.newText, /\$/);
    const result = applyTextEdits(text, [bare.textEdit]);
    const diagnostics = await plain.open(uri('skeleton-applied'), result);
    assert.deepEqual(diagnostics.filter((d) => ['start-activity', 'complete-activity', 'yaml-syntax', 'unknown-role'].includes(String(d.code))), [], result);
    assert.match(result, /- \{name: scoping_task, type: TASK, role: tester\}/);
    const rich = (await full.completion(uri('skeleton'), at)).find((i) => i.label === 'phase: scoping')!;
    assert.equal(rich.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal((rich.documentation as MarkupContent).kind, MarkupKind.Markdown);
    assert.ok(rich.textEdit && 'range' in rich.textEdit && rich.textEdit.newText.includes('${1:do_work}'));
  });
});

describe('document symbols', () => {
  test('flat symbol information without hierarchical support, a tree with it', async () => {
    await plain.open(uri('symbols'), UNKNOWN_PHASE);
    await full.open(uri('symbols'), UNKNOWN_PHASE);
    const flat = (await plain.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: uri('symbols') } })) as SymbolInformation[];
    assert.ok(flat.every((s) => s.location.uri === uri('symbols') && !('children' in s)));
    const planning = flat.find((s) => s.name === 'planning')!;
    assert.equal(planning.containerName, 'fixture');
    assert.equal(flat.find((s) => s.name === 'load_attributes')?.containerName, 'planning');
    assert.equal(flat[0]!.name, 'fixture');
    const tree = await full.symbols(uri('symbols'));
    assert.equal(tree.length, 1);
    assert.equal(tree[0]!.children?.find((c) => c.name === 'planning')?.children?.length, 4);
    assert.equal(flat.length, 1 + tree[0]!.children.length + tree[0]!.children.reduce((n, p) => n + (p.children?.length ?? 0), 0));
  });
});

describe('quick fixes', () => {
  const ask = async (client: LspClient, name: string) => {
    const [diagnostic] = await client.open(uri(name), UNKNOWN_PHASE);
    assert.equal(diagnostic?.code, 'unknown-phase');
    return (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri(name) }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) ?? [];
  };

  test('a client with neither code action literals nor applyEdit is offered none', async () => {
    assert.equal(plain.initializeResult.capabilities.codeActionProvider, false);
    assert.equal(plain.initializeResult.capabilities.executeCommandProvider, undefined);
    assert.deepEqual(await ask(plain, 'fix'), []);
  });

  test('without literals, a command the server runs through workspace/applyEdit', async () => {
    assert.deepEqual(editsOnly.initializeResult.capabilities.executeCommandProvider?.commands, ['workflowPhases.server.applyFix']);
    const [command, ...rest] = (await ask(editsOnly, 'fix')) as Command[];
    assert.equal(rest.length, 0);
    assert.equal(command?.title, "Change to 'scoping'");
    assert.equal(command.command, 'workflowPhases.server.applyFix');
    assert.equal(await editsOnly.connection.sendRequest(ExecuteCommandRequest.type, { command: command.command, arguments: command.arguments ?? [] }), null);
    const applied = editsOnly.appliedEdits[0];
    assert.equal(applied?.label, "Change to 'scoping'");
    const fixed = applyTextEdits(UNKNOWN_PHASE, applied.edit.changes![uri('fix')]!);
    assert.match(fixed, /- name: scoping {2}# want: unknown-phase/);
  });

  test('a fix offered before an edit is refused once the document changed', async () => {
    const [command] = (await ask(editsOnly, 'stale')) as Command[];
    await editsOnly.edit(uri('stale'), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# edited\n');
    await assert.rejects(editsOnly.connection.sendRequest(ExecuteCommandRequest.type, { command: command!.command, arguments: command!.arguments ?? [] }), (e: { code: number; message: string }) => e.code === -32801 && /changed since the fix was offered/.test(e.message));
  });

  test('code action literals with their edit when declared', async () => {
    const [action, ...rest] = (await ask(full, 'fix')) as CodeAction[];
    assert.equal(rest.length, 0);
    assert.equal(action?.kind, 'quickfix');
    assert.ok(action.edit?.changes?.[uri('fix')]);
    assert.equal(full.initializeResult.capabilities.executeCommandProvider, undefined);
  });
});
