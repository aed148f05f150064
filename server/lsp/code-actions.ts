/**
 * Quick fixes as the client can take them: `CodeAction` literals with their workspace
 * edit for a client with code action literal support; otherwise `Command`s that run the
 * server's `workflowPhases.server.applyFix`, which applies the edit with
 * `workspace/applyEdit`, for a client that declared `workspace.applyEdit`; otherwise none.
 */
import { CodeActionKind, LSPErrorCodes, ResponseError, type CodeAction, type Command, type Connection, type TextEdit } from 'vscode-languageserver/node';
import { quickFixesFor } from '../core/index';
import type { ClientFeatures } from './client-capabilities';
import { guard } from './guard';
import { checked, invalidParams } from './request-params';
import { toDiagnostic, toTextEdits } from './to-lsp';
import type { Validator } from './validation';

/** The server command a fix runs for a client without code action literals. */
export const APPLY_FIX_COMMAND = 'workflowPhases.server.applyFix';

/** The one argument of {@link APPLY_FIX_COMMAND}: the edits of one document at the version they were made for. */
export interface ApplyFixArgs {
  readonly uri: string;
  /** The editor's version the edits were computed on (null: the file as on disk). */
  readonly version: number | null;
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

/** True when the server offers fixes as commands: the client takes no code action literals but applies edits. */
export function fixesAsCommands(client: ClientFeatures): boolean {
  return !client.codeActionLiterals && client.applyEdit;
}

function fixArgs(value: unknown): ApplyFixArgs {
  const args = (typeof value === 'object' && value !== null ? value : {}) as Partial<Record<keyof ApplyFixArgs, unknown>>;
  if (typeof args.uri !== 'string') throw invalidParams(`${APPLY_FIX_COMMAND}: arguments[0].uri must be a string, got ${JSON.stringify(args.uri) ?? 'nothing'}`);
  if (args.version !== null && !(typeof args.version === 'number' && Number.isInteger(args.version))) {
    throw invalidParams(`${APPLY_FIX_COMMAND}: arguments[0].version must be a whole number or null, got ${JSON.stringify(args.version) ?? 'nothing'}`);
  }
  const edits = args.edits;
  const isEdit = (e: unknown) => typeof e === 'object' && e !== null && typeof (e as TextEdit).newText === 'string' && typeof (e as TextEdit).range === 'object' && (e as TextEdit).range !== null;
  if (!Array.isArray(edits) || !edits.every(isEdit)) throw invalidParams(`${APPLY_FIX_COMMAND}: arguments[0].edits must be an array of text edits`);
  return { uri: args.uri, version: args.version, title: typeof args.title === 'string' ? args.title : 'Workflow Phases quick fix', edits: edits as TextEdit[] };
}

/** Registers `textDocument/codeAction` and `workspace/executeCommand`. */
export function registerCodeActions(connection: Connection, validator: Validator, client: () => ClientFeatures, onError: (where: string, error: unknown) => void): void {
  connection.onCodeAction(
    checked(
      'textDocument/codeAction',
      guard(connection, 'codeAction', [], onError, (params): (CodeAction | Command)[] => {
        const uri = params.textDocument.uri;
        const features = client();
        if (!features.codeActionLiterals && !features.applyEdit) return [];
        const only = params.context.only;
        if (only && !only.some((kind) => kind === CodeActionKind.Empty || kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`))) return [];
        const analysis = validator.analysisOf(uri);
        const index = validator.indexOf(uri);
        if (!analysis || !index) return [];
        const start = index.offset(params.range.start);
        const end = index.offset(params.range.end);
        const problems = validator.problemsOf(uri).filter((p) => p.span.start <= end && p.span.end >= start);
        const indexOf = (other: string) => validator.indexOf(other);
        return quickFixesFor(analysis, problems).map((fix): CodeAction | Command => {
          const edits = toTextEdits(fix.edits, index);
          if (!features.codeActionLiterals) {
            const args: ApplyFixArgs = { uri, version: validator.versionOf(uri) ?? null, title: fix.title, edits };
            return { title: fix.title, command: APPLY_FIX_COMMAND, arguments: [args] };
          }
          return {
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [toDiagnostic(fix.problem, uri, index, indexOf, features)],
            ...(fix.preferred ? { isPreferred: true } : {}),
            edit: { changes: { [uri]: edits } },
          };
        });
      }),
    ),
  );

  connection.onExecuteCommand(
    checked('workspace/executeCommand', async (params) => {
      if (params.command !== APPLY_FIX_COMMAND) throw invalidParams(`workspace/executeCommand: unknown command ${JSON.stringify(params.command)} (this server runs ${APPLY_FIX_COMMAND})`);
      const args = fixArgs(params.arguments?.[0]);
      if (!client().applyEdit) throw new ResponseError(LSPErrorCodes.RequestFailed, 'the client did not declare workspace.applyEdit: the server cannot apply a fix');
      const version = validator.versionOf(args.uri);
      if (version !== args.version) {
        const why = version === undefined ? 'is no longer known to the server' : 'changed since the fix was offered: ask for the fixes again';
        throw new ResponseError(LSPErrorCodes.ContentModified, `${args.uri} ${why}`);
      }
      const result = await connection.workspace.applyEdit({ label: args.title, edit: { changes: { [args.uri]: [...args.edits] } } });
      if (!result.applied) throw new ResponseError(LSPErrorCodes.RequestFailed, `the client did not apply the fix${result.failureReason ? `: ${result.failureReason}` : ''}`);
      return null;
    }),
  );
}
