/**
 * The analyses of every known definition file (open or on disk), validation scheduled
 * per file with a delay that adapts to the file's size, cross-file rules recomputed
 * only when they can have changed, and diagnostics pushed to the client.
 */
import type { Connection } from 'vscode-languageserver/node';
import { analyzeText, checkAcrossFiles, checkLiveRules, reanalyzeText, type FileAnalysis, type LiveFacts, type Problem } from '../core/index';
import { PLAIN_CLIENT, type ClientFeatures } from './client-capabilities';
import { afterBigAnalysis } from './memory';
import { lineIndexOf, toDiagnostic, type LineIndex } from './to-lsp';

/** One known file: its current text and, once validated, the analysis of exactly that text. */
interface Entry {
  text: string;
  /** The editor's version while the file is open; null for a file known only from disk. */
  version: number | null;
  analysis?: FileAnalysis;
  /** The analysis of the text before the latest edit, which re-analysis may reuse. */
  previous?: FileAnalysis;
  index?: LineIndex;
  /** The editor's line index of this text, valid only while the editor is at `version`. */
  lines?: LineIndex;
  /** The facts cross-file rules read (workflow name, claimed instances), without positions. */
  crossKey?: string;
}

/** What the validator reports to whoever shows the server's status. */
export interface ValidatorEvents {
  /** Called after diagnostics were pushed or the pending work changed. */
  changed(): void;
  /** Called when an analysis threw (a bug): the file's diagnostics were cleared. */
  failed(uri: string, error: unknown): void;
  /** Called after a file was analysed without error. */
  succeeded(): void;
  /** Called when a file's text changed, it was added, or it was forgotten (the live rules re-check). */
  edited?(uri: string): void;
}

const MIN_DELAY_MS = 1;
const MAX_DELAY_MS = 100;
// A fraction of the time the core needs to re-read that much text: a burst of keystrokes
// on a big file coalesces into one validation, while a small file is validated at once.
const BYTES_PER_MS = 100_000;

/** The validation delay after an edit: 1 ms for a small file, growing with its size (1 ms per 100 KB) up to 100 ms. */
export function adaptiveDelay(textLength: number): number {
  return Math.round(Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, textLength / BYTES_PER_MS)));
}

function crossKeyOf(analysis: FileAnalysis): string {
  const d = analysis.definition;
  return JSON.stringify([d.workflow?.value ?? null, d.appliesTo.map((c) => [c.cycle?.value ?? null, c.reports.map((r) => r.value)])]);
}

/**
 * `analyzeText` without stack traces: the `yaml` package (the core's fallback parser)
 * builds an Error per syntax problem, and capturing their stacks costs more than the
 * parse itself on a badly broken file. A throw (a bug) is re-run with stacks for the log.
 */
