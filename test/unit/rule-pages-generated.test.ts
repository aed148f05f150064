/** The rule pages the SARIF writer carries are the current docs/rules/<id>.md, one for every rule. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { generate, OUTPUT } from '../../scripts/gen-rule-pages.mjs';
import { RULES } from '../../server/core/index';
import { RULE_PAGES } from '../../server/cli/rule-pages-generated';

test('server/cli/rule-pages-generated.ts matches docs/rules/*.md (run `npm run gen:rule-pages`)', () => {
  assert.equal(readFileSync(OUTPUT as string, 'utf8'), (generate as () => string)());
});

test('every rule has its page', () => {
  for (const rule of RULES) assert.match(RULE_PAGES[rule.id] ?? '', new RegExp(`^# ${rule.id}\\n`), rule.id);
});
