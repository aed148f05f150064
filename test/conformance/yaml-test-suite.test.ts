/**
 * The official YAML test suite (test/conformance/yaml-test-suite-data.tgz) through both
 * YAML readers of the core. The fast reader may decline any case, but whatever it
 * accepts must be a valid case, read to the suite's own value (`in.json`) and to the
 * same tree, spans included, as the `yaml` package gives. The `yaml` package (as the
 * core wraps it) must reject every error case and read every valid one to the suite's
 * value — except where the core declines on purpose (several documents, complex keys,
 * unknown tags) and the few cases listed below with the reason.
 */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { YNode } from '../../server/core/index';
import { parseFast } from '../../server/core/yaml/fast-parser';
import { parseWithYamlPackage } from '../../server/core/yaml/full-parser';
import { readTgz } from './tar';

interface Case {
  readonly id: string;
  readonly yaml: string;
  readonly error: boolean;
  /** The documents of `in.json`: undefined when the case has none, or several that are not one JSON value. */
  readonly json?: unknown[];
}

function loadSuite(): Case[] {
  const files = readTgz(join(__dirname, 'yaml-test-suite-data.tgz'));
  const cases: Case[] = [];
  for (const [path, content] of files) {
    const match = /^yts\/([0-9A-Z]{4}(?:\/\d{2,3})?)\/in\.yaml$/.exec(path);
    if (!match) continue;
    const id = match[1]!;
    const json = files.get(`yts/${id}/in.json`)?.toString('utf8');
    let documents: unknown[] | undefined;
    if (json !== undefined) {
      try {
        documents = json.trim() === '' ? [] : [JSON.parse(json)];
      } catch {
        documents = undefined; // several JSON values: a stream of documents
      }
    }
    cases.push({ id, yaml: content.toString('utf8'), error: files.has(`yts/${id}/error`), ...(documents ? { json: documents } : {}) });
  }
  return cases.sort((a, b) => a.id.localeCompare(b.id));
}

/** A tree as plain data, the way the suite's `in.json` writes it (keys as texts). */
function plain(node: YNode | null): unknown {
  if (!node) return null;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plain);
  return Object.fromEntries(node.pairs.map((p) => [String(p.key.value), plain(p.value)]));
}

/** What the core declines on purpose, though it is valid YAML: a definition file is one plain document. */
const DECLINED_ON_PURPOSE = /several|holds \d+ YAML documents|Complex mapping keys|Unresolved tag|Map keys must be unique/;

/** Error cases the `yaml` package (2.x) accepts: directives it is lenient about. */
const YAML_PACKAGE_LENIENT: Record<string, string> = {
  '9MMA': 'a %YAML directive with no document after it',
  SF5V: 'two %YAML directives',
};

/** Valid cases whose value needs a tag the core keeps as its plain form. */
const TAGGED_VALUES: Record<string, string> = {
  '565N': '!!binary (the core keeps the text, the suite the decoded bytes)',
  J7PZ: '!!omap (an ordered map, kept as a list)',
};

const suite = loadSuite();

describe('the YAML test suite', () => {
  test('has its 402 cases, 94 of them errors', () => {
    assert.equal(suite.length, 402);
    assert.equal(suite.filter((c) => c.error).length, 94);
  });

  test('the fast reader: only valid cases, the suite value, the yaml package tree and spans', () => {
    let accepted = 0;
    for (const c of suite) {
      const fast = parseFast(c.yaml);
      if (!fast) continue;
      accepted++;
      assert.equal(c.error, false, `${c.id}: the fast reader accepts an error case`);
      if (c.json) assert.ok(isDeepStrictEqual(plain(fast.value), c.json[0] ?? null), `${c.id}: the fast reader reads ${JSON.stringify(plain(fast.value))}, the suite ${JSON.stringify(c.json[0])}`);
      const full = parseWithYamlPackage(c.yaml);
      assert.deepEqual(full.problems, [], `${c.id}: the yaml package has problems with a text the fast reader accepts`);
      assert.deepEqual(fast.value, full.value, `${c.id}: the trees (values or spans) differ`);
    }
    // The subset the fast reader takes must really be exercised.
    assert.ok(accepted >= 30, `the fast reader accepted only ${accepted} cases`);
  });

  test('the yaml package: every error case rejected', () => {
    const accepted = suite.filter((c) => c.error && !parseWithYamlPackage(c.yaml).problems.some((p) => p.severity === 'error')).map((c) => c.id);
    assert.deepEqual(accepted, Object.keys(YAML_PACKAGE_LENIENT).sort());
  });

  test('the yaml package: every valid case read to the suite value, or declined on purpose', () => {
    for (const c of suite.filter((x) => !x.error && !(x.id in TAGGED_VALUES))) {
      const full = parseWithYamlPackage(c.yaml);
      const errors = full.problems.filter((p) => p.severity === 'error');
      if (errors.length > 0) {
        assert.match(errors.map((e) => e.message).join('\n'), DECLINED_ON_PURPOSE, `${c.id}: rejected`);
        continue;
      }
      if (c.json && c.json.length <= 1) assert.ok(isDeepStrictEqual(plain(full.value), c.json[0] ?? null), `${c.id}: read ${JSON.stringify(plain(full.value))}, the suite has ${JSON.stringify(c.json[0])}`);
    }
  });
});
