/** The VS Code extension (stub until the extension issue lands). */
import type * as vscode from 'vscode';

/** Called by VS Code when a definition file opens. */
export function activate(_context: vscode.ExtensionContext): void {}

/** Called by VS Code on shutdown. */
export function deactivate(): void {}
