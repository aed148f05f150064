/**
 * The read-only Markdown documents of the `workflow-phases:` scheme: Explain, Show
 * History, Preview Sync and reports (legacy migration, sync results). Explain and History
 * are fetched from the server when opened and again when their instance changes, so an
 * open one stays current; reports hold the text they were opened with.
 */
import * as vscode from 'vscode';
import { AllowedRequest, ExplainRequest, HistoryRequest, PlanRequest, type NodeRef } from '../../schemas/lsp-protocol';
import type { Ctx } from '../ctx';
import { explainMarkdown, historyMarkdown, planMarkdown, type Subject } from '../format/documents';
import { instanceKey, type LiveStore } from '../live/store';
import { isNodeRef, refOf } from '../tree/nodes';
import type { PhaseTree } from '../tree/view';
import { showLiveError } from './errors';
import { instanceChoices, pickInstance, pickNode } from './pick';

/** The scheme of the documents. */
export const DOCUMENT_SCHEME = 'workflow-phases';

type Query = { kind: 'explain' | 'history'; ref: NodeRef } | { kind: 'plan'; uri?: string } | { kind: 'report'; id: string };

/** Provides the documents' text. */
export class LiveDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly reports = new Map<string, string>();
  private readonly subscription: vscode.Disposable;
  private nextReport = 1;
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly ctx: Ctx,
    private readonly store: LiveStore,
  ) {
    // An open Explain or History document of a changed instance is fetched again.
    this.subscription = store.onDidChange((change) => {
      for (const doc of vscode.workspace.textDocuments) {
        if (doc.uri.scheme !== DOCUMENT_SCHEME) continue;
        const query = parse(doc.uri);
        if (query.kind !== 'explain' && query.kind !== 'history') continue;
        const hit = change.all || change.instances.some((u) => u.cycleId === query.ref.cycleId && u.reportId === query.ref.reportId) || change.feed?.instances.some((c) => c.cycleId === query.ref.cycleId && c.reportId === query.ref.reportId);
        if (hit) this.changed.fire(doc.uri);
      }
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = parse(uri);
    try {
      switch (query.kind) {
        case 'report':
          return this.reports.get(query.id) ?? '# Gone\n\nThis report was closed; run the command again.\n';
        case 'plan': {
          const plan = await this.ctx.request(PlanRequest, query.uri ? { uri: query.uri } : {});
          return planMarkdown(plan, { title: `Sync preview${query.uri ? `: ${fileName(query.uri)}` : ''}`, fileName });
        }
        case 'explain': {
          // An instance has no transitions of its own: what the user may do on everything of it.
          const explain = query.ref.phase === undefined
            ? this.ctx.request(AllowedRequest, { node: query.ref }).then((r) => ({ user: r.user, explanations: r.transitions }))
            : this.ctx.request(ExplainRequest, { node: query.ref });
          const [result, subject] = await Promise.all([explain, this.subject(query.ref)]);
          return explainMarkdown(subject, result);
        }
        case 'history': {
          const [result, subject] = await Promise.all([
            this.ctx.request(HistoryRequest, { cycleId: query.ref.cycleId, reportId: query.ref.reportId, ...(query.ref.phase !== undefined ? { phase: query.ref.phase } : {}), ...(query.ref.activity !== undefined ? { activity: query.ref.activity } : {}) }),
            this.subject(query.ref),
          ]);
          return historyMarkdown(subject, result.entries);
        }
      }
    } catch (error) {
      return `# Not available\n\n${error instanceof Error ? error.message : String(error)}\n`;
    }
  }

  /** Opens a document on a report's text (a sync result, the legacy migration's report). */
  async openReport(title: string, markdown: string): Promise<vscode.TextEditor> {
    const id = String(this.nextReport++);
    this.reports.set(id, markdown);
    return open(vscode.Uri.from({ scheme: DOCUMENT_SCHEME, path: `/${safe(title)}.md`, query: JSON.stringify({ kind: 'report', id }) }));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  /** Fetches a document again (it is open already and its data may have moved on). */
  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  private async subject(ref: NodeRef): Promise<Subject> {
    const summary = this.store.summary(instanceKey(ref.cycleId, ref.reportId)) ?? (await this.store.loadDetail(ref.cycleId, ref.reportId).catch(() => null)) ?? undefined;
    return { cycle: summary?.cycle ?? `cycle ${ref.cycleId}`, report: summary?.report ?? `report ${ref.reportId}`, phase: ref.phase, activity: ref.activity };
  }
}

function parse(uri: vscode.Uri): Query {
  try {
    return JSON.parse(uri.query) as Query;
  } catch {
    return { kind: 'report', id: '' };
  }
}

function safe(text: string): string {
  return text.replace(/[\\/:*?"<>|]/g, '-');
}

/** The last part of a file URI, for titles. */
export function fileName(uri: string): string {
  try {
    return decodeURIComponent(vscode.Uri.parse(uri).path.split('/').pop() ?? uri);
  } catch {
    return uri;
  }
}

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The URI of the Explain or History document of a node. */
export function documentUri(kind: 'explain' | 'history', ref: NodeRef, names: Subject): vscode.Uri {
  const title = `${kind === 'explain' ? 'Explain' : 'History'} ${[names.cycle, names.report, ref.phase, ref.activity].filter(Boolean).join(' · ')}`;
  return vscode.Uri.from({ scheme: DOCUMENT_SCHEME, path: `/${safe(title)}.md`, query: JSON.stringify({ kind, ref: refOf(ref) }) });
}

/** The URI of the Preview Sync document of one file (or the workspace). */
export function planUri(fileUri?: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOCUMENT_SCHEME, path: `/Sync preview${fileUri ? ` ${safe(fileName(fileUri))}` : ''}.md`, query: JSON.stringify({ kind: 'plan', ...(fileUri ? { uri: fileUri } : {}) }) });
}

/** Opens a `workflow-phases:` document (fetching it again when it is open already). */
export async function openDocument(docs: LiveDocuments, uri: vscode.Uri): Promise<vscode.TextEditor> {
  if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) docs.refresh(uri);
  return open(uri);
}

/** Explain / Show History: of the given node, the selection, or one picked (instance, then node). */
export function nodeDocumentCommand(ctx: Ctx, tree: PhaseTree, docs: LiveDocuments, kind: 'explain' | 'history') {
  const what = kind === 'explain' ? 'Explain' : 'Show History';
  return async (arg?: unknown): Promise<vscode.TextEditor | undefined> => {
    try {
      let ref = isNodeRef(arg) ? refOf(arg) : isNodeRef(tree.view.selection[0]) ? refOf(tree.view.selection[0]) : undefined;
      if (!ref) {
        const instance = await pickInstance(ctx, `Workflow Phases: ${what}`, 2);
        const choices = await instanceChoices(ctx, tree.store, instance);
        ref = await pickNode(choices, `Workflow Phases: ${what}`, { step: 2, total: 2 });
      }
      const summary = tree.store.summary(instanceKey(ref.cycleId, ref.reportId)) ?? (await tree.store.loadDetail(ref.cycleId, ref.reportId)) ?? undefined;
      const names: Subject = { cycle: summary?.cycle ?? `cycle ${ref.cycleId}`, report: summary?.report ?? `report ${ref.reportId}` };
      return await openDocument(docs, documentUri(kind, ref, names));
    } catch (error) {
      await showLiveError(ctx, what, error);
      return undefined;
    }
  };
}
