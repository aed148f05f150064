/**
 * Every quick fix leaves YAML that parses: each fix offered for each problem of every
 * failing rule fixture, and of generated files with unknown keys written every way a
 * key can be (`a :`, `- a :`, `bogus : }` in a flow map, ...), read by either YAML
 * reader, is applied and the result is parsed again by the `yaml` package.
 * Seeded (test/helpers/fuzz-seed.ts: fixed in CI, else random, always printed; `FUZZ_SEED=n` replays).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { analyzeText, applyEdits, quickFixesFor } from '../../server/core/index';
import { fuzzSeed } from '../helpers/fuzz-seed';

const root = join(__dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures');
const example = readFileSync(join(root, 'examples', 'regulatory-testing.phases.yaml'), 'utf8');

/** The `yaml` package's errors for a text. */
const yamlErrors = (text: string) => parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors.map((e) => e.message) : []));

/** Applies every fix of every problem of `text`, one at a time; returns what broke. */
function brokenFixes(name: string, text: string): string[] {
  const analysis = analyzeText(name, text);
  const out: string[] = [];
  for (const problem of analysis.problems) {
    for (const fix of quickFixesFor(analysis, [problem])) {
      const fixed = applyEdits(text, fix.edits);
      const errors = yamlErrors(fixed);
      if (errors.length > 0) out.push(`${name}: '${fix.title}' (${problem.rule}) leaves broken YAML: ${errors[0]}\n${fixed}`);
    }
  }
  return out;
}

test('every quick fix on every failing fixture leaves YAML that parses', () => {
  const files: string[] = [];
  for (const rule of readdirSync(fixtures)) {
    const walk = (path: string): void => {
      if (statSync(path).isDirectory()) readdirSync(path).forEach((f) => walk(join(path, f)));
      else if (/\.ya?ml$/.test(path)) files.push(path);
    };
    walk(join(fixtures, rule));
  }
  const broken = files.filter((f) => yamlErrors(readFileSync(f, 'utf8')).length === 0).flatMap((f) => brokenFixes(f, readFileSync(f, 'utf8')));
  assert.deepEqual(broken, []);
});

// Where an unknown key goes: a block mapping (a phase), the first key of a list item, a flow mapping (an activity).
const PLACES = [
  { anchor: '    order: 2\n', insert: (key: string) => `    order: 2\n    ${key}\n` },
  { anchor: '  - name: scoping\n', insert: (key: string) => `  - ${key}\n    name: scoping\n` },
  { anchor: '{name: load_attributes, type: TASK, role: tester}', insert: (key: string) => `{name: load_attributes, type: TASK, role: tester, ${key} }` },
  { anchor: '{name: load_attributes, type: TASK, role: tester}', insert: (key: string) => `{${key}, name: load_attributes, type: TASK, role: tester}` },
] as const;
const KEYS = ['bogus :', 'bogus:', 'bogus : 1', 'bogus: 1', '"bogus" :', 'bogus :  ', 'bogus:   '];
// An anchor elsewhere makes the fast reader decline, so the `yaml` package reads the file.
const FORCE_FULL = ['', "metadata: {owner: planning-team}"];

test('removing an unknown key written any way leaves YAML that parses, with either reader', () => {
  const seed = fuzzSeed('quick fixes', 1312);
  const cases = fc.tuple(fc.constantFrom(...PLACES), fc.constantFrom(...KEYS), fc.constantFrom(...FORCE_FULL));
  const details = fc.check(
    fc.property(cases, ([place, key, force]) => {
      let text = example.replace(place.anchor, place.insert(place.anchor.includes('{') ? key.trimEnd() : key));
      if (force) text = text.replace(force, 'metadata: &owner {owner: planning-team}');
      assert.deepEqual(yamlErrors(text), [], text);
      const analysis = analyzeText('generated.phases.yaml', text);
      const unknown = analysis.problems.filter((p) => p.rule === 'unknown-key');
      assert.equal(unknown.length, 1, JSON.stringify(analysis.problems));
      const removal = quickFixesFor(analysis, unknown).find((f) => f.title.startsWith('Remove'));
      assert.ok(removal, 'no removal offered');
      const fixed = applyEdits(text, removal.edits);
      assert.deepEqual(yamlErrors(fixed), [], `'${removal.title}' leaves broken YAML:\n${fixed}`);
      assert.deepEqual(analyzeText('generated.phases.yaml', fixed).problems, [], fixed);
    }),
    { seed, numRuns: 120 },
  );
  if (details.failed) assert.fail(`${String((details.errorInstance as Error | undefined)?.message)}\n(seed ${seed})`);
});
