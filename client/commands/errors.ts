/** How a failed live request is told to the user: what failed, why, and what to do. */
import * as vscode from 'vscode';
import { LiveErrorCodes } from '../../schemas/lsp-protocol';
import type { Ctx } from '../ctx';

/** The JSON-RPC error code of `error`, when it has one. */
export function errorCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The message of any error. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Thrown when the user cancels a pick or an input box: nothing is shown. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/**
 * Shows `error` from doing `what` ("Start Phase"). With no database it offers to set one
 * up; in Restricted Mode it says why nothing connects.
 */
export async function showLiveError(ctx: Ctx, what: string, error: unknown): Promise<void> {
  if (error instanceof Cancelled) return;
  ctx.output.warn(`${what}: ${errorMessage(error)}`);
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(`Workflow Phases: ${what}: the workspace is in Restricted Mode, so nothing connects to a database. Trust the folder to use the live database.`);
    return;
  }
  if (errorCode(error) === LiveErrorCodes.noDatabase) {
    const choice = await vscode.window.showErrorMessage(`Workflow Phases: ${what}: ${errorMessage(error)}`, 'Use Embedded Database', 'Connect to PostgreSQL');
    if (choice === 'Use Embedded Database') await vscode.commands.executeCommand('workflowPhases.useEmbedded');
    if (choice === 'Connect to PostgreSQL') await vscode.commands.executeCommand('workflowPhases.connectPostgres');
    return;
  }
  void vscode.window.showErrorMessage(`Workflow Phases: ${what}: ${errorMessage(error)}`);
}
