/**
 * The server never goes down: a handler that throws answers an empty result and logs
 * through the connection, unknown documents get empty answers, and it starts with
 * `--stdio` or `--node-ipc` (and explains itself without one).
 */
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { HoverRequest, InitializeRequest, ShutdownRequest, ExitNotification } from 'vscode-languageserver-protocol';
import { LspClient, SERVER } from './client';

describe('a handler that throws', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('answers an empty result, logs the error, reports health, and the server goes on', async () => {
    // No textDocument: the handler throws a TypeError inside the server.
    const answer: unknown = await client.connection.sendRequest(HoverRequest.method, { position: { line: 0, character: 0 } });
    assert.equal(answer, null);
    const symbols: unknown = await client.connection.sendRequest('textDocument/documentSymbol', {});
    assert.deepEqual(symbols, []);
    await client.waitFor('the error in the log', () => client.logs.some((l) => l.startsWith('hover failed: TypeError')));
    await client.waitFor('an error status', () => client.statuses.some((s) => s.health === 'error' && s.message.includes('hover')));
    // Still serving.
    const diagnostics = await client.open('file:///virtual/robust/after.phases.yaml', 'version: 1\nworkflow: w\nphases: []\n');
    assert.ok(diagnostics.some((d) => d.code === 'missing-phase'));
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
