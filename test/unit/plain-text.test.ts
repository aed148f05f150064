/** Markdown as plain text for clients without markdown (server/lsp/plain-text.ts), on the server's own hover texts. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describePhase } from '../../server/core/index';
import { plainText } from '../../server/lsp/plain-text';

test('bold, code and rules lose their markup; the words stay', () => {
  assert.equal(plainText('`unknown-phase` (error): Phase names\n\n---\n\n**scoping** — Scoping'), 'unknown-phase (error): Phase names\n\nscoping — Scoping');
  assert.equal(plainText(describePhase('scoping')!).split('\n')[0], 'scoping — Scoping & Risk Assessment');
  assert.match(plainText(describePhase('scoping')!), /Depends on \(by default\): planning\./);
});

test('links keep their target, escapes their character, and plain text is left as it is', () => {
  assert.equal(plainText('see [the rule](file:///docs/rules/x.md) \\*now\\*'), 'see the rule (file:///docs/rules/x.md) *now*');
  assert.equal(plainText('a * b, snake_case and 2 ** 3'), 'a * b, snake_case and 2 ** 3');
});
