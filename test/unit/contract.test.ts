/**
 * The contract's own promises: `schemas/` depends on nothing in `server/`, its database
 * limits are the migrations' columns, and every value the database would refuse is an
 * `invalid-value` diagnostic at that value — from the validator and the schema alike.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import * as limits from '../../schemas/database-limits';
import { DefinitionFileSchema } from '../../schemas/definition-schema';
import { analyzeText, applyEdits, quickFixesFor } from '../../server/core/index';

const root = join(__dirname, '..', '..');
const example = readFileSync(join(root, 'examples', 'regulatory-testing.phases.yaml'), 'utf8');

test('schemas/ imports nothing from server/', () => {
  for (const name of readdirSync(join(root, 'schemas')).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(root, 'schemas', name), 'utf8');
    const imports = [...source.matchAll(/\bfrom\s+'([^']+)'/g)].map((m) => m[1]!);
    assert.deepEqual(imports.filter((i) => i.includes('server/') || i.startsWith('../')), [], `schemas/${name}`);
  }
});

test('the database limits are the columns of the migrations', () => {
  const sql = readdirSync(join(root, 'schemas', 'migrations')).map((f) => readFileSync(join(root, 'schemas', 'migrations', f), 'utf8')).join('\n');
  const width = (column: string) => Number(new RegExp(`\\b${column}\\s+VARCHAR\\((\\d+)\\)`).exec(sql)?.[1]);
  assert.equal(limits.MAX_PHASE_NAME_LENGTH, width('phase_name'));
  assert.equal(limits.MAX_ACTIVITY_NAME_LENGTH, width('activity_name'));
  assert.equal(limits.MAX_WORKFLOW_NAME_LENGTH, width('workflow_name'));
  assert.equal(limits.MAX_REFERENCE_NAME_LENGTH, width('cycle_name'));
  assert.equal(limits.MAX_REFERENCE_NAME_LENGTH, width('report_name'));
  assert.match(sql, /\bcycle_id SERIAL PRIMARY KEY/);
  assert.equal(limits.MAX_INTEGER, 2 ** 31 - 1);
});

/** The example with `from` replaced by `to`; the offset of `at` (searched after the replacement point) in the result. */
function edit(from: string, to: string, at: string): { text: string; offset: number } {
  const index = example.indexOf(from);
  assert.notEqual(index, -1, from);
  const text = example.slice(0, index) + to + example.slice(index + from.length);
  return { text, offset: text.indexOf(at, index) };
}

describe('what the database cannot store is an invalid-value at the value', () => {
  const long = (n: number) => 'n'.repeat(n);
  const cases: [string, string, string, string, RegExp][] = [
    ['a phase name over VARCHAR(100)', '  - name: planning\n', `  - name: ${long(101)}\n`, long(101), /A phase name must be at most 100 characters long .*not 101\./],
    ['an activity name over VARCHAR(255)', '{name: load_attributes,', `{name: ${long(256)},`, long(256), /An activity name must be at most 255 characters long .*not 256\./],
    ['a workflow name over VARCHAR(255)', 'workflow: regulatory-testing', `workflow: ${long(256)}`, long(256), /'workflow' must be at most 255 characters/],
    ['a cycle name over VARCHAR(255)', 'cycle: 2026-Q4', `cycle: ${long(256)}`, long(256), /'cycle' must be at most 255 characters/],
    ['a report name over VARCHAR(255)', 'reports: [FR-Y-14Q,', `reports: [${long(256)},`, long(256), /A report must be at most 255 characters/],
    ['an activity name of 256 characters outside the BMP', '{name: load_attributes,', `{name: ${'😀'.repeat(256)},`, '😀', /An activity name must be at most 255 characters long .*not 256\./],
    ['a NUL in an activity name', '{name: load_attributes,', '{name: "load\\0attributes",', '"load', /An activity name must not contain a NUL character/],
    ['a NUL in a phase title', 'title: Report Planning & Attribute Definition', 'title: "Report\\0Planning"', '"Report', /'title' must not contain a NUL character/],
    ['a NUL in metadata', 'metadata: {owner: planning-team}', 'metadata: {owner: "planning\\0team"}', '"planning', /'metadata' value must not contain a NUL/],
    ['a NUL in a metadata key', 'metadata: {owner: planning-team}', 'metadata: {"own\\0er": planning-team}', '"own', /'metadata' key must not contain a NUL/],
    ['a cycle id above 2^53', 'cycle: 2026-Q4', 'cycle: 9007199254740993', '9007199254740993', /'cycle' must be a name .* or an id \(a whole number from 1 to 2147483647\)/],
    ['a report id above INTEGER', 'reports: [FR-Y-14Q,', 'reports: [3000000000,', '3000000000', /A report must be a name/],
    ['a title that is a number', 'title: Report Planning & Attribute Definition', 'title: 123', '123', /'title' must be a text, not 123 \(quote it to keep it as text: "123"\)/],
    ['a description that is a number', '{name: load_attributes, type: TASK, role: tester}', '{name: load_attributes, type: TASK, role: tester, description: 1.5}', '1.5', /'description' must be a text, not 1\.5/],
  ];
  for (const [name, from, to, at, message] of cases) {
    test(name, () => {
      const { text, offset } = edit(from, to, at);
      const problems = analyzeText('x.phases.yaml', text).problems;
      // A phase whose name cannot be read leaves that phase missing; nothing else may be reported.
      const own = problems.filter((p) => p.rule !== 'missing-phase' || !name.startsWith('a phase name'));
      assert.deepEqual(own.map((p) => [p.rule, p.span.start]), [['invalid-value', offset]], JSON.stringify(problems, null, 1));
      assert.match(own[0]!.message, message);
      assert.equal(DefinitionFileSchema.safeParse(parse(text)).success, false, 'the schema accepts it');
    });
  }

  test('the limits themselves are allowed', () => {
    const { text } = edit('{name: load_attributes,', `{name: ${long(255)},`, long(255));
    assert.deepEqual(analyzeText('x.phases.yaml', text).problems, []);
    assert.equal(DefinitionFileSchema.safeParse(parse(text)).success, true);
  });

  test('lengths are counted in characters, as VARCHAR(n) counts them: 255 emoji fit', () => {
    const { text } = edit('{name: load_attributes,', `{name: ${'😀'.repeat(255)},`, '😀');
    assert.deepEqual(analyzeText('x.phases.yaml', text).problems, []);
    assert.equal(DefinitionFileSchema.safeParse(parse(text)).success, true);
  });

  test('a number where a text belongs: the quick fix quotes it', () => {
    const { text } = edit('title: Report Planning & Attribute Definition', 'title: 2026', '2026');
    const analysis = analyzeText('x.phases.yaml', text);
    const [fix] = quickFixesFor(analysis, analysis.problems);
    assert.ok(fix, 'no quick fix');
    const fixed = applyEdits(text, fix.edits);
    assert.match(fixed, /title: "2026"\n/);
    assert.deepEqual(analyzeText('x.phases.yaml', fixed).problems, []);
  });

  test('reserved metadata keys: refused by the schema as by the validator', () => {
    const { text, offset } = edit('metadata: {owner: planning-team}', 'metadata: {progress: 3}', 'progress');
    assert.deepEqual(analyzeText('x.phases.yaml', text).problems.map((p) => [p.rule, p.span.start]), [['invalid-value', offset]]);
    assert.equal(DefinitionFileSchema.safeParse(parse(text)).success, false);
  });
});
