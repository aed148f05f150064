/** New Definition File from Template: writes a starter `*.phases.yaml` with all 9 phases and opens it. */
import * as vscode from 'vscode';
import { definitionTemplate, workflowName } from '../format/template';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The command: asks for the workflow name (or takes it as the argument), never overwrites a file. */
export function newDefinitionFileCommand() {
  return async (arg?: unknown): Promise<vscode.TextEditor | undefined> => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showErrorMessage('Workflow Phases: open a folder first; the definition file is written into it.');
      return undefined;
    }
    const given = typeof arg === 'string' ? arg : undefined;
    const typed = given ?? (await vscode.window.showInputBox({
      title: 'Workflow Phases: New Definition File from Template',
      prompt: 'The workflow\'s name (unique across the workspace); the file is <name>.phases.yaml in the workspace folder.',
      value: 'regulatory-testing',
      validateInput: (text) => (workflowName(text) === '' ? 'Use letters or digits.' : undefined),
    }));
    if (typed === undefined) return undefined;
    const base = workflowName(typed);
    // A taken file name gets a number, and so does the workflow (names are unique across files).
    let name = base;
    for (let n = 2; await exists(vscode.Uri.joinPath(folder.uri, `${name}.phases.yaml`)); n++) name = `${base}-${n}`;
    const uri = vscode.Uri.joinPath(folder.uri, `${name}.phases.yaml`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(definitionTemplate(name)));
    return vscode.window.showTextDocument(uri, { preview: false });
  };
}
