/**
 * A document with more than a hundred thousand problems (found by the hostile-document
 * generator with a random seed: 139,321 block list items under `phases:`) is reported, not
 * turned into a stack overflow by spreading the problems into one call: by the core, by
 * `phasectl validate` (in-process) and by the language server.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeText } from '../../server/core/index';
import { runPhasectl } from '../helpers/run-cli';
import { LspClient } from '../lsp/client';

const ITEMS = 150_000;
const text = `version: 1\nworkflow: many\nphases:\n${'  - p\n'.repeat(ITEMS)}`;

test(`${ITEMS} list items: the core reports every one`, () => {
  const analysis = analyzeText('many.phases.yaml', text);
  assert.ok(analysis.problems.length >= ITEMS, `${analysis.problems.length} problems`);
});

test(`${ITEMS} list items: phasectl validate lists the problems and exits 1`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-many-'));
  try {
    writeFileSync(join(dir, 'many.phases.yaml'), text);
    const run = await runPhasectl(dir, ['validate', 'many.phases.yaml', '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /nested too deeply/);
    const out = JSON.parse(run.stdout) as { diagnostics: unknown[] };
    assert.ok(out.diagnostics.length >= ITEMS, `${out.diagnostics.length} diagnostics`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(`${ITEMS} list items: the language server publishes the problems`, { timeout: 300_000 }, async () => {
  const client = await LspClient.start();
  try {
    const diagnostics = await client.open('file:///virtual/many.phases.yaml', text);
    assert.ok(diagnostics.length > 0, 'a document with problems is never published clean');
  } finally {
    await client.stop();
  }
});
