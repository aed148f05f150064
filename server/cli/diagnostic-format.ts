/**
 * The CLI's diagnostics, and their text and JSON formats (SARIF: `sarif.ts`). This is
 * the one place that turns core spans into 1-based `line:column`.
 */
import { LineIndex } from '../core/index';
import type { Problem, Severity } from '../core/index';

/** One diagnostic as the CLI prints it: 1-based lines and UTF-16 columns. */
export interface CliDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly rule: string;
  readonly message: string;
  readonly related: readonly { file: string; line: number; column: number; message: string }[];
}

/** Converts a file's problems to CLI diagnostics. `texts` resolves related locations in other files. */
export function toCliDiagnostics(file: string, text: string, problems: readonly Problem[], texts: ReadonlyMap<string, string>): CliDiagnostic[] {
  const index = new LineIndex(text);
  const indexes = new Map<string, LineIndex>([[file, index]]);
  const indexOf = (f: string) => {
    let i = indexes.get(f);
    if (!i) indexes.set(f, (i = new LineIndex(texts.get(f) ?? '')));
    return i;
  };
  return problems.map((p) => {
    const start = index.position(p.span.start);
    const end = index.position(p.span.end);
    return {
      file,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      severity: p.severity,
      rule: p.rule,
      message: p.message,
      related: (p.related ?? []).map((r) => {
        const at = indexOf(r.file ?? file).position(r.span.start);
        return { file: r.file ?? file, line: at.line + 1, column: at.character + 1, message: r.message };
      }),
    };
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `file:line:col: severity rule-id: message`, one per line, related notes indented, then a summary. */
export function formatText(diagnostics: readonly CliDiagnostic[], fileCount: number): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    lines.push(`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.rule}: ${d.message}`);
    for (const r of d.related) lines.push(`  ${r.file}:${r.line}:${r.column}: note: ${r.message}`);
  }
  const count = (s: Severity) => diagnostics.filter((d) => d.severity === s).length;
  const errors = count('error');
  const warnings = count('warning');
  lines.push(
    errors + warnings === 0
      ? `${plural(fileCount, 'file')} checked: no problems.`
      : `${plural(fileCount, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}.`,
  );
  return lines.join('\n') + '\n';
}

/** The JSON report: `{"files": n, "diagnostics": [...]}`. */
export function formatJson(diagnostics: readonly CliDiagnostic[], fileCount: number): string {
  return JSON.stringify(
    {
      files: fileCount,
      diagnostics: diagnostics.map(({ file, line, column, endLine, endColumn, severity, rule, message }) => ({
        file, line, column, endLine, endColumn, severity, rule, message,
      })),
    },
    null,
    2,
  ) + '\n';
}
