/** `phasectl validate`: check definition files; text, JSON or SARIF output. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateTexts } from '../../core/index';
import { EXIT, UsageError } from '../command';
import type { Command } from '../command';
import { formatJson, formatText, toCliDiagnostics } from '../diagnostic-format';
import type { CliDiagnostic } from '../diagnostic-format';
import { findDefinitionFiles, loadDefinitionFile } from '../definition-files';
import { formatSarif, repositoryRoot, type UnreadablePath } from '../sarif';

const FORMATS = ['text', 'json', 'sarif'] as const;

/** The command. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check definition files against the 9-phase model',
  usage: `Usage: phasectl validate [files or folders...] [--format text|json|sarif] [--root DIR]

Checks *.phases.yaml / *.phases.yml files (folders are searched; default: the current folder).
SARIF paths are relative to --root (default: the repository holding the current folder).
Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error, unreadable path or no definition files found.`,
  options: { format: { type: 'string', short: 'f', default: 'text' }, root: { type: 'string' } },
  run(args, io) {
    const format = args.values.format as string;
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format '${format}' (use text, json or sarif)`);
    const root = typeof args.values.root === 'string' ? resolve(io.cwd, args.values.root) : repositoryRoot(io.cwd);
    if (typeof args.values.root === 'string' && !isFolder(root)) throw new UsageError(`--root ${args.values.root}: no such folder`);
    const paths = args.positionals.length > 0 ? args.positionals : ['.'];
    const found = findDefinitionFiles(paths, io.cwd);
    let exit: number = EXIT.ok;
    const unreadable: UnreadablePath[] = [];
    for (const error of found.errors) {
      io.stderr(`phasectl validate: ${error}\n`);
      const given = paths.find((p) => error.startsWith(`${p}: `)) ?? error;
      unreadable.push({ path: given, reason: error.slice(given.length + 2) });
    }
    if (found.errors.length > 0) exit = EXIT.usage;

    const loaded = found.files.map((f) => loadDefinitionFile(f, io.cwd));
    const diagnostics: CliDiagnostic[] = [];
    const texts = new Map<string, string>();
    for (const file of loaded) {
      if (file.kind === 'text') texts.set(file.display, file.text);
      else if (file.kind === 'unreadable') {
        io.stderr(`phasectl validate: ${file.display}: ${file.reason}\n`);
        unreadable.push({ path: file.display, reason: file.reason });
        exit = EXIT.usage;
      } else {
        diagnostics.push({
          file: file.display, line: file.line, column: file.column, endLine: file.line, endColumn: file.column + 1,
          severity: 'error', rule: 'yaml-syntax', message: file.reason, related: [],
        });
      }
    }
    const results = validateTexts([...texts].map(([file, text]) => ({ file, text })));
    // Not push(...): a spread of 100,000+ diagnostics overflows the call stack.
    for (const result of results) for (const d of toCliDiagnostics(result.file, texts.get(result.file)!, result.problems, texts)) diagnostics.push(d);
    diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);

    const fileCount = loaded.filter((f) => f.kind !== 'unreadable').length;
    // Nothing to check is never a pass: a missing path and an empty folder get the same answer.
    if (fileCount === 0) {
      if (found.errors.length === 0) io.stderr(`phasectl validate: no *.phases.yaml / *.phases.yml files in ${paths.join(', ')}\n`);
      exit = EXIT.usage;
    }
    if (format === 'json') io.stdout(formatJson(diagnostics, fileCount));
    else if (format === 'sarif') io.stdout(formatSarif(diagnostics, { cwd: io.cwd, root, texts, unreadable }));
    else io.stdout(formatText(diagnostics, fileCount));
    if (exit === EXIT.ok && diagnostics.some((d) => d.severity === 'error')) exit = EXIT.problems;
    return Promise.resolve(exit);
  },
};

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
