/**
 * The server never goes down: a request it cannot take answers the protocol's error
 * (test/lsp/protocol-errors.test.ts has every case), unknown documents get empty answers,
 * and it starts with `--stdio` or `--node-ipc` (and explains itself without one).
 */
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { HoverRequest, InitializeRequest, ShutdownRequest, ExitNotification } from 'vscode-languageserver-protocol';
import { LspClient, SERVER } from './client';

describe('a request the server cannot take', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('answers -32602 without counting as a server error, and the server goes on', async () => {
    // No textDocument: before, the handler threw a TypeError and answered null.
    await assert.rejects(client.connection.sendRequest(HoverRequest.method, { position: { line: 0, character: 0 } }), (e: { code: number; message: string }) => e.code === -32602 && /params\.textDocument is missing/.test(e.message));
    await assert.rejects(client.connection.sendRequest('textDocument/documentSymbol', {}), (e: { code: number }) => e.code === -32602);
    // Still serving.
    const diagnostics = await client.open('file:///virtual/robust/after.phases.yaml', 'version: 1\nworkflow: w\nphases: []\n');
    assert.ok(diagnostics.some((d) => d.code === 'missing-phase'));
    assert.equal(client.statuses.some((s) => s.health === 'error'), false);
    assert.equal(client.stderr, '');
  });

  test('requests about unknown documents answer empty', async () => {
    const uri = 'file:///virtual/robust/never-opened.phases.yaml';
    const position = { line: 3, character: 4 };
    assert.equal(await client.hover(uri, position), null);
    assert.deepEqual(await client.completion(uri, position), []);
    assert.deepEqual(await client.symbols(uri), []);
    assert.deepEqual(await client.definition(uri, position), []);
    assert.deepEqual(await client.codeActions(uri, { start: position, end: position }, []), []);
  });
});

describe('starting the server', () => {
  test('without a transport it prints its usage on stderr and exits 2', () => {
    const run = spawnSync(process.execPath, [SERVER], { encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /usage: node dist\/server\.js --stdio \| --node-ipc/);
  });

  test('with --node-ipc, as the VS Code client starts it', async () => {
    const child = fork(SERVER, ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    try {
      const result = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
      assert.equal(result.serverInfo?.name, 'workflow-phases');
      await connection.sendRequest(ShutdownRequest.type);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      await connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0);
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
