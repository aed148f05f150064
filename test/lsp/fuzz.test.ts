/**
 * Fuzz: 10,000 documents made by mutating the valid and broken examples and the rule
 * fixtures (deleted, duplicated and swapped lines, random bytes, deep nesting, huge
 * scalars) go through one server process. It must not crash or hang, every diagnostic
 * range must lie inside its document, and the other features must answer with ranges
 * inside it too. Seeded (test/helpers/fuzz-seed.ts: fixed in CI, else random, always printed; `FUZZ_SEED=n`
 * replays a run); `FUZZ_COUNT=n` sizes it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Range } from 'vscode-languageserver-protocol';
import { LspClient, SERVER } from './client';
import { seededRandom, yamlTextsIn } from '../helpers/random-texts';
import { fuzzSeed } from '../helpers/fuzz-seed';

const root = join(__dirname, '..', '..');
const seed = fuzzSeed('fuzz', 20261201);
const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000);



const CHARS = [' ', ' ', '  ', '-', ':', '#', '[', ']', '{', '}', ',', '"', "'", '&', '*', '!', '|', '>', '%', '@', '`', '?', '\t', '\r', '\n', '\\', 'é', '😀', '\ud800', 'x', 'TASK', 'name', '- name: ', '\u0000', '\ufeff'];

function mutate(text: string, random: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const lines = text.split('\n');
  const at = () => Math.floor(random() * lines.length);
  const rounds = 1 + Math.floor(random() * 3);
  for (let r = 0; r < rounds; r++) {
    switch (Math.floor(random() * 12)) {
      case 0:
        lines.splice(at(), 1 + Math.floor(random() * 3));
        break;
      case 1: {
        const i = at();
        lines.splice(i, 0, lines[i] ?? '');
        break;
      }
      case 2: {
        const i = at();
        const j = at();
        [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
        break;
      }
      case 3:
      case 4: {
        const i = at();
        const line = lines[i] ?? '';
        const c = Math.floor(random() * (line.length + 1));
        let noise = '';
        for (let k = 1 + Math.floor(random() * 4); k > 0; k--) noise += pick(CHARS);
        lines[i] = line.slice(0, c) + noise + line.slice(c + Math.floor(random() * 3));
        break;
      }
      case 5: {
        if (random() < 0.5) break; // deep nesting and huge scalars are costly: half as often
        const depth = 20 + Math.floor(random() * 200);
        const nested = random() < 0.5 ? `${'['.repeat(depth)}x${']'.repeat(random() < 0.5 ? depth : 0)}` : Array.from({ length: depth }, (_, d) => `${' '.repeat(d)}- k${d}:`).join('\n');
        lines.splice(at(), 0, `    metadata: ${nested}`);
        break;
      }
      case 6:
        if (random() < 0.5) break;
        lines.splice(at(), 0, `    title: ${'x'.repeat(10_000 + Math.floor(random() * 20_000))}`);
        break;
      case 7: {
        const i = at();
        lines[i] = (lines[i] ?? '').replace(/^ */, ' '.repeat(Math.floor(random() * 12)));
        break;
      }
      case 8:
        lines.length = Math.max(0, at());
        break;
      default: {
        const i = at();
        lines[i] = (lines[i] ?? '').slice(0, Math.floor(random() * ((lines[i] ?? '').length + 1)));
      }
    }
  }
  return lines.join(random() < 0.1 ? '\r\n' : '\n');
}

/** The lines of `text` as LSP counts them (\n, \r\n and a lone \r end a line). */
const linesOf = (text: string) => text.split(/\r\n|\r|\n/);

/** True when `range` lies inside the text of `lines`. */
function inside(lines: readonly string[], range: Range): boolean {
  const ok = (p: { line: number; character: number }) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line]!.length;
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  return ok(range.start) && ok(range.end) && ordered;
}

