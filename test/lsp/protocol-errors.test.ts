/**
 * Bad requests get the protocol's errors: `-32602` (InvalidParams) saying what is missing
 * or mistyped and where, for every request the server answers; `-32700` for a frame whose
 * body is not JSON and `-32600` for one that is no message, each with `id: null`; and the
 * server goes on serving. It ends with its input: 0 after `shutdown`, else 1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LspClient, positionOf } from './client';

const URI = 'file:///virtual/protocol/doc.phases.yaml';
const TEXT = 'version: 1\nworkflow: w\nphases:\n  - name: planning\n    activities:\n      - {name: start_planning, type: START}\n      - {name: complete_planning, type: COMPLETE}\n';
const doc = { uri: URI };
const at = { line: 3, character: 10 };

/** Method, params, and what the error message must say. */
const CASES: readonly [string, unknown, RegExp][] = [
  ['textDocument/hover', { position: at }, /^textDocument\/hover: params\.textDocument is missing$/],
  ['textDocument/hover', { textDocument: doc, position: { line: -1, character: 0 } }, /params\.position\.line must be a whole number from 0 to 2147483647, got -1/],
  ['textDocument/completion', { textDocument: { uri: 7 }, position: at }, /params\.textDocument\.uri must be a string, got 7/],
  ['textDocument/completion', { textDocument: doc }, /params\.position is missing/],
  ['textDocument/definition', { textDocument: doc, position: 'here' }, /params\.position must be an object, got "here"/],
  ['textDocument/references', { textDocument: doc, position: at }, /params\.context is missing/],
  ['textDocument/references', { textDocument: doc, position: at, context: { includeDeclaration: 'yes' } }, /params\.context\.includeDeclaration must be true or false/],
  ['textDocument/documentSymbol', {}, /params\.textDocument is missing/],
  ['textDocument/foldingRange', { textDocument: null }, /params\.textDocument must be an object, got null/],
  ['textDocument/codeLens', { textDocument: {} }, /params\.textDocument\.uri is missing/],
  ['textDocument/codeAction', { textDocument: doc, range: { start: at, end: at }, context: {} }, /params\.context\.diagnostics is missing/],
  ['textDocument/codeAction', { textDocument: doc, range: { start: at }, context: { diagnostics: [] } }, /params\.range\.end is missing/],
  ['textDocument/codeAction', { textDocument: doc, range: { start: at, end: at }, context: { diagnostics: [], only: [3] } }, /params\.context\.only\[0\] must be a string/],
  ['workspace/executeCommand', {}, /params\.command is missing/],
  ['workspace/executeCommand', { command: 'rm -rf' }, /unknown command "rm -rf"/],
  ['workspace/executeCommand', { command: 'workflowPhases.server.applyFix', arguments: [{ uri: URI }] }, /arguments\[0\]\.version must be a whole number or null/],
  ['workflowPhases/instances', { limit: 'ten' }, /params\.limit must be a whole number, got "ten"/],
  ['workflowPhases/instance', { cycleId: 'x', reportId: 1 }, /params\.cycleId must be a whole number, got "x"/],
  ['workflowPhases/history', { cycleId: 1 }, /params\.reportId is missing/],
  ['workflowPhases/allowed', {}, /params\.node is missing/],
  ['workflowPhases/explain', { node: { cycleId: 1, reportId: 2, phase: 5 } }, /params\.node\.phase must be a string, got 5/],
  ['workflowPhases/transition', { node: { cycleId: 1, reportId: 2, phase: 'planning' } }, /params\.action is missing/],
  ['workflowPhases/plan', { force: 'yes' }, /params\.force must be true or false/],
  ['workflowPhases/sync', { uri: 3 }, /params\.uri must be a string, got 3/],
  ['workflowPhases/init', { createMissing: 1 }, /params\.createMissing must be true or false, got 1/],
];

let client: LspClient;
before(async () => {
  client = await LspClient.start();
  await client.open(URI, TEXT);
});
after(async () => {
  assert.equal(await client.stop(), 0);
});

describe('missing or mistyped params answer -32602', () => {
  for (const [method, params, says] of CASES) {
    test(`${method} ${JSON.stringify(params)}`, async () => {
      await assert.rejects(client.request(method, params), (e: { code: number; message: string }) => {
        assert.equal(e.code, -32602, e.message);
        assert.match(e.message, says);
        return true;
      });
    });
  }

  test('well-formed requests are still answered, and nothing counts as a server error', async () => {
    const hover = await client.hover(URI, positionOf(TEXT, 'planning', 2));
    assert.ok(hover, 'a hover on the phase name');
    assert.equal(client.statuses.some((s) => s.health === 'error'), false, JSON.stringify(client.statuses));
    assert.equal(client.logs.some((l) => / failed: /.test(l)), false, client.logs.join('\n'));
  });
});

describe('frames that are no message', () => {
  const nextOrphan = async (send: () => void) => {
    const from = client.orphanResponses.length;
    send();
    await client.waitFor('an answer with id null', () => client.orphanResponses.length > from);
    return client.orphanResponses[from]!;
  };

  test('a body that is not JSON answers -32700 with id null, and the server goes on', async () => {
    const answer = await nextOrphan(() => client.sendRaw('{"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", '));
    assert.equal(answer.id, null);
    assert.equal(answer.error?.code, -32700);
    assert.match(answer.error?.message ?? '', /^Parse error: the message body is not JSON/);
    assert.ok(await client.hover(URI, positionOf(TEXT, 'planning', 2)));
  });

  test('JSON that is no message answers -32600', async () => {
    for (const body of ['[1, 2]', '42', 'null', '{"jsonrpc": "2.0", "params": {}}']) {
      const answer = await nextOrphan(() => client.sendRaw(body));
      assert.equal(answer.error?.code, -32600, body);
      assert.match(answer.error?.message ?? '', /^Invalid Request/);
    }
    assert.equal((await client.definition(URI, at)).length, 1, 'the server still answers');
    assert.equal(client.stderr, '');
  });
});

describe('the end of the input', () => {
  test('ends the server: exit 1 without shutdown', async () => {
    const other = await LspClient.start();
    const exited = new Promise<number | null>((resolve) => other.process.once('exit', resolve));
    other.process.stdin!.end();
    assert.equal(await exited, 1);
    other.connection.dispose();
  });

  test('ends the server: exit 0 after shutdown', async () => {
    const other = await LspClient.start();
    const exited = new Promise<number | null>((resolve) => other.process.once('exit', resolve));
    await other.request('shutdown', undefined);
    other.process.stdin!.end();
    assert.equal(await exited, 0);
    other.connection.dispose();
  });
});
