/** Helpers of the in-editor suites: the extension, the test workspace, and waiting on conditions. */
import * as vscode from 'vscode';
import type { WorkflowPhasesApi } from '../../../client/extension';

/** The extension's id: publisher.name from package.json. */
export const EXTENSION_ID = 'workflow-phases.workflow-phases';

/** The diagnostics source the language server sets. */
export const SOURCE = 'workflow-phases';

/** The extension under test (fails the test when VS Code does not know it). */
export function extension(): vscode.Extension<WorkflowPhasesApi> {
  const ext = vscode.extensions.getExtension<WorkflowPhasesApi>(EXTENSION_ID);
  if (!ext) throw new Error(`VS Code does not know the extension ${EXTENSION_ID}`);
  return ext;
}

/** A file of the test workspace (a throwaway copy of test/e2e/workspace). */
export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The tests need a workspace folder (test/e2e/workspace).');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens `name` from the test workspace in an editor. */
export async function openWorkspaceFile(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(doc);
}

/**
 * Resolves with `check()`'s first truthy value. It is re-checked whenever one of `events`
 * fires, and on a short poll for state no event announces (activation); Mocha's timeout
 * bounds the wait, and the message says what was awaited.
 */
export function waitFor<T>(what: string, check: () => T | undefined | false, events: vscode.Event<unknown>[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const subscriptions: vscode.Disposable[] = [];
    const done = () => {
      clearInterval(poll);
      for (const s of subscriptions) s.dispose();
    };
    const attempt = () => {
      try {
        const value = check();
        if (value) {
          done();
          resolve(value);
        }
      } catch (error) {
        done();
        reject(error instanceof Error ? error : new Error(`${what}: ${String(error)}`));
      }
    };
    const poll = setInterval(attempt, 100);
    for (const event of events) subscriptions.push(event(attempt));
    attempt();
  });
}

/** The diagnostics of the language server on `uri`. */
export function serverDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** A diagnostic's code as a string (VS Code wraps it in `{value, target}` when it has docs). */
export function codeOf(d: vscode.Diagnostic): string {
  const code = d.code;
  if (code === undefined) return '';
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Waits until the language server's status is `running`. */
export async function serverRunning(api: WorkflowPhasesApi): Promise<void> {
  await waitFor('the language server to run', () => api.serverStatus === 'running', [api.onDidChangeStatus]);
}