/** Sends `count` mutated documents through one URI, checking every answer. */
async function runLane(lane: number, count: number, bases: readonly string[]): Promise<void> {
  const random = seededRandom(seed + lane);
  const uri = `file:///virtual/fuzz/lane-${lane}.phases.yaml`;
  let text = bases[0]!;
  await client.open(uri, text);
  for (let n = 0; n < count; n++) {
    text = mutate(bases[Math.floor(random() * bases.length)]!, random);
    const diagnostics = await client.change(uri, [{ text }]);
    const lines = linesOf(text);
    for (const d of diagnostics) {
      assert.ok(inside(lines, d.range), `document ${lane}/${n} (seed ${seed}): ${String(d.code)} at ${JSON.stringify(d.range)} is outside the text:\n${text.slice(0, 2000)}`);
      for (const r of d.relatedInformation ?? []) if (r.location.uri === uri) assert.ok(inside(lines, r.location.range), `document ${lane}/${n}: related range outside`);
    }
    if (n % 25 === 0) {
      // The other features, at a random position, must answer too (and stay inside the text).
      const line = Math.floor(random() * lines.length);
      const position = { line, character: Math.floor(random() * ((lines[line] ?? '').length + 1)) };
      const [hover, completion, symbols, folds, definition, references, actions] = await Promise.all([
        client.hover(uri, position),
        client.completion(uri, position),
        client.symbols(uri),
        client.folding(uri),
        client.definition(uri, position),
        client.references(uri, position, true),
        client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: 0 } }, diagnostics),
      ]);
      if (hover?.range) assert.ok(inside(lines, hover.range), `document ${lane}/${n}: hover range outside`);
      for (const item of completion) if (item.textEdit && 'range' in item.textEdit) assert.ok(inside(lines, item.textEdit.range), `document ${lane}/${n}: completion edit outside`);
      const walk = (s: (typeof symbols)[number]): void => {
        assert.ok(inside(lines, s.range) && inside(lines, s.selectionRange), `document ${lane}/${n}: symbol ${s.name} outside`);
        s.children?.forEach(walk);
      };
      symbols.forEach(walk);
      for (const f of folds) assert.ok(f.startLine < lines.length && f.endLine < lines.length, `document ${lane}/${n}: fold outside`);
      for (const l of [...definition, ...references]) assert.ok(inside(lines, l.range), `document ${lane}/${n}: location outside`);
      for (const a of actions) for (const e of a.edit?.changes?.[uri] ?? []) assert.ok(inside(lines, e.range), `document ${lane}/${n}: fix edit outside`);
    }
  }
}

let client: LspClient;
before(async () => {
  client = await LspClient.start(process.env.FUZZ_PROFILE ? { command: ['--cpu-prof', `--cpu-prof-dir=${process.env.FUZZ_PROFILE}`, SERVER, '--stdio'] } : {});
});
after(async () => {
  await client.stop();
});

test(`${COUNT} mutated documents: no crash, no hang, every range inside its document (seed ${seed})`, async (t) => {
  t.diagnostic(`FUZZ_SEED=${seed}`);
  const bases = [...yamlTextsIn(join(root, 'examples')), ...yamlTextsIn(join(root, 'test', 'fixtures'))];
  // Several documents in flight at once keep the server busy; each lane has its own generator.
  const LANES = 3;
  await Promise.all(Array.from({ length: LANES }, (_, lane) => runLane(lane, Math.ceil((COUNT - lane) / LANES), bases)));
  assert.equal(client.process.exitCode, null, 'the server is still running');
  const stat = readFileSync(`/proc/${client.process.pid!}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const own = process.cpuUsage();
  t.diagnostic(`CPU: server ${((Number(stat[11]) + Number(stat[12])) / 100).toFixed(1)} s, client ${((own.user + own.system) / 1e6).toFixed(1)} s`);
  const errors = client.logs.filter((l) => /failed|uncaught|unhandled/.test(l));
  t.diagnostic(`internal errors logged: ${errors.length}`);
  assert.deepEqual(errors.slice(0, 3), [], 'no handler or validation threw');
});
