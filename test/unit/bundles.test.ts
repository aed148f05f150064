/**
 * What the built bundles carry, read from the esbuild metafiles `npm run build` writes
 * beside them: `phasectl validate`, the language server and the extension load no zod
 * (the core checks values with the generated contract table; zod runs only in
 * `npm run gen:schema` and the tests).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const dist = join(__dirname, '..', '..', 'dist');

interface Metafile {
  readonly outputs: Readonly<Record<string, { readonly bytes: number; readonly inputs: Readonly<Record<string, { readonly bytesInOutput: number }>> }>>;
}

/** The inputs of a built bundle with their bytes in it. */
function inputsOf(bundle: string): Readonly<Record<string, { readonly bytesInOutput: number }>> {
  const file = join(dist, bundle.replace(/\.js$/, '.meta.json'));
  assert.ok(existsSync(file), `${file} is missing: run \`npm run build\``);
  const meta = JSON.parse(readFileSync(file, 'utf8')) as Metafile;
  const output = meta.outputs[`dist/${bundle}`];
  assert.ok(output, `the metafile of ${bundle} describes ${Object.keys(meta.outputs).join(', ')}`);
  return output.inputs;
}

for (const bundle of ['phasectl.js', 'phasectl-validate.js', 'server.js', 'extension.js']) {
  test(`dist/${bundle} carries no zod`, () => {
    const zod = Object.entries(inputsOf(bundle)).filter(([path, input]) => /(^|\/)node_modules\/zod\//.test(path) && input.bytesInOutput > 0);
    assert.deepEqual(zod.map(([path]) => path), []);
  });
}

for (const bundle of ['phasectl-validate.js', 'server.js']) {
  test(`dist/${bundle} checks values with the generated contract table`, () => {
    const inputs = inputsOf(bundle);
    assert.ok((inputs['server/core/definition/contract-generated.ts']?.bytesInOutput ?? 0) > 0, Object.keys(inputs).filter((p) => p.startsWith('server/core/definition')).join(', '));
  });
}
