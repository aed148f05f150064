/** Where SARIF's `helpUri` points when package.json names a homepage (the output itself is tested in test/cli/validate.test.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { relativeUri, ruleHelpUri } from '../../server/cli/sarif';

test('a GitHub repository homepage: the rule page on GitHub', () => {
  assert.equal(ruleHelpUri('https://github.com/acme/workflow-phases#readme', 'unknown-key'), 'https://github.com/acme/workflow-phases/blob/HEAD/docs/rules/unknown-key.md');
});

test('any other homepage: the rule page below it', () => {
  assert.equal(ruleHelpUri('https://docs.example.com/workflow-phases/', 'invalid-value'), 'https://docs.example.com/workflow-phases/docs/rules/invalid-value.md');
});

test('paths become percent-encoded URI references, never absolute', () => {
  assert.equal(relativeUri('/repo', '/repo/my defs/prüfung #1.phases.yaml'), 'my%20defs/pr%C3%BCfung%20%231.phases.yaml');
  assert.equal(relativeUri('/repo/sub', '/repo/x.phases.yaml'), '../x.phases.yaml');
});
