/** The server's health and workload, pushed to the client as `workflowPhases/serverStatus`. */
import type { Connection } from 'vscode-languageserver/node';
import { ServerStatusNotification, type ServerHealth, type ServerStatusParams } from '../../schemas/lsp-protocol';

/** What the status is computed from. */
export interface StatusSource {
  readonly fileCount: number;
  readonly problemCount: number;
  readonly quiescent: boolean;
}

/** Sends the status when it changed; several changes in one tick make one notification. */
export class StatusReporter {
  private health: ServerHealth = 'ok';
  private lastError: string | undefined;
  private last = '';
  private queued = false;

  constructor(
    private readonly connection: Connection,
    private readonly source: StatusSource,
  ) {}

  /** Notes an unexpected failure (a bug): health becomes `error` until the next clean validation. */
  failed(where: string, error: unknown): void {
    this.health = 'error';
    this.lastError = `${where}: ${error instanceof Error ? error.message : String(error)}`;
    this.changed();
  }

  /** Notes a clean validation: health returns to `ok`. */
  recovered(): void {
    if (this.health === 'ok') return;
    this.health = 'ok';
    this.lastError = undefined;
    this.changed();
  }

  /** Schedules a status notification for the end of this tick. */
  changed(): void {
    if (this.queued) return;
    this.queued = true;
    setImmediate(() => {
      this.queued = false;
      this.send();
    });
  }

  private send(): void {
    const files = this.source.fileCount;
    const problems = this.source.problemCount;
    const quiescent = this.source.quiescent;
    const summary = `${files} definition file${files === 1 ? '' : 's'}, ${problems} problem${problems === 1 ? '' : 's'}`;
    const params: ServerStatusParams = {
      health: this.health,
      quiescent,
      files,
      problems,
      message: this.health === 'error' && this.lastError ? `${summary}; internal error: ${this.lastError}` : summary,
    };
    const key = JSON.stringify(params);
    if (key === this.last) return;
    this.last = key;
    void this.connection.sendNotification(ServerStatusNotification.type, params);
  }
}
