/**
 * The definition files as the live features need them, from the Validator's analyses:
 * where a workflow, phase or activity is written (for the tree's "Reveal Definition"),
 * and the files that can be synced (a file with errors is left out and listed).
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Location } from 'vscode-languageserver/node';
import { resolveWorkflow } from '../../core/index';
import type { FileAnalysis, PhaseDefinition } from '../../core/index';
import type { SyncSource } from '../../db/sync/sync';
import { toLocation } from '../to-lsp';
import type { Validator } from '../validation';

/** Finds where workflows and their phases and activities are defined. */
export class DefinitionLocator {
  private readonly files = new Map<string, { uri: string; analysis: FileAnalysis }>();

  constructor(private readonly validator: Validator) {
    // The first file (by URI) that names a workflow wins; a duplicate is an error there anyway.
    for (const uri of validator.uris().sort()) {
      const analysis = validator.analysisOf(uri);
      const name = analysis?.definition.workflow?.value;
      if (analysis && name !== undefined && !this.files.has(name)) this.files.set(name, { uri, analysis });
    }
  }

  /** The file of `workflow` and its analysis, when a known file defines it. */
  fileOf(workflow: string | null): { uri: string; analysis: FileAnalysis } | undefined {
    return workflow === null ? undefined : this.files.get(workflow);
  }

  /** The `workflow:` value of the file defining `workflow`. */
  workflow(workflow: string | null): Location | null {
    const file = this.fileOf(workflow);
    const span = file?.analysis.definition.workflow?.span;
    return file && span ? this.at(file.uri, span) : null;
  }

  /** The `- name:` of phase `phase` in the file defining `workflow`. */
  phase(workflow: string | null, phase: string): Location | null {
    const file = this.fileOf(workflow);
    const found = file ? phaseIn(file.analysis, phase) : undefined;
    return file && found ? this.at(file.uri, found.name?.span ?? found.span) : null;
  }

  /** The `- name:` of activity `activity` of phase `phase` in the file defining `workflow`. */
  activity(workflow: string | null, phase: string, activity: string): Location | null {
    const file = this.fileOf(workflow);
    const found = file ? phaseIn(file.analysis, phase)?.activities.find((a) => a.name?.value === activity) : undefined;
    return file && found ? this.at(file.uri, found.name?.span ?? found.span) : null;
  }

  private at(uri: string, span: { start: number; end: number }): Location | null {
    const index = this.validator.indexOf(uri);
    return index ? toLocation(uri, span, index) : null;
  }
}

function phaseIn(analysis: FileAnalysis, phase: string): PhaseDefinition | undefined {
  return analysis.definition.phases.find((p) => p.name?.value === phase);
}

/** The definition files a plan or sync covers, what it can sync, and what it leaves out. */
export interface SyncSources {
  readonly sources: SyncSource[];
  /** The file each workflow came from. */
  readonly uriOf: ReadonlyMap<string, string>;
  readonly skipped: { readonly uri: string; readonly errors: number }[];
  readonly files: string[];
}

/** The path of `uri` relative to the first workspace folder (as `phasectl` would print it), else the path itself. */
export function displayPath(uri: string, workspaceFolder: string | null): string {
  if (!uri.startsWith('file:')) return uri;
  const path = fileURLToPath(uri);
  const rel = workspaceFolder ? relative(workspaceFolder, path) : '';
  return rel && !rel.startsWith('..') ? rel : path;
}

/** The files to sync: `uri` alone, or every known definition file; files with errors are skipped. */
export function syncSources(validator: Validator, uri: string | undefined, workspaceFolder: string | null): SyncSources {
  const uris = uri === undefined ? validator.uris().sort() : [uri];
  const sources: SyncSource[] = [];
  const uriOf = new Map<string, string>();
  const skipped: { uri: string; errors: number }[] = [];
  for (const u of uris) {
    const analysis = validator.analysisOf(u);
    if (!analysis) continue;
    const problems = validator.problemsOf(u);
    const errors = problems.filter((p) => p.severity === 'error').length;
    const resolved = errors === 0 ? resolveWorkflow(analysis.definition, problems).value : null;
    if (!resolved) {
      skipped.push({ uri: u, errors: Math.max(errors, 1) });
      continue;
    }
    sources.push({ workflow: resolved, sourcePath: displayPath(u, workspaceFolder) });
    uriOf.set(resolved.name, u);
  }
  return { sources, uriOf, skipped, files: sources.map((s) => uriOf.get(s.workflow.name)!) };
}
