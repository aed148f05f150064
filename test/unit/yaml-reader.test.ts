/**
 * The fast YAML reader against the `yaml` package: over thousands of mutated
 * definition files, whatever the fast reader accepts it must read exactly as the
 * package does (same values, same spans), and only where the package sees no error.
 * Seeded (test/helpers/fuzz-seed.ts: fixed in CI, else random, always printed; `FUZZ_SEED=n` replays).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { YNode } from '../../server/core/index';
import { parseFast } from '../../server/core/yaml/fast-parser';
import { parseWithYamlPackage } from '../../server/core/yaml/full-parser';
import { seededRandom, yamlTextsIn } from '../helpers/random-texts';
import { fuzzSeed } from '../helpers/fuzz-seed';

const root = join(__dirname, '..', '..');


const SNIPPETS = [
  'a: 1\nb: -2\nc: 3.5\nd: 1e3\ne: .5\nf: +7\ng: 0o17\nh: 0x1F\ni: .inf\nj: .nan\n',
  'a: true\nb: False\nc: NULL\nd: ~\ne:\nf: "x: y"\ng: \'it\'\'s\'\nh: "esc \\" q"\n',
  'k: [a, b, {c: d, e: [1, 2]}, "q", \'s\']\nm: {}\nn: []\no: {a: }\n',
  '- a\n-\n- - nested\n- k: v\n  l: w\n-   spaced: x\n',
  'a: b # comment\n# whole line\nc: d#not comment\ne: "f" # c\n',
  'top:\n- item\n- other\nnext: 1\n',
  'a: x: y\n',
  'key with spaces: value with spaces   \n"quoted key": 1\n\'single\': 2\n',
  'a:\n  b:\n    c: 1\n  d: 2\ne: 3\n',
  'a: [1, 2\nb: 3\n',
  'url: http://example.com:8080/path\ntime: 12:30\n',
  'a: -x\nb: - y\nc: -\n',
  '---\na: 1\n',
  'a: |\n  text\n',
];


const PIECES = [' ', '  ', '-', '- ', ':', ': ', '#', ' #', '{', '}', '[', ']', ',', '"', "'", '\t', '\n', 'x', '1', '~', '&a', '*a', '!', '|', '?', '%', '\u00e9', '\r\n'];

function mutate(text: string, next: () => number): string {
  const lines = text.split('\n');
  const pick = () => Math.floor(next() * lines.length);
  const times = 1 + Math.floor(next() * 3);
  for (let k = 0; k < times; k++) {
    const i = pick();
    switch (Math.floor(next() * 6)) {
      case 0: lines.splice(i, 1); break;
      case 1: lines.splice(i, 0, lines[i] ?? ''); break;
      case 2: { const j = pick(); [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? '']; break; }
      case 3: { const l = lines[i] ?? ''; const at = Math.floor(next() * (l.length + 1)); lines[i] = l.slice(0, at) + PIECES[Math.floor(next() * PIECES.length)] + l.slice(at); break; }
      case 4: { const l = lines[i] ?? ''; const at = Math.floor(next() * (l.length + 1)); lines[i] = l.slice(0, at) + l.slice(at + 1 + Math.floor(next() * 3)); break; }
      default: lines[i] = ' '.repeat(Math.floor(next() * 3)) + (lines[i] ?? ''); break;
    }
  }
  return lines.join('\n');
}

test('the fast reader agrees with the yaml package wherever it accepts a text', () => {
  const seed = fuzzSeed('yaml reader fuzz', 20261201);
  const next = seededRandom(seed);
  const corpus = [...yamlTextsIn(join(root, 'examples')), ...yamlTextsIn(join(root, 'test', 'fixtures')), ...SNIPPETS];
  let accepted = 0;
  const total = 3000;
  for (let n = 0; n < total; n++) {
    const base = corpus[Math.floor(next() * corpus.length)]!;
    const text = n < corpus.length ? corpus[n]! : mutate(base, next);
    const fast = parseFast(text);
    if (!fast) continue;
    accepted++;
    const full = parseWithYamlPackage(text);
    const errors = full.problems.filter((p) => p.severity === 'error');
    assert.deepEqual(errors, [], `fast reader accepted a text the yaml package rejects (seed ${seed}, case ${n}):\n${text}`);
    assert.deepEqual(fast.value, full.value, `trees differ (seed ${seed}, case ${n}):\n${text}`);
  }
  // The fast path must actually be exercised, or the test proves nothing.
  assert.ok(accepted > total / 5, `only ${accepted} of ${total} texts took the fast path`);
});

test('keys longer than 1024 characters are declined, so both readers report them', () => {
  for (const text of [`${'k'.repeat(1025)}: 1\n`, `- ${'k'.repeat(1025)}: 1\n`, `"${'k'.repeat(1023)}": 1\n`, `${'😀'.repeat(513)}: 1\n`, `a:\n  ${'k'.repeat(1024)} : 1\n`]) {
    assert.equal(parseFast(text), undefined, `the fast reader accepts a ${text.length}-character key line`);
    assert.ok(parseWithYamlPackage(text).problems.some((p) => p.severity === 'error' && /1024/.test(p.message)));
  }
  // 1024 is allowed: the `:` may stand 1024 characters after the key's start.
  for (const text of [`${'k'.repeat(1024)}: 1\n`, `${'k'.repeat(1023)} : 1\n`, `"${'k'.repeat(1022)}": 1\n`]) {
    const fast = parseFast(text);
    assert.ok(fast, `the fast reader declines ${text.length} characters`);
    assert.deepEqual(fast.value, parseWithYamlPackage(text).value);
  }
});

test('one pair range for both readers: a key with no value ends after its colon', () => {
  const pairSpans = (node: YNode | null): string[] =>
    !node || node.kind === 'scalar' ? [] : node.kind === 'seq' ? node.items.flatMap(pairSpans)
      : node.pairs.flatMap((p) => [`${p.span.start}-${p.span.end}`, ...pairSpans(p.value)]);
  const cases: [string, string[]][] = [
    ['a :\nb: 1\n', ['0-3', '4-8']],
    ['- a :\n', ['2-5']],
    ['a:   \n', ['0-2']],
    ['a : # note\n', ['0-3']],
    ['m: {role: tester, bogus : }\n', ['0-27', '4-16', '18-25']],
    ['m: {a}\n', ['0-6', '4-5']],
    ['m: {a :}\n', ['0-8', '4-7']],
  ];
  for (const [text, expected] of cases) {
    const full = parseWithYamlPackage(text);
    assert.deepEqual(full.problems, [], text);
    assert.deepEqual(pairSpans(full.value), expected, `yaml package: ${JSON.stringify(text)}`);
    const fast = parseFast(text);
    if (fast) assert.deepEqual(pairSpans(fast.value), expected, `fast reader: ${JSON.stringify(text)}`);
  }
});
