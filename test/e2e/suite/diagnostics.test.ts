/**
 * The language server's diagnostics reach VS Code: rule ids as codes, exact ranges, and
 * they clear when the text is fixed. Needs the real server in dist/server.js.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, extension, openWorkspaceFile, serverDiagnostics, serverRunning, SOURCE, waitFor } from './helpers';

const onDiagnostics = vscode.languages.onDidChangeDiagnostics as vscode.Event<unknown>;

/** The range of `text` where it first follows `after` (the file's comments mention both words too). */
function rangeOf(doc: vscode.TextDocument, after: string, text: string): vscode.Range {
  const at = doc.getText().indexOf(after + text);
  assert.ok(at >= 0, `${after}${text} is in ${doc.uri.path}`);
  const offset = at + after.length;
  return new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + text.length));
}

function codes(uri: vscode.Uri): string[] {
  return serverDiagnostics(uri).map(codeOf);
}

async function replace(doc: vscode.TextDocument, after: string, from: string, to: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, rangeOf(doc, after, from), to);
  assert.ok(await vscode.workspace.applyEdit(edit), `replaced ${from} with ${to}`);
}

describe('diagnostics from the language server', () => {
  let doc: vscode.TextDocument;

  before(async () => {
    doc = (await openWorkspaceFile('broken.phases.yaml')).document;
    const ext = extension();
    await waitFor('the extension to activate', () => ext.isActive);
    await serverRunning(ext.exports);
  });

  it('reports invalid-value on TAKS and unknown-phase on scopign, with rule ids as codes', async () => {
    await waitFor(
      'invalid-value and unknown-phase diagnostics',
      () => codes(doc.uri).includes('invalid-value') && codes(doc.uri).includes('unknown-phase'),
      [onDiagnostics],
    );
    const all = serverDiagnostics(doc.uri);
    const invalid = all.find((d) => codeOf(d) === 'invalid-value')!;
    const unknown = all.find((d) => codeOf(d) === 'unknown-phase')!;
    assert.equal(invalid.source, SOURCE);
    assert.equal(invalid.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(invalid.range, rangeOf(doc, 'type: ', 'TAKS'));
    assert.deepEqual(unknown.range, rangeOf(doc, 'name: ', 'scopign'));
    assert.match(unknown.message, /scoping/, 'unknown-phase suggests the phase meant');
  });

  it("links each rule id to its page, and the page is there in the installed extension", async () => {
    await waitFor('an invalid-value diagnostic', () => codes(doc.uri).includes('invalid-value'), [onDiagnostics]);
    const invalid = serverDiagnostics(doc.uri).find((d) => codeOf(d) === 'invalid-value')!;
    assert.ok(typeof invalid.code === 'object', 'the code carries a link');
    const target = (invalid.code as { target: vscode.Uri }).target;
    assert.equal(target.scheme, 'file');
    assert.ok(target.fsPath.startsWith(extension().extensionPath), `the page ships with the extension (${target.fsPath})`);
    const page = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
    assert.match(page, /^# invalid-value\n/, 'the link opens the rule page');
  });

  it("receives the server's workflowPhases/serverStatus with the files and problems it knows", async () => {
    const api = extension().exports;
    const report = await waitFor('a status report counting the problems', () => (api.serverReport && api.serverReport.problems >= 2 ? api.serverReport : undefined), [api.onDidChangeStatus]);
    assert.equal(report.health, 'ok');
    assert.ok(report.files >= 2, `the server knows both workspace files (${report.files})`);
    assert.ok(report.message.length > 0);
  });

  it('clears them when the text is fixed', async () => {
    await replace(doc, 'type: ', 'TAKS', 'TASK');
    await replace(doc, 'name: ', 'scopign', 'scoping');
    await waitFor('the diagnostics to clear', () => serverDiagnostics(doc.uri).length === 0, [onDiagnostics]);
  });

  it('reports them again after "Workflow Phases: Restart Language Server"', async () => {
    await replace(doc, 'load_attributes, type: ', 'TASK', 'TAKS');
    await waitFor('invalid-value again', () => codes(doc.uri).includes('invalid-value'), [onDiagnostics]);
    await vscode.commands.executeCommand('workflowPhases.restartServer');
    await serverRunning(extension().exports);
    await waitFor('invalid-value after the restart', () => codes(doc.uri).includes('invalid-value'), [onDiagnostics]);
  });
});
