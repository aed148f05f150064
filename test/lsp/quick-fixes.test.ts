/**
 * Quick fixes, driven by the rule fixtures: for every diagnostic of every failing
 * single-file fixture, each code action's workspace edit is applied to the text, and
 * the result, validated again by the server, must no longer have that problem (and no
 * new ones). The fixes offered are kept in a golden file (`UPDATE_GOLDEN=1` rewrites it).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CodeActionKind, CodeActionRequest, type Diagnostic } from 'vscode-languageserver-protocol';
import { applyTextEdits, LspClient } from './client';

const fixtures = join(__dirname, '..', 'fixtures');
const goldenPath = join(__dirname, 'golden', 'quick-fixes.txt');

const cases = readdirSync(fixtures)
  .sort()
  .flatMap((rule) =>
    readdirSync(join(fixtures, rule))
      // Fixtures with live facts need a connected database for their problems (test/lsp/live/).
      .filter((f) => f.startsWith('bad') && statSync(join(fixtures, rule, f)).isFile() && !/^#\s*live:/m.test(readFileSync(join(fixtures, rule, f), 'utf8')))
      .sort()
      .map((f) => `${rule}/${f}`),
  );

let client: LspClient;
let counter = 0;
const offered: string[] = [];
const fixedRules = new Set<string>();

const count = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code).length;
// Every fixture is named `fixture`: with several open at once, that one is expected.
const own = (ds: Diagnostic[]) => ds.filter((d) => d.code !== 'duplicate-workflow');

before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

describe('quick fixes on the rule fixtures', () => {
  for (const name of cases) {
    test(name, async () => {
      const text = readFileSync(join(fixtures, name), 'utf8');
      const uri = `file:///virtual/fixes/${name.replace('/', '-')}`;
      const diagnostics = own(await client.open(uri, text));
      assert.ok(diagnostics.length > 0);
      for (const diagnostic of diagnostics) {
        const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
        for (const action of actions) {
          assert.equal(action.kind, CodeActionKind.QuickFix);
          assert.equal(action.diagnostics?.[0]?.code, diagnostic.code);
          const edits = action.edit?.changes?.[uri];
          assert.ok(edits && edits.length > 0, `${action.title}: no edits`);
          offered.push(`${name}:${diagnostic.range.start.line + 1} ${String(diagnostic.code)} -> ${action.title}${action.isPreferred ? ' (preferred)' : ''}`);
          const fixed = applyTextEdits(text, edits);
          const resultUri = `file:///virtual/fixes/result-${++counter}.phases.yaml`;
          const after = own(await client.open(resultUri, fixed));
          await client.close(resultUri);
          const code = String(diagnostic.code);
          assert.ok(count(after, code) < count(diagnostics, code), `${action.title} left the ${code} problem:\n${fixed}`);
          assert.ok(after.length < diagnostics.length, `${action.title} brought new problems: ${JSON.stringify(after.map((d) => d.code))}\n${fixed}`);
          fixedRules.add(code);
        }
      }
      await client.close(uri);
    });
  }

  test('a client asking only for other kinds of actions gets none', async () => {
    const text = readFileSync(join(fixtures, 'unknown-phase', 'bad.phases.yaml'), 'utf8');
    const uri = 'file:///virtual/fixes/only-refactor.phases.yaml';
    const [diagnostic] = own(await client.open(uri, text));
    const ask = (only: string[]) => client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic!.range, context: { diagnostics: [diagnostic!], only } });
    assert.deepEqual(await ask([CodeActionKind.Refactor]), []);
    assert.equal((await ask([CodeActionKind.QuickFix]))?.length, 1);
    await client.close(uri);
  });

  test('every fix the issue asks for is offered', () => {
    for (const rule of ['unknown-phase', 'phase-order', 'missing-phase', 'activity-order', 'start-activity', 'complete-activity', 'unknown-key', 'approval-role']) {
      assert.ok(fixedRules.has(rule), `no quick fix for ${rule}`);
    }
    const titles = offered.join('\n');
    assert.match(titles, /phase-order -> Set order to \d/);
    assert.match(titles, /phase-order -> Move phases into standard order/);
  });

  test('the fixes offered match the golden file', () => {
    const actual = `${offered.join('\n')}\n`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenPath, actual);
    assert.equal(actual, readFileSync(goldenPath, 'utf8'));
  });
});
