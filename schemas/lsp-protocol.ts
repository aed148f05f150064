/**
 * The custom LSP messages of Workflow Phases, declared once and shared by the language
 * server and the VS Code client. Method names live in the `workflowPhases/` namespace.
 */
import { NotificationType } from 'vscode-languageserver-protocol';

/** How the language server is doing. */
export type ServerHealth = 'ok' | 'warning' | 'error';

/** The body of `workflowPhases/serverStatus`. */
export interface ServerStatusParams {
  /** `error` after a handler or validation failed unexpectedly; `ok` otherwise. */
  readonly health: ServerHealth;
  /** True when no validation is pending or running. */
  readonly quiescent: boolean;
  /** Definition files known to the server (open or on disk). */
  readonly files: number;
  /** Problems across all known files. */
  readonly problems: number;
  /** A human-readable line for a status bar, e.g. `3 files, 2 problems`. */
  readonly message: string;
}

/** Server -> client: pushed whenever the server's health, workload or totals change. */
export const ServerStatusNotification = {
  method: 'workflowPhases/serverStatus',
  type: new NotificationType<ServerStatusParams>('workflowPhases/serverStatus'),
} as const;

/** Initialization options the client may pass (all optional). */
export interface InitializationOptions {
  /** Skip the workspace scan at start-up (only open documents are validated). */
  readonly scanWorkspace?: boolean;
}
