/**
 * The Workflow Phases extension: activation, the language client for definition files,
 * the activity-bar view and the commands. Everything it registers is owned by the Ctx.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import type { ServerStatusParams } from '../schemas/lsp-protocol';
import { Ctx, type ServerStatus } from './ctx';
import { registerDefinitionsView } from './definitions-view';
import { DEFINITION_GLOB, isDefinitionFile } from './language-client';

/** What `activate` returns: enough for the in-editor tests and for other extensions. */
export interface WorkflowPhasesApi {
  readonly serverStatus: ServerStatus;
  /** The running server's latest `workflowPhases/serverStatus`. */
  readonly serverReport: ServerStatusParams | undefined;
  readonly onDidChangeStatus: vscode.Event<ServerStatus>;
  restart(): Promise<void>;
}

let ctx: Ctx | undefined;

async function definitionFilesPresent(): Promise<boolean> {
  if (vscode.workspace.textDocuments.some(isDefinitionFile)) return true;
  return (await vscode.workspace.findFiles(DEFINITION_GLOB, '**/node_modules/**', 1)).length > 0;
}

/** Starts the server; a server that will not start is reported, not an activation failure. */
function startServer(c: Ctx): void {
  c.start().catch((error: unknown) => {
    void vscode.window
      .showErrorMessage(`Workflow Phases: the language server did not start: ${String(error)}`, 'Show Output')
      .then((choice) => choice && c.output.show(true));
  });
}

/**
 * The server starts once a definition file is in the workspace or opened (activation also
 * happens for any YAML file, where starting it would be wasted), or when trust is granted.
 */
async function startWhenNeeded(c: Ctx): Promise<void> {
  if (await definitionFilesPresent()) {
    startServer(c);
    return;
  }
  const waiting = vscode.workspace.onDidOpenTextDocument((doc) => {
    if (!isDefinitionFile(doc)) return;
    waiting.dispose();
    startServer(c);
  });
  c.pushExtCleanup(waiting);
}

/** Called by VS Code when a definition file is in the workspace or a YAML file opens. */
export async function activate(context: vscode.ExtensionContext): Promise<WorkflowPhasesApi> {
  const output = vscode.window.createOutputChannel('Workflow Phases', { log: true });
  context.subscriptions.push(output);
  try {
    const c = new Ctx(context, output);
    ctx = c;
    registerCommands(c);
    registerDefinitionsView(c);
    c.pushExtCleanup(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        startWhenNeeded(c).catch((error: unknown) => output.error(`After trust was granted: ${String(error)}`));
      }),
    );
    await startWhenNeeded(c);
    return {
      get serverStatus() {
        return c.serverStatus;
      },
      get serverReport() {
        return c.serverReport;
      },
      onDidChangeStatus: c.onDidChangeStatus,
      restart: () => c.restart(),
    };
  } catch (error) {
    output.error(`Activation failed: ${String(error)}`);
    void vscode.window.showErrorMessage(`Cannot activate Workflow Phases: ${String(error)}`);
    throw error;
  }
}

/** Called by VS Code on shutdown: stops the server and frees everything. */
export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
