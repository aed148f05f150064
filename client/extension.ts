/**
 * The Workflow Phases extension: activation, the language client for definition files,
 * the Phase Status and Definitions views, the commands, the status bar item and the
 * notifications. Everything it registers is owned by the Ctx.
 */
import * as vscode from 'vscode';
import type { DatabaseStatusParams, ServerStatusParams } from '../schemas/lsp-protocol';
import { SETTINGS_SECTION } from '../schemas/lsp-protocol';
import { registerCommands } from './commands/index';
import { DOCUMENT_SCHEME, LiveDocuments } from './commands/documents';
import { Ctx, type ServerStatus } from './ctx';
import { registerDefinitionsView } from './definitions-view';
import { DEFINITION_GLOB, isDefinitionFile } from './language-client';
import { registerNotifications } from './notifications';
import { moveTypedPassword } from './secrets';
import { registerStatusBar } from './status-bar';
import type { PhaseTreeProvider } from './tree/provider';
import { PhaseTree } from './tree/view';

/** What `activate` returns: enough for the in-editor tests and for other extensions. */
export interface WorkflowPhasesApi {
  readonly serverStatus: ServerStatus;
  /** The running server's latest `workflowPhases/serverStatus`. */
  readonly serverReport: ServerStatusParams | undefined;
  readonly onDidChangeStatus: vscode.Event<ServerStatus>;
  /** The running server's latest `workflowPhases/databaseStatus`. */
  readonly databaseStatus: DatabaseStatusParams | undefined;
  readonly onDidChangeDatabase: vscode.Event<DatabaseStatusParams | undefined>;
  /** The Phase Status tree's data provider (what VS Code draws). */
  readonly phaseTree: PhaseTreeProvider;
  /** How long `activate` took, in milliseconds (the server starts in the background). */
  readonly activationMs: number;
  /** Where VS Code keeps this extension's logs and global storage (the tests search them for secrets). */
  readonly storage: { readonly logUri: vscode.Uri; readonly globalStorageUri: vscode.Uri };
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
 * happens for any YAML file, where starting it would be wasted).
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

/** Watches the database setting: a password typed into it moves to the secret storage. */
function guardDatabaseSetting(c: Ctx): void {
  const move = () => moveTypedPassword(c.passwords).catch((error: unknown) => c.output.error(`Moving the password out of the settings: ${String(error)}`));
  void move();
  c.pushExtCleanup(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.database.url`)) void move();
    }),
  );
}

/** Called by VS Code when a definition file is in the workspace or a YAML file opens. */
export async function activate(context: vscode.ExtensionContext): Promise<WorkflowPhasesApi> {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Workflow Phases', { log: true });
  context.subscriptions.push(output);
  try {
    const c = new Ctx(context, output);
    ctx = c;
    const tree = new PhaseTree(c);
    c.pushExtCleanup(tree);
    const docs = new LiveDocuments(c, tree.store);
    c.pushExtCleanup(docs);
    c.pushExtCleanup(vscode.workspace.registerTextDocumentContentProvider(DOCUMENT_SCHEME, docs));
    registerCommands({ ctx: c, tree, docs });
    registerDefinitionsView(c);
    registerStatusBar(c);
    registerNotifications(c, tree.store, tree);
    guardDatabaseSetting(c);
    c.pushExtCleanup(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        // The server validated without a database: it starts again with one.
        const next = c.serverStatus === 'stopped' ? startWhenNeeded(c) : c.restart();
        next.catch((error: unknown) => output.error(`After trust was granted: ${String(error)}`));
      }),
    );
    await startWhenNeeded(c);
    const activationMs = Math.round((performance.now() - started) * 10) / 10;
    output.info(`Activated in ${activationMs} ms.`);
    return {
      get serverStatus() {
        return c.serverStatus;
      },
      get serverReport() {
        return c.serverReport;
      },
      onDidChangeStatus: c.onDidChangeStatus,
      get databaseStatus() {
        return c.databaseStatus;
      },
      onDidChangeDatabase: c.onDidChangeDatabase,
      phaseTree: tree.provider,
      activationMs,
      storage: { logUri: context.logUri, globalStorageUri: context.globalStorageUri },
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
