/**
 * The commands, as factories over the context (rust-analyzer's habit) so that each works
 * whatever state the language server is in. Ids and titles are declared in package.json.
 */
import * as vscode from 'vscode';
import type { Ctx } from './ctx';

type Command = (...args: unknown[]) => unknown;

/** Every command of the extension, by id. */
export const COMMANDS: Readonly<Record<string, (ctx: Ctx) => Command>> = {
  'workflowPhases.restartServer': (ctx) => async () => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Workflow Phases: the language server stays off in an untrusted workspace.');
      return;
    }
    try {
      await ctx.restart();
      void vscode.window.showInformationMessage('Workflow Phases: language server restarted.');
    } catch (error) {
      void vscode.window.showErrorMessage(`Workflow Phases: the language server did not restart: ${String(error)}`);
    }
  },
  'workflowPhases.showOutput': (ctx) => () => {
    ctx.output.show(true);
  },
};

/** Registers every command; each registration is owned by the extension bucket. */
export function registerCommands(ctx: Ctx): void {
  for (const [id, factory] of Object.entries(COMMANDS)) {
    ctx.pushExtCleanup(vscode.commands.registerCommand(id, factory(ctx)));
  }
}
