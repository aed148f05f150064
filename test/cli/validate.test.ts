/** `phasectl validate`, run as the built `dist/phasectl.js` process: formats, exit codes, bad input. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'phasectl.js');
const example = readFileSync(join(root, 'examples', 'regulatory-testing.phases.yaml'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'phasectl-validate-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function phasectl(...args: string[]) {
  return phasectlIn(root, ...args);
}

function phasectlIn(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace on stderr');
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function write(name: string, content: string | Buffer): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

describe('phasectl validate', () => {
  test('the complete example: exit 0, no diagnostics', () => {
    const run = phasectl('validate', 'examples/regulatory-testing.phases.yaml');
    assert.equal(run.code, 0);
    assert.equal(run.stdout, '1 file checked: no problems.\n');
  });

  for (const name of readdirSync(join(root, 'examples', 'broken'))) {
    test(`examples/broken/${name}: exit 1, the intended rule on the intended line`, () => {
      const path = `examples/broken/${name}`;
      const lines = readFileSync(join(root, path), 'utf8').split('\n');
      const line = lines.findIndex((l) => /#\s*want:/.test(l)) + 1;
      const rule = /#\s*want:\s*([a-z-]+)/.exec(lines[line - 1]!)![1]!;
      const run = phasectl('validate', path);
      assert.equal(run.code, 1);
      const diagnostics = run.stdout.split('\n').filter((l) => l.startsWith(path));
      assert.equal(diagnostics.length, 1, run.stdout);
      assert.match(diagnostics[0]!, new RegExp(`^${path.replace(/\./g, '\\.')}:${line}:\\d+: error ${rule}: `));
      assert.match(run.stdout, /1 file checked: 1 error, 0 warnings\.\n$/);
    });
  }

  test('a folder is searched for definition files', () => {
    const run = phasectl('validate', 'examples', '--format', 'json');
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout);
    assert.equal(report.files, 1 + readdirSync(join(root, 'examples', 'broken')).length);
  });

  test('json: 1-based positions and the documented fields', () => {
    const path = write('typo.phases.yaml', example.replace('type: TASK, role: tester}', 'type: TAKS, role: tester}'));
    const run = phasectl('validate', path, '--format', 'json');
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout);
    assert.equal(report.files, 1);
    const lineIndex = example.split('\n').findIndex((l) => l.includes('type: TASK, role: tester}'));
    const column = example.split('\n')[lineIndex]!.indexOf('TASK') + 1;
    assert.deepEqual(report.diagnostics, [{
      file: path, line: lineIndex + 1, column, endLine: lineIndex + 1, endColumn: column + 4,
      severity: 'error', rule: 'invalid-value',
      message: "An activity's 'type' must be one of START, TASK, REVIEW, APPROVAL, COMPLETE, CUSTOM, not 'TAKS' (did you mean 'TASK'?).",
    }]);
  });

  test('sarif: a SARIF 2.1.0 log with rules and located results', () => {
    const run = phasectl('validate', 'examples/broken/misspelt-phase.phases.yaml', '--format', 'sarif');
    assert.equal(run.code, 1);
    const log = JSON.parse(run.stdout);
    assert.equal(log.version, '2.1.0');
    const [sarifRun] = log.runs;
    assert.equal(sarifRun.tool.driver.name, 'phasectl');
    assert.ok(sarifRun.tool.driver.rules.some((r: { id: string }) => r.id === 'unknown-phase'));
    assert.equal(sarifRun.results.length, 1);
    const [result] = sarifRun.results;
    assert.equal(result.ruleId, 'unknown-phase');
    assert.equal(result.level, 'error');
    assert.equal(sarifRun.tool.driver.rules[result.ruleIndex].id, 'unknown-phase');
    assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, { uri: 'examples/broken/misspelt-phase.phases.yaml', uriBaseId: '%SRCROOT%' });
    assert.equal(result.locations[0].physicalLocation.region.startLine, 22);
  });

  test('warnings alone exit 0', () => {
    const path = write('sod.phases.yaml', example.replace('{name: approve_samples, type: APPROVAL, role: report_owner}', '{name: approve_samples, type: APPROVAL, role: tester}'));
    const run = phasectl('validate', path);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /: warning segregation-of-duties: /);
    assert.match(run.stdout, /1 file checked: 0 errors, 1 warning\.\n$/);
  });

  test('usage errors exit 2 with the usage', () => {
    const badFormat = phasectl('validate', '--format', 'xml');
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /unknown format 'xml'/);
    assert.match(badFormat.stderr, /Usage: phasectl validate/);
    const badOption = phasectl('validate', '--colour');
    assert.equal(badOption.code, 2);
    const badCommand = phasectl('valdate');
    assert.equal(badCommand.code, 2);
    assert.match(badCommand.stderr, /did you mean 'validate'/);
  });

  test('an unreadable path exits 2 and names it', () => {
    const run = phasectl('validate', 'no/such/place.phases.yaml');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no\/such\/place\.phases\.yaml: no such file or folder/);
  });

  test('bad input gets a clear diagnostic, never a stack trace', async (t) => {
    const cases: [string, string | Buffer, RegExp][] = [
      ['binary.phases.yaml', Buffer.from([0x76, 0x65, 0x72, 0x00, 0x01, 0x02]), /:1:4: error yaml-syntax: this is a binary file/],
      ['latin1.phases.yaml', Buffer.from('version: 1\nworkflow: caf\xe9\n', 'latin1'), /:2:14: error yaml-syntax: the file is not UTF-8 text \(byte 0xe9/],
      ['empty.phases.yaml', '', /:1:1: error missing-key: The file is empty/],
      ['tabs.phases.yaml', example.replace('    order: 2\n', '\torder: 2\n'), /error yaml-syntax: Tabs are not allowed as indentation/],
      ['dup.phases.yaml', example.replace('workflow: regulatory-testing\n', 'workflow: regulatory-testing\nworkflow: again\n'), /:6:1: error yaml-syntax: Map keys must be unique/],
      ['docs.phases.yaml', example + '---\nversion: 1\n', /error yaml-syntax: This file holds 2 YAML documents/],
      ['list.phases.yaml', '- just\n- a list\n', /:1:1: error invalid-value: A definition file must be a mapping/],
    ];
    for (const [name, content, expected] of cases) {
      await t.test(name, () => {
        const run = phasectl('validate', write(name, content));
        assert.equal(run.code, 1, run.stdout + run.stderr);
        assert.match(run.stdout, expected);
      });
    }
  });

  test('anchors and aliases are read through', () => {
    const text = example
      .replace('metadata: {owner: planning-team}', 'metadata: &owner {owner: planning-team}')
      .replace('    order: 2\n', '    order: 2\n    metadata: *owner\n');
    const run = phasectl('validate', write('aliases.phases.yaml', text));
    assert.equal(run.code, 0, run.stdout);
  });

  test('a 50 MB file is validated', () => {
    const huge = example.replace('{name: load_attributes, type: TASK, role: tester}', `{name: load_attributes, type: TASK, role: tester, description: "${'x'.repeat(50 << 20)}"}`);
    const run = phasectl('validate', write('huge.phases.yaml', huge));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '1 file checked: no problems.\n');
  });
});

describe('phasectl validate --format sarif', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const sarifSchema = ajv.compile(JSON.parse(readFileSync(join(root, 'test', 'conformance', 'sarif-schema-2.1.0.json'), 'utf8')));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed SARIF log, checked against its schema
  const valid = (stdout: string): any => {
    const log: unknown = JSON.parse(stdout);
    assert.ok(sarifSchema(log), `not valid SARIF 2.1.0: ${ajv.errorsText(sarifSchema.errors)}`);
    return log;
  };

  // A repository with a space and a non-ASCII letter in its paths, validated from a subfolder.
  const repo = join(scratch, 'repo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'my defs', 'sub'), { recursive: true });
  const broken = example.replace('type: TASK, role: tester}', 'type: TAKS, role: tester}');
  writeFileSync(join(repo, 'my defs', 'prüfung.phases.yaml'), broken);

  test('real output validates against the SARIF 2.1.0 schema: problems, a clean run, a failed run', () => {
    valid(phasectl('validate', 'examples', '--format', 'sarif').stdout);
    valid(phasectl('validate', 'examples/regulatory-testing.phases.yaml', '--format', 'sarif').stdout);
    valid(phasectlIn(join(repo, 'my defs', 'sub'), 'validate', '..', 'no such.phases.yaml', '--format', 'sarif').stdout);
  });

  test('locations are percent-encoded URI references relative to the repository root', () => {
    const run = phasectlIn(join(repo, 'my defs', 'sub'), 'validate', '../prüfung.phases.yaml', '--format', 'sarif');
    assert.equal(run.code, 1);
    const [sarifRun] = valid(run.stdout).runs;
    assert.deepEqual(sarifRun.results[0].locations[0].physicalLocation.artifactLocation, { uri: 'my%20defs/pr%C3%BCfung.phases.yaml', uriBaseId: '%SRCROOT%' });
    assert.equal(sarifRun.originalUriBaseIds['%SRCROOT%'].uri, `${pathToFileURL(repo).href}/`);
  });

  test('--root sets the root the locations are relative to', () => {
    const run = phasectlIn(repo, 'validate', 'my defs', '--format', 'sarif', '--root', 'my defs');
    const [sarifRun] = valid(run.stdout).runs;
    assert.equal(sarifRun.results[0].locations[0].physicalLocation.artifactLocation.uri, 'pr%C3%BCfung.phases.yaml');
    assert.equal(phasectlIn(repo, 'validate', '--format', 'sarif', '--root', 'nowhere').code, 2);
  });

  test('every rule carries its page as help.markdown, and helpUri only with a homepage', () => {
    const [sarifRun] = valid(phasectl('validate', 'examples/regulatory-testing.phases.yaml', '--format', 'sarif').stdout).runs;
    const homepage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).homepage;
    assert.ok(sarifRun.tool.driver.rules.length >= 18);
    for (const rule of sarifRun.tool.driver.rules) {
      assert.equal(rule.help.markdown, readFileSync(join(root, 'docs', 'rules', `${rule.id}.md`), 'utf8'), rule.id);
      assert.equal('helpUri' in rule, typeof homepage === 'string', rule.id);
    }
  });

  test('fingerprints survive unrelated edits and tell results apart', () => {
    const print = (text: string): string[] => {
      const path = write('fingerprint.phases.yaml', text);
      const results: { ruleId: string; partialFingerprints: Record<string, string> }[] = JSON.parse(phasectl('validate', path, '--format', 'sarif').stdout).runs[0].results;
      return results.map((r) => `${r.ruleId} ${r.partialFingerprints['workflowPhases/v1']}`);
    };
    const two = broken.replace('{name: approve_samples, type: APPROVAL, role: report_owner}', '{name: approve_samples, type: APPROVAL, role: report_ownr}');
    const before = print(two);
    assert.equal(before.length, 2);
    assert.notEqual(before[0], before[1]);
    // Lines added above, a value changed elsewhere: the same two fingerprints.
    const edited = `# reviewed in March\n# by the testing team\n${two.replace('sla_hours: 48', 'sla_hours: 36')}`;
    assert.deepEqual(print(edited), before);
  });

  test('a path that cannot be read is a failed run, with the reason', () => {
    const run = phasectl('validate', 'examples/regulatory-testing.phases.yaml', 'no/such/place.phases.yaml', '--format', 'sarif');
    assert.equal(run.code, 2);
    const [invocation] = valid(run.stdout).runs[0].invocations;
    assert.equal(invocation.executionSuccessful, false);
    assert.match(invocation.toolExecutionNotifications[0].message.text, /no\/such\/place\.phases\.yaml: no such file or folder/);
    assert.equal(invocation.toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri, 'no/such/place.phases.yaml');
    assert.equal(valid(phasectl('validate', 'examples/regulatory-testing.phases.yaml', '--format', 'sarif').stdout).runs[0].invocations[0].executionSuccessful, true);
  });
});
