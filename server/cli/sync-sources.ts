/**
 * Definition files -> workflows ready to sync, for `phasectl plan` and `phasectl sync`.
 * Files with validation errors are refused: their problems are printed exactly as
 * `phasectl validate` prints them, and nothing is synced.
 */
import { analyzeText, checkAcrossFiles, LineIndex, resolveWorkflow } from '../core/index';
import type { FileAnalysis, Problem } from '../core/index';
import type { SyncSource } from '../db/sync/sync';
import type { UnknownReference } from '../db/sync/load';
import type { HostOwnership } from '../db/host-rows';
import type { CliIO } from './command';
import { findDefinitionFiles, loadDefinitionFile } from './definition-files';
import { formatText, toCliDiagnostics } from './diagnostic-format';

/** What loading the definition files gave. */
export interface LoadedSources {
  readonly sources: SyncSource[];
  /** Analyses by workflow name (to point at `applies_to` entries). */
  readonly analyses: ReadonlyMap<string, FileAnalysis & { display: string }>;
  /** Printable report of validation errors and unusable paths; empty when all is well. */
  readonly errors: string;
  /** True when a path could not be used (exit 2) rather than a file having problems (exit 1). */
  readonly pathError: boolean;
  /** Files left out because they have validation errors. */
  readonly rejected: readonly string[];
}

/** Finds, reads, validates and resolves the definition files under `paths`. */
export function loadSyncSources(paths: readonly string[], io: CliIO): LoadedSources {
  const found = findDefinitionFiles(paths.length > 0 ? paths : ['.'], io.cwd);
  const messages = [...found.errors];
  const analyses: (FileAnalysis & { display: string })[] = [];
  for (const file of found.files.map((f) => loadDefinitionFile(f, io.cwd))) {
    if (file.kind === 'text') analyses.push({ ...analyzeText(file.display, file.text), display: file.display });
    else if (file.kind === 'unreadable') messages.push(`${file.display}: ${file.reason}`);
    else messages.push(`${file.display}:${file.line}:${file.column}: error yaml-syntax: ${file.reason}`);
  }
  if (found.files.length === 0 && found.errors.length === 0) messages.push(`no *.phases.yaml / *.phases.yml files in ${paths.length > 0 ? paths.join(', ') : '.'}`);
  const pathError = messages.length > 0;
  const across = checkAcrossFiles(analyses);
  const texts = new Map(analyses.map((a) => [a.file, a.text]));
  const sources: SyncSource[] = [];
  const byWorkflow = new Map<string, FileAnalysis & { display: string }>();
  const diagnostics = [];
  const rejected: string[] = [];
  for (const a of analyses) {
    const problems: Problem[] = [...a.problems, ...(across.get(a.file) ?? [])];
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      rejected.push(a.display);
      // Not push(...): a spread of 100,000+ diagnostics overflows the call stack.
      for (const d of toCliDiagnostics(a.file, a.text, errors, texts)) diagnostics.push(d);
      continue;
    }
    const resolved = resolveWorkflow(a.definition, problems);
    if (resolved.value) {
      sources.push({ workflow: resolved.value, sourcePath: a.display });
      byWorkflow.set(resolved.value.name, a);
    }
  }
  let errors = messages.map((m) => `${m}\n`).join('');
  if (diagnostics.length > 0) errors += `${formatText(diagnostics, analyses.length)}Nothing was synced: fix the errors first.\n`;
  return { sources, analyses: byWorkflow, errors, pathError, rejected };
}

/** `file:line:col: error unknown-…: …` for cycles or reports that do not exist, pointing at `applies_to`. */
export function describeUnknown(unknown: readonly UnknownReference[], analyses: LoadedSources['analyses']): string {
  return unknown
    .map((u) => {
      const a = analyses.get(u.workflow);
      const what = `${u.kind === 'cycle' ? 'test cycle' : 'report'} ${typeof u.value === 'number' ? `id ${u.value}` : `'${u.value}'`} does not exist in the database`;
      if (!a) return `error: workflow '${u.workflow}': ${what}\n`;
      const located = a.definition.appliesTo.flatMap((c) => (u.kind === 'cycle' ? (c.cycle ? [c.cycle] : []) : c.reports)).find((l) => l.value === u.value);
      if (!located) return `${a.display}: error: ${what}\n`;
      const at = new LineIndex(a.text).position(located.span.start);
      return `${a.display}:${at.line + 1}:${at.character + 1}: error unknown-${u.kind}: ${what}\n`;
    })
    .join('');
}

/** `value` as one shell word: as it is when plain, else single-quoted. */
export function shellWord(value: string): string {
  return /^[\w.@%+=:,/-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * What to do about unknown cycles and reports: in a standalone database, the commands
 * that create them; where the tables belong to a host application, that it must add them.
 */
export function unknownNextStep(unknown: readonly UnknownReference[], ownership: HostOwnership, verb: 'planned' | 'synced'): string {
  if (!ownership.standalone) return `Nothing was ${verb}: ${ownership.reason} (or fix applies_to).\n`;
  const names = (kind: 'cycle' | 'report') => [...new Set(unknown.filter((u) => u.kind === kind).map((u) => shellWord(String(u.value))))];
  const commands = (['cycle', 'report'] as const).filter((k) => names(k).length > 0).map((k) => `\`phasectl ${k} add ${names(k).join(' ')}\``);
  return `Nothing was ${verb}. Create them and sync in one step with \`phasectl sync --create-missing\`, or first run ${commands.join(' and ')} (or fix applies_to).\n`;
}
