/** Validation of definition files: one file at a time, then across files. */
import { readDefinition } from './definition/read';
import type { WorkflowDefinition } from './definition/types';
import type { Problem } from './problem';
import { CROSS_FILE_RULES, FILE_RULES } from './rules/registry';
import { problemOf } from './rules/rule';
import { parseYaml } from './yaml/parse';
import type { YNode } from './yaml/tree';

/** A file's path (or URI) and its text. */
export interface SourceText {
  readonly file: string;
  readonly text: string;
}

/** Everything known about one file after reading and checking it on its own. */
export interface FileAnalysis extends SourceText {
  /** The YAML tree; null when the text has no usable YAML document. */
  readonly tree: YNode | null;
  readonly definition: WorkflowDefinition;
  /** Syntax, structure and single-file rule problems, in source order. */
  readonly problems: readonly Problem[];
}

/** The problems of one file. */
export interface FileProblems {
  readonly file: string;
  readonly problems: readonly Problem[];
}

const bySpan = (a: Problem, b: Problem) => a.span.start - b.span.start || a.span.end - b.span.end || a.rule.localeCompare(b.rule);

/** Reads and checks one file on its own. Never throws on any input text. */
export function analyzeText(file: string, text: string): FileAnalysis {
  const parsed = parseYaml(text);
  const read = readDefinition(parsed.value, text);
  const problems = [...parsed.problems];
  // After a syntax error the recovered tree is a guess: checking its shape would only add noise.
  if (!parsed.problems.some((p) => p.severity === 'error')) {
    // Not push(...): a spread of 100,000+ problems overflows the call stack.
    for (const p of read.problems) problems.push(p);
    for (const rule of FILE_RULES) rule.check(read.value, (r) => problems.push(problemOf(rule, r)));
  }
  problems.sort(bySpan);
  return { file, text, tree: parsed.value, definition: read.value, problems };
}

/** The cross-file problems (`duplicate-workflow`, `duplicate-instance`) of a set of analysed files, by file. */
export function checkAcrossFiles(files: readonly FileAnalysis[]): Map<string, Problem[]> {
  const out = new Map<string, Problem[]>();
  for (const rule of CROSS_FILE_RULES) {
    rule.check(files, (file, r) => {
      let list = out.get(file);
      if (!list) out.set(file, (list = []));
      list.push(problemOf(rule, r));
    });
  }
  for (const list of out.values()) list.sort(bySpan);
  return out;
}

/** Analyses every file and checks them together: each file's problems, in source order. */
export function validateTexts(sources: readonly SourceText[]): FileProblems[] {
  const analyses = sources.map((s) => analyzeText(s.file, s.text));
  const across = checkAcrossFiles(analyses);
  return analyses.map((a) => {
    const extra = across.get(a.file);
    return { file: a.file, problems: extra ? [...a.problems, ...extra].sort(bySpan) : a.problems };
  });
}
