/**
 * `phasectl validate --format sarif`: a SARIF 2.1.0 log for GitHub code scanning.
 * Locations are URI references relative to the repository root (`%SRCROOT%`), each
 * rule carries its documentation page, each result a fingerprint that survives
 * unrelated edits, and a path that could not be read makes the run a failed one.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import packageJson from '../../package.json';
import { RULES, type Severity } from '../core/index';
import type { CliDiagnostic } from './diagnostic-format';
import { RULE_PAGES } from './rule-pages-generated';

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

/** The base id every location is relative to. */
export const SOURCE_ROOT = '%SRCROOT%';

/** The repository root for `cwd`: the nearest folder holding `.git` (a folder, or a worktree's file), else `cwd`. */
export function repositoryRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

/** `path` (absolute) as a percent-encoded URI reference relative to `root`. */
export function relativeUri(root: string, path: string): string {
  return relative(root, path).split(sep).map(encodeURIComponent).join('/');
}

/** The web page of rule `id` next to the project's `homepage` (a GitHub repository gets its blob URL). */
export function ruleHelpUri(homepage: string, id: string): string {
  const url = new URL(homepage);
  url.hash = '';
  url.search = '';
  const base = url.href.replace(/\/+$/, '');
  const page = `docs/rules/${encodeURIComponent(id)}.md`;
  return url.hostname === 'github.com' && url.pathname.split('/').filter(Boolean).length === 2 ? `${base}/blob/HEAD/${page}` : `${base}/${page}`;
}

/** A path that could not be read, and why. */
export interface UnreadablePath {
  /** The path as given or found (relative to `cwd`, or absolute). */
  readonly path: string;
  readonly reason: string;
}

/** What the SARIF log needs beside the diagnostics. */
export interface SarifContext {
  /** The folder the CLI ran in: diagnostics' `file`s are relative to it (or absolute). */
  readonly cwd: string;
  /** The repository root the URIs are relative to. */
  readonly root: string;
  /** Every file's text, by the `file` its diagnostics carry (for fingerprints). */
  readonly texts: ReadonlyMap<string, string>;
  readonly unreadable: readonly UnreadablePath[];
}

const homepage = (packageJson as { homepage?: unknown }).homepage;
const version = (packageJson as { version?: unknown }).version;

/** The line holding a 1-based `line` of `text`, trimmed: the context a fingerprint keeps. */
function lineText(text: string | undefined, line: number): string {
  return (text ?? '').split('\n', line)[line - 1]?.trim() ?? '';
}

/**
 * Fingerprints that do not move when unrelated lines are added or changed: the rule,
 * the file, the message and the offending line's text — no line numbers — and the
 * count of identical results before it in the file.
 */
function fingerprints(diagnostics: readonly CliDiagnostic[], uriOf: (file: string) => string, texts: ReadonlyMap<string, string>): string[] {
  const seen = new Map<string, number>();
  return diagnostics.map((d) => {
    const key = JSON.stringify([d.rule, uriOf(d.file), d.message, lineText(texts.get(d.file), d.line)]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}:${occurrence}`;
  });
}

/** The SARIF 2.1.0 log of one `validate` run. */
export function formatSarif(diagnostics: readonly CliDiagnostic[], context: SarifContext): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const uriOf = (file: string) => relativeUri(context.root, isAbsolute(file) ? file : resolve(context.cwd, file));
  const location = (file: string, region?: Record<string, number>) => ({
    physicalLocation: { artifactLocation: { uri: uriOf(file), uriBaseId: SOURCE_ROOT }, ...(region ? { region } : {}) },
  });
  const prints = fingerprints(diagnostics, uriOf, context.texts);
  const rootUri = pathToFileURL(context.root).href.replace(/\/?$/, '/');
  const log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'phasectl',
            ...(typeof version === 'string' ? { semanticVersion: version } : {}),
            ...(typeof homepage === 'string' ? { informationUri: homepage } : {}),
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              help: { text: `${r.title}. See docs/rules/${r.id}.md.`, ...(RULE_PAGES[r.id] ? { markdown: RULE_PAGES[r.id] } : {}) },
              ...(typeof homepage === 'string' ? { helpUri: ruleHelpUri(homepage, r.id) } : {}),
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: context.unreadable.length === 0,
            ...(context.unreadable.length > 0
              ? {
                  toolExecutionNotifications: context.unreadable.map((u) => ({
                    level: 'error',
                    message: { text: `${u.path}: ${u.reason}` },
                    locations: [location(u.path)],
                  })),
                }
              : {}),
          },
        ],
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: rootUri, description: { text: 'The repository root.' } } },
        columnKind: 'utf16CodeUnits',
        results: diagnostics.map((d, i) => ({
          ruleId: d.rule,
          ...(ruleIndex.has(d.rule) ? { ruleIndex: ruleIndex.get(d.rule) } : {}),
          level: SARIF_LEVEL[d.severity],
          message: { text: d.message },
          locations: [location(d.file, { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn })],
          partialFingerprints: { 'workflowPhases/v1': prints[i]! },
          ...(d.related.length
            ? { relatedLocations: d.related.map((r, id) => ({ id, message: { text: r.message }, ...location(r.file, { startLine: r.line, startColumn: r.column }) })) }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
