/**
 * Differential test of the incremental re-analysis: after each of thousands of random
 * small edits (typed characters, deletions, new lines) to the examples, the rule
 * fixtures and a generated file, `reanalyzeText` must give exactly what a full
 * `analyzeText` gives: the same tree, definition and problems. Seeded (test/helpers/fuzz-seed.ts: fixed in CI, else
 * random, always printed; `FUZZ_SEED=n` replays).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeText, reanalyzeText, type FileAnalysis } from '../../server/core/index';
import { generateDefinition } from '../../bench/generate';
import { seededRandom, yamlTextsIn } from '../helpers/random-texts';
import { fuzzSeed } from '../helpers/fuzz-seed';

const root = join(__dirname, '..', '..');
const seed = fuzzSeed('incremental re-analysis', 20261201);



const TYPED = ['x', 'a', '_', '1', ' ', ':', '-', '#', '\n', '\n      ', '{', '}', ',', '"', "'", '[', ']', 'TASK', 'role: tester', ', role: tester'];
const comparable = (a: FileAnalysis) => JSON.stringify({ tree: a.tree, definition: a.definition, problems: a.problems });

test(`incremental re-analysis equals full analysis after random edits (seed ${seed})`, (t) => {
  t.diagnostic(`FUZZ_SEED=${seed}`);
  // The yaml package (the fallback parser) builds an Error per syntax problem: skip the stacks, as the server does.
  Error.stackTraceLimit = 0;
  const random = seededRandom(seed);
  const texts = [...yamlTextsIn(join(root, 'examples')), ...yamlTextsIn(join(root, 'test', 'fixtures')), generateDefinition(120)];
  let incremental = 0;
  let edits = 0;
  for (const original of texts) {
    let text = original;
    let previous = analyzeText('f.phases.yaml', text);
    for (let n = 0; n < 20; n++) {
      // Edits cluster where people type: inside the text's lines, mostly small.
      const at = Math.floor(random() * (text.length + 1));
      const remove = random() < 0.4 ? Math.floor(random() * 4) : 0;
      const insert = random() < 0.7 ? TYPED[Math.floor(random() * TYPED.length)]! : '';
      const next = text.slice(0, at) + insert + text.slice(at + remove);
      const result = reanalyzeText(previous, 'f.phases.yaml', next);
      const full = analyzeText('f.phases.yaml', next);
      edits++;
      if (result.incremental) incremental++;
      assert.equal(comparable(result.analysis), comparable(full), `seed ${seed}, edit at ${at} (-${remove} +${JSON.stringify(insert)}) of:\n${text}`);
      // Half the time keep going from the edited text, else go back (an undo).
      if (random() < 0.5) {
        text = next;
        previous = result.analysis;
      }
    }
  }
  t.diagnostic(`${incremental} of ${edits} edits re-read one list item only`);
  assert.ok(incremental > edits / 5, `only ${incremental} of ${edits} edits were incremental`);
});
