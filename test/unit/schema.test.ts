/** The definition-file contract: the committed JSON Schema is generated from the zod schema, and agrees with the validator. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { DefinitionFileSchema, definitionJsonSchema } from '../../schemas/definition-schema';
import { validateTexts } from '../../server/core/index';

const root = join(__dirname, '..', '..');

test('schemas/phases.schema.json is up to date (run `npm run gen:schema`)', () => {
  const committed = JSON.parse(readFileSync(join(root, 'schemas', 'phases.schema.json'), 'utf8'));
  assert.deepEqual(committed, definitionJsonSchema());
});

test('the complete example satisfies the zod schema and the validator alike', () => {
  const text = readFileSync(join(root, 'examples', 'regulatory-testing.phases.yaml'), 'utf8');
  const zod = DefinitionFileSchema.safeParse(parse(text));
  assert.ok(zod.success, zod.success ? '' : zod.error.message);
  assert.deepEqual(validateTexts([{ file: 'x', text }])[0]!.problems, []);
});

test('shape errors are caught by both the zod schema and the validator', () => {
  const text = readFileSync(join(root, 'examples', 'regulatory-testing.phases.yaml'), 'utf8');
  for (const [from, to, rule] of [
    ['type: TASK, role: tester}', 'type: TAKS, role: tester}', 'invalid-value'],
    ['    sla_hours: 48\n', '    sla_hours: 0\n', 'invalid-value'],
    ['    order: 2\n', '    order: 2\n    colour: red\n', 'unknown-key'],
  ] as const) {
    const broken = text.replace(from, to);
    assert.equal(DefinitionFileSchema.safeParse(parse(broken)).success, false, `zod accepts ${to}`);
    assert.ok(validateTexts([{ file: 'x', text: broken }])[0]!.problems.some((p) => p.rule === rule), `validator misses ${to}`);
  }
});