function analyzeQuietly(uri: string, text: string, previous: FileAnalysis | undefined): FileAnalysis {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return reanalyzeText(previous, uri, text).analysis;
  } catch {
    Error.stackTraceLimit = limit;
    return analyzeText(uri, text);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Keeps every known file validated and its diagnostics published. */
export class Validator {
  private readonly entries = new Map<string, Entry>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private cross = new Map<string, Problem[]>();
  /** Files that hold a cross-file problem or are pointed at by one. */
  private involved = new Set<string>();
  /** Files still waiting for their analysis when the cross-file rules last ran: they were left out. */
  private leftOut = new Set<string>();
  private publishedCross = new Map<string, string>();
  /** The live facts by workflow name while a database is connected; null otherwise. */
  private liveFacts: ReadonlyMap<string, LiveFacts> | null = null;
  private publishedLive = new Map<string, string>();
  /** What the client declared about diagnostics (set on `initialize`). */
  private client: Pick<ClientFeatures, 'relatedInformation' | 'codeDescription'> = PLAIN_CLIENT;

  constructor(
    private readonly connection: Connection,
    private readonly events: ValidatorEvents,
  ) {}

  /** The number of known files. */
  get fileCount(): number {
    return this.entries.size;
  }

  /** True when no validation is waiting. */
  get quiescent(): boolean {
    return this.timers.size === 0;
  }

  /** Problems across every known file (own and cross-file). */
  get problemCount(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.analysis?.problems.length ?? 0;
    for (const list of this.cross.values()) n += list.length;
    if (this.liveFacts) for (const uri of this.entries.keys()) n += this.liveProblemsOf(uri).length;
    return n;
  }

  /** Publishes diagnostics in the forms the client declared (related information, rule page links). */
  useClientFeatures(client: Pick<ClientFeatures, 'relatedInformation' | 'codeDescription'>): void {
    this.client = client;
  }

  /** The editor's version of a known file (null: known from disk), or undefined when the file is not known. */
  versionOf(uri: string): number | null | undefined {
    return this.entries.get(uri)?.version;
  }

  /** The URIs of every known file. */
  uris(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Sets the text of a file and schedules its validation after the adaptive delay (or at
   * once). `lines`, when given, is the editor's line index of exactly this text version.
   */
  update(uri: string, text: string, version: number | null, immediately = false, lines?: LineIndex): void {
    const previous = this.entries.get(uri);
    if (previous && previous.text === text && previous.version === version && previous.analysis) return;
    const reusable = previous?.analysis ?? previous?.previous;
    this.entries.set(uri, { text, version, ...(lines ? { lines } : {}), ...(reusable ? { previous: reusable } : {}), ...(previous?.crossKey ? { crossKey: previous.crossKey } : {}) });
    // A file opened or read from disk is validated at once; only edits wait.
    const fresh = !previous || previous.version === null || version === null;
    this.schedule(uri, immediately || fresh ? 0 : adaptiveDelay(text.length));
    this.events.edited?.(uri);
  }

  /** Sets the texts of many files (the workspace scan): analyses them all, then checks across files once. */
  async updateMany(files: readonly { uri: string; text: string }[]): Promise<void> {
    for (const { uri, text } of files) {
      if (this.entries.get(uri)?.version != null) continue; // open in the editor: its text wins
      this.entries.set(uri, { text, version: null });
      this.analyze(uri);
      // Let requests and notifications in between files.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.recomputeCross(new Set(files.map((f) => f.uri)));
    if (files.length > 0) this.events.edited?.(files[0]!.uri);
  }

  /** Forgets a file (deleted, or closed and not on disk) and clears its diagnostics. */
  remove(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
    const entry = this.entries.get(uri);
    this.entries.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.publishedLive.delete(uri);
    if (entry?.crossKey !== undefined) this.recomputeCross(new Set([uri]));
    this.events.changed();
    this.events.edited?.(uri);
  }

  /** The analysis of the file's current text, validating now if it is pending. */
  analysisOf(uri: string): FileAnalysis | undefined {
    if (this.timers.has(uri)) this.run(uri);
    return this.entries.get(uri)?.analysis;
  }

  /** The line index of the file's analysed text. */
  indexOf(uri: string): LineIndex | undefined {
    const entry = this.entries.get(uri);
    if (!entry?.analysis) return undefined;
    // The editor's own index is reused while it still describes this version.
    if (entry.lines && entry.lines.version === entry.version) return entry.lines;
    return (entry.index ??= lineIndexOf(entry.analysis.text));
  }

  /** Every problem of the file: its own, the cross-file ones, and the live ones. */
  problemsOf(uri: string): readonly Problem[] {
    const own = this.entries.get(uri)?.analysis?.problems ?? [];
    const cross = this.cross.get(uri);
    const live = this.liveProblemsOf(uri);
    return cross || live.length > 0 ? [...own, ...(cross ?? []), ...live] : own;
  }

  /**
   * Sets the live facts of a connected database by workflow name (null: none connected)
   * and republishes every file whose live problems changed.
   */
  setLiveFacts(facts: ReadonlyMap<string, LiveFacts> | null): void {
    this.liveFacts = facts;
    for (const uri of this.entries.keys()) {
      if ((this.publishedLive.get(uri) ?? '[]') !== JSON.stringify(this.liveProblemsOf(uri))) this.publish(uri);
    }
    this.events.changed();
  }

  /** The live rules' problems of a file without errors, from the facts of its workflow. */
  private liveProblemsOf(uri: string): Problem[] {
    const analysis = this.entries.get(uri)?.analysis;
    const workflow = analysis?.definition.workflow?.value;
    const facts = workflow === undefined ? undefined : this.liveFacts?.get(workflow);
    if (!analysis || !facts) return [];
    // The facts come from a sync plan, which leaves out files with errors.
    if (analysis.problems.some((p) => p.severity === 'error') || this.cross.get(uri)?.some((p) => p.severity === 'error')) return [];
    try {
      return checkLiveRules(analysis.definition, facts);
    } catch (error) {
      this.events.failed(`${uri} (live rules)`, error);
      return [];
    }
  }

  /** Stops every pending validation (shutdown). */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(uri: string, delay: number): void {
    const existing = this.timers.get(uri);
    if (existing) clearTimeout(existing);
    this.timers.set(uri, setTimeout(() => this.run(uri), delay));
    this.events.changed();
  }

  /** Validates one file now, rechecks across files when needed, and publishes; a bug clears its diagnostics. */
  private run(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
    if (!this.entries.has(uri)) return;
    try {
      this.validate(uri);
    } catch (error) {
      void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      this.events.failed(uri, error);
    }
  }

  private validate(uri: string): void {
    const before = this.entries.get(uri)!.crossKey;
    if (!this.analyze(uri)) return;
    const entry = this.entries.get(uri)!;
    if (entry.crossKey !== before || this.involved.has(uri) || this.leftOut.has(uri)) this.recomputeCross(new Set([uri]));
    else this.publish(uri);
    this.events.changed();
  }

  /** Analyses a file's text; false (and diagnostics cleared) when the core threw. */
  private analyze(uri: string): boolean {
    const entry = this.entries.get(uri)!;
    try {
      const analysis = analyzeQuietly(uri, entry.text, entry.previous);
      delete entry.previous;
      entry.analysis = analysis;
      delete entry.index;
      entry.crossKey = crossKeyOf(analysis);
      afterBigAnalysis(entry.text.length);
      this.events.succeeded();
      return true;
    } catch (error) {
      delete entry.analysis;
      void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      this.events.failed(uri, error);
      return false;
    }
  }

  /** Runs the cross-file rules over every analysed file; republishes files whose cross problems changed. */
  private recomputeCross(alreadyPublishing: ReadonlySet<string>): void {
    const analyses: FileAnalysis[] = [];
    this.leftOut.clear();
    for (const [uri, entry] of this.entries) {
      if (entry.analysis) analyses.push(entry.analysis);
      // Its text changed and waits for validation (e.g. a closed file read from disk): its
      // own validation must run these rules again, or it would miss its cross-file problems.
      else this.leftOut.add(uri);
    }
    let next: Map<string, Problem[]>;
    try {
      next = checkAcrossFiles(analyses);
    } catch (error) {
      this.events.failed('(cross-file rules)', error);
      next = new Map();
    }
    this.cross = next;
    const involved = new Set<string>();
    for (const [file, problems] of next) {
      involved.add(file);
      for (const p of problems) for (const r of p.related ?? []) if (r.file) involved.add(r.file);
    }
    this.involved = involved;
    for (const uri of this.entries.keys()) {
      if (alreadyPublishing.has(uri)) continue;
      if ((this.publishedCross.get(uri) ?? '[]') !== JSON.stringify(next.get(uri) ?? [])) this.publish(uri);
    }
    for (const uri of alreadyPublishing) if (this.entries.has(uri)) this.publish(uri);
  }

  /** Pushes the file's diagnostics (own and cross-file) to the client. */
  private publish(uri: string): void {
    const entry = this.entries.get(uri);
    const index = this.indexOf(uri);
    if (!entry?.analysis || !index) return;
    const cross = this.cross.get(uri) ?? [];
    const live = this.liveProblemsOf(uri);
    this.publishedCross.set(uri, JSON.stringify(cross));
    this.publishedLive.set(uri, JSON.stringify(live));
    const indexOf = (other: string) => this.indexOf(other);
    const diagnostics = [...entry.analysis.problems, ...cross, ...live].map((p) => toDiagnostic(p, uri, index, indexOf, this.client));
    void this.connection.sendDiagnostics({ uri, ...(entry.version !== null ? { version: entry.version } : {}), diagnostics });
  }
}
