/**
 * `textDocument/codeLens` above each phase of a definition file: where that phase stands
 * across its workflow's instances ("4 in progress · 1 blocked · 12 completed"), with the
 * command that reveals the phase in the client's tree. Counts are cached per workflow
 * until the database changes; the client is asked to refresh (`workspace/codeLens/refresh`)
 * when it can be. No database, or no instances: no lenses.
 */
import { CodeLensRefreshRequest, type CodeLens } from 'vscode-languageserver/node';
import { REVEAL_PHASE_COMMAND, type RevealPhaseArgs } from '../../../schemas/lsp-protocol';
import { phaseCounts, type PhaseCounts } from '../../db/live/phase-counts';
import { checked } from '../request-params';
import { toLocation } from '../to-lsp';
import type { LiveContext } from './context';
import { liveHandler } from './errors';

const REFRESH_MS = 200;

/** The lens title of one phase's counts. */
export function lensTitle(c: PhaseCounts): string {
  const parts = [`${c.inProgress} in progress`, `${c.blocked} blocked`, `${c.completed} completed`];
  if (c.skipped > 0) parts.push(`${c.skipped} skipped`);
  return parts.join(' · ');
}

/** Serves and refreshes the phase lenses. */
export class PhaseLenses {
  private readonly cache = new Map<string, Promise<Map<string, PhaseCounts>>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: LiveContext,
    private readonly canRefresh: () => boolean,
  ) {}

  /** Registers the CodeLens handler. */
  register(): void {
    const { connection, onError } = this.ctx;
    connection.onCodeLens(
      checked('textDocument/codeLens', liveHandler(connection, 'codeLens', onError, async (params): Promise<CodeLens[]> => {
        const db = this.ctx.live.db;
        const uri = params.textDocument.uri;
        const analysis = this.ctx.validator.analysisOf(uri);
        const index = this.ctx.validator.indexOf(uri);
        const workflow = analysis?.definition.workflow?.value;
        if (!db || !analysis || !index || workflow === undefined) return [];
        let counts = this.cache.get(workflow);
        if (!counts) {
          counts = phaseCounts(db, workflow);
          this.cache.set(workflow, counts);
          counts.catch(() => this.cache.delete(workflow));
        }
        const byPhase = await counts;
        const lenses: CodeLens[] = [];
        for (const phase of analysis.definition.phases) {
          const name = phase.name?.value;
          const c = name === undefined ? undefined : byPhase.get(name);
          if (!c || name === undefined) continue;
          const args: RevealPhaseArgs = { workflow, phase: name, uri };
          lenses.push({ range: toLocation(uri, phase.name!.span, index).range, command: { title: lensTitle(c), command: REVEAL_PHASE_COMMAND, arguments: [args] } });
        }
        return lenses;
      })),
    );
  }

  /** The counts may have changed (a change, a reconnect, another database): forget them and ask the client to refresh soon. */
  invalidate(): void {
    this.cache.clear();
    if (!this.canRefresh() || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.ctx.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    }, REFRESH_MS);
  }

  /** Stops a pending refresh (shutdown). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
