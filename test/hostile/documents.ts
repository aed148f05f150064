/** Hostile definition files: the reproductions of issue 14 and a generator of more like them. */
import fc from 'fast-check';

/** The 9 x 9 "billion laughs": 9^9 texts if aliases were expanded, in under 400 bytes. */
export const LAUGHS = [
  'version: 1',
  'workflow: laughs',
  'a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]',
  ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
  'phases: *i',
  '',
].join('\n');

/** `phases: [[[[…]]]]`, 10,000 levels (20 KB). */
export const DEEP_FLOW = `phases: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;

/** `phases:` then 10,000 nested block lists on one line (`- - - … x`). */
export const DEEP_BLOCK = `phases:\n${'- '.repeat(10_000)}x\n`;

const header = 'version: 1\nworkflow: hostile\n';

/** Nested aliases: `levels` anchors, each a list of `width` aliases of the one before. */
const laughs = fc.record({ width: fc.integer({ min: 2, max: 12 }), levels: fc.integer({ min: 3, max: 12 }) }).map(({ width, levels }) => {
  const lines = [`l0: &l0 [${Array(width).fill('lol').join(', ')}]`];
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
  return { kind: `aliases ${width}^${levels}`, text: `${header}${lines.join('\n')}\nphases: *l${levels - 1}\n` };
});

const deep = fc.record({ levels: fc.integer({ min: 50, max: 30_000 }), style: fc.constantFrom('flow-seq', 'flow-map', 'block-seq', 'indented') }).map(({ levels, style }) => {
  let body: string;
  if (style === 'flow-seq') body = `phases: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;
  else if (style === 'flow-map') body = `phases: ${'{a: '.repeat(levels)}x${'}'.repeat(levels)}\n`;
  else if (style === 'block-seq') body = `phases:\n${'- '.repeat(levels)}x\n`;
  else {
    // Indentation grows with depth: keep the text (quadratic in depth) below a few MB.
    const n = Math.min(levels, 600);
    body = Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a${i}:`).join('\n') + ' x\n';
  }
  return { kind: `${style} nested ${levels}`, text: header + body };
});

const hugeScalar = fc.record({ kib: fc.integer({ min: 256, max: 4096 }), style: fc.constantFrom('plain', 'double', 'single', 'block', 'key', 'many-lines') }).map(({ kib, style }) => {
  const x = 'x'.repeat(kib * 1024);
  const value = { plain: x, double: `"${x}"`, single: `'${x}'`, block: `|\n  ${x}`, key: '', 'many-lines': `|\n${'  line of text\n'.repeat(kib * 64)}` }[style];
  return { kind: `${kib} KiB ${style} scalar`, text: style === 'key' ? `${header}${x}: 1\n` : `${header}phases:\n  - name: planning\n    title: ${value}\n` };
});

const manyKeys = fc.record({ count: fc.integer({ min: 1_000, max: 60_000 }), style: fc.constantFrom('block', 'flow', 'block-full', 'flow-full', 'duplicates') }).map(({ count, style }) => {
  const keys = Array.from({ length: count }, (_, i) => `k${style === 'duplicates' ? i % 1000 : i}: v`);
  // A tab in a comment makes the fast reader decline: the `yaml` package reads the file.
  const tab = style.endsWith('-full') || style === 'duplicates' ? '# \t\n' : '';
  const body = style.startsWith('flow') ? `metadata: {${keys.join(', ')}}\n` : `${keys.join('\n')}\n`;
  return { kind: `${count} keys (${style})`, text: header + tab + body };
});

const manyItems = fc.record({ count: fc.integer({ min: 1_000, max: 150_000 }), flow: fc.boolean() }).map(({ count, flow }) => ({
  kind: `${count} list items (${flow ? 'flow' : 'block'})`,
  text: flow ? `${header}phases: [${Array(count).fill('p').join(', ')}]\n` : `${header}phases:\n${'  - p\n'.repeat(count)}`,
}));

/** The kinds of hostile document, each giving a description (for messages) and its text; sizes drawn without bias. */
export const HOSTILE_KINDS = [laughs, deep, hugeScalar, manyKeys, manyItems].map((kind) => fc.noBias(kind));
