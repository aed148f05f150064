/**
 * The rule fixtures: every file under test/fixtures/<rule-id>/ is a workspace of one
 * file, every folder there a workspace of several. A `# want: rule-id[, rule-id]`
 * comment says a diagnostic of that rule starts on that line; every other line must
 * get none. A `# live: {"refusals": [...], "unknown": [...]}` line gives the file the
 * live facts a connected database would (see server/core/rules/live.ts), and the live
 * rules run on it too. Adding a case = adding a file.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeText, checkLiveRules, LineIndex, RULES, validateTexts } from '../../server/core/index';
import type { LiveFacts } from '../../server/core/index';

const root = join(__dirname, '..', 'fixtures');
const WANT = /#\s*want:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/;
const LIVE = /^#\s*live:\s*(\{.*\})\s*$/m;

interface Workspace {
  readonly name: string;
  readonly files: { file: string; text: string }[];
}

function workspaces(ruleDir: string): Workspace[] {
  return readdirSync(ruleDir).sort().map((entry) => {
    const path = join(ruleDir, entry);
    const paths = statSync(path).isDirectory() ? readdirSync(path).sort().map((f) => join(path, f)) : [path];
    return { name: relative(root, path), files: paths.map((p) => ({ file: relative(root, p), text: readFileSync(p, 'utf8') })) };
  });
}

function expected(ws: Workspace): string[] {
  const out: string[] = [];
  for (const { file, text } of ws.files) {
    text.split('\n').forEach((line, i) => {
      const m = WANT.exec(line);
      if (m) for (const rule of m[1]!.split(',')) out.push(`${file}:${i + 1} ${rule.trim()}`);
    });
  }
  return out.sort();
}

function actual(ws: Workspace): string[] {
  const out: string[] = [];
  for (const result of validateTexts(ws.files)) {
    const text = ws.files.find((f) => f.file === result.file)!.text;
    const index = new LineIndex(text);
    const facts = LIVE.exec(text);
    // As the server does: live rules only on a file without errors.
    const live = facts && !result.problems.some((p) => p.severity === 'error') ? checkLiveRules(analyzeText(result.file, text).definition, JSON.parse(facts[1]!) as LiveFacts) : [];
    for (const p of [...result.problems, ...live]) out.push(`${result.file}:${index.position(p.span.start).line + 1} ${p.rule}`);
  }
  return out.sort();
}

const ruleDirs = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory()).sort();

describe('rule fixtures', () => {
  for (const rule of ruleDirs) {
    describe(rule, () => {
      for (const ws of workspaces(join(root, rule))) {
        test(ws.name, () => assert.deepEqual(actual(ws), expected(ws)));
      }
    });
  }

  test('every rule has a failing and a passing fixture', () => {
    for (const rule of RULES) {
      assert.ok(ruleDirs.includes(rule.id), `test/fixtures/${rule.id}/ is missing`);
      const cases = workspaces(join(root, rule.id)).map(expected);
      assert.ok(cases.some((c) => c.some((w) => w.endsWith(` ${rule.id}`))), `${rule.id} has no failing fixture`);
      assert.ok(cases.some((c) => c.length === 0), `${rule.id} has no passing fixture`);
    }
  });

  test('the complete example yields no diagnostics at all', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'examples', 'regulatory-testing.phases.yaml'), 'utf8');
    assert.deepEqual(validateTexts([{ file: 'example', text }])[0]!.problems, []);
  });
});
