/**
 * Migrate Legacy Tables: `phasectl migrate-legacy --dry-run` against the configured
 * PostgreSQL, its report shown, then - once the user confirms - the real run, with
 * progress and its report. phasectl runs as a child process with the password in its
 * environment (PGPASSWORD), never on its command line.
 */
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { databaseUrl, isPostgresUrl } from '../settings';
import type { LiveDocuments } from './documents';
import { Cancelled, showLiveError } from './errors';

/** What one phasectl run gave. */
export interface PhasectlRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bundled `dist/phasectl.js` with `args`; `password`, when given, goes into PGPASSWORD. */
export function runPhasectl(ctx: Ctx, args: readonly string[], password: string | undefined, token?: vscode.CancellationToken): Promise<PhasectlRun> {
  const script = ctx.extension.asAbsolutePath('dist/phasectl.js');
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  delete env.PGPASSWORD;
  if (password) env.PGPASSWORD = password;
  return new Promise((resolve, reject) => {
    // The extension host's executable runs scripts as Node (Electron needs ELECTRON_RUN_AS_NODE).
    const child = spawn(process.execPath, [script, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const cancel = token?.onCancellationRequested(() => child.kill('SIGTERM'));
    child.once('error', (error) => {
      cancel?.dispose();
      reject(error);
    });
    child.once('close', (code, signal) => {
      cancel?.dispose();
      if (signal && token?.isCancellationRequested) reject(new Cancelled());
      else resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

function reportMarkdown(title: string, run: PhasectlRun, command: string): string {
  const body = [run.stdout.trimEnd(), run.stderr.trimEnd()].filter(Boolean).join('\n\n');
  return `# ${title}\n\n\`${command}\` exited ${run.code}.\n\n\`\`\`text\n${body.replace(/```/g, "'''")}\n\`\`\`\n`;
}

/**
 * Migrate Legacy Tables. Returns the exit code of the last run (undefined when stopped before
 * one). `{confirmed: true}` as the argument (a keybinding, a test) answers the confirmation
 * after the dry run; the dry run and its report always come first.
 */
export function migrateLegacyCommand(ctx: Ctx, docs: LiveDocuments) {
  return async (arg?: unknown): Promise<number | undefined> => {
    const confirmed = (arg as { confirmed?: unknown } | null)?.confirmed === true;
    try {
      if (!vscode.workspace.isTrusted) throw new Error('the workspace is in Restricted Mode: nothing connects or writes until you trust it');
      const url = databaseUrl();
      if (!isPostgresUrl(url)) {
        const connect = 'Connect to PostgreSQL';
        const choice = await vscode.window.showErrorMessage('Workflow Phases: Migrate Legacy Tables works on a PostgreSQL database (legacy tables are never in the embedded one). Set one first.', connect);
        if (choice === connect) await vscode.commands.executeCommand('workflowPhases.connectPostgres');
        return undefined;
      }
      const password = await ctx.passwords.get(url);
      const args = ['migrate-legacy', '--db', url];
      const dry = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Workflow Phases: legacy migration dry run (nothing is written)…', cancellable: true }, (_p, token) =>
        runPhasectl(ctx, [...args, '--dry-run'], password, token),
      );
      await docs.openReport('Legacy migration dry run', reportMarkdown('Legacy migration: dry run (rolled back)', dry, `phasectl ${[...args, '--dry-run'].join(' ')}`));
      if (dry.code !== 0) {
        void vscode.window.showErrorMessage(`Workflow Phases: the legacy migration dry run stopped (exit ${dry.code}); nothing was written. See its report.`);
        return dry.code;
      }
      if (/Result: nothing to do/.test(dry.stdout)) {
        void vscode.window.showInformationMessage('Workflow Phases: nothing to migrate: the legacy tables were migrated already.');
        return 0;
      }
      const migrate = 'Migrate';
      const choice = confirmed
        ? migrate
        : await vscode.window.showWarningMessage(
            'Workflow Phases: migrate the legacy tables as the dry run shows?',
            { modal: true, detail: 'One transaction: the legacy rows move into workflow_phases, phase_id is added and back-filled, foreign keys are re-pointed. The legacy tables are kept (phasectl migrate-legacy --drop-legacy drops them).' },
            migrate,
          );
      if (choice !== migrate) return undefined;
      const real = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Workflow Phases: migrating the legacy tables…' }, () => runPhasectl(ctx, args, password));
      await docs.openReport('Legacy migration', reportMarkdown(real.code === 0 ? 'Legacy migration: committed' : 'Legacy migration: rolled back', real, `phasectl ${args.join(' ')}`));
      if (real.code === 0) void vscode.window.showInformationMessage('Workflow Phases: the legacy tables were migrated. See the report for the verification.');
      else void vscode.window.showErrorMessage(`Workflow Phases: the legacy migration stopped (exit ${real.code}); everything was rolled back. See its report.`);
      return real.code;
    } catch (error) {
      await showLiveError(ctx, 'Migrate Legacy Tables', error);
      return undefined;
    }
  };
}
