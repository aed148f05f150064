// Bundles what ships with esbuild: the extension, the language server and the CLI.
// `node scripts/build.mjs --watch` rebuilds on change. Type checking is `npm run typecheck`.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'info',
  // pg's optional native driver is never used; without this the bundle would require it.
  // PGlite finds its .wasm/.data files next to its own module: bundling breaks that, so it
  // stays external and loads from node_modules.
  external: ['pg-native', '@electric-sql/pglite'],
};

const SCHEMAS = ['DefinitionFileSchema', 'PhaseSchema', 'ActivitySchema', 'InstanceClaimSchema'];

/**
 * The definition schema as data, evaluated now from the zod schema: each schema's keys and
 * their descriptions (what the core reads: `KNOWN_KEYS`, and `.shape[key].meta()` for hover
 * texts). The CLI bundle carries this instead of zod, a third of `phasectl validate`'s start-up.
 */
async function schemaAsData() {
  const built = await esbuild.build({ entryPoints: ['schemas/definition-schema.ts'], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', built.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
  const schema = module.exports;
  const described = (name) => Object.fromEntries(Object.entries(schema[name].shape).map(([key, value]) => [key, value.meta()?.description ?? '']));
  return [
    '// The definition schema as data, made by scripts/build.mjs from schemas/definition-schema.ts.',
    'const shapeOf = (keys) => ({ shape: Object.fromEntries(Object.entries(keys).map(([key, description]) => [key, { meta: () => ({ description }) }])) });',
    ...SCHEMAS.map((name) => `export const ${name} = shapeOf(${JSON.stringify(described(name))});`),
    `export const KNOWN_KEYS = ${JSON.stringify(schema.KNOWN_KEYS)};`,
  ].join('\n');
}

/**
 * CLI start-up: the schema module becomes data (the bundle fails to build when code in it
 * needs more of the schema than its keys and descriptions), and the pure core is marked
 * free of side effects, so what a command does not use (hover, completion) is left out.
 */
function cliStartUp(schemaModule) {
  return {
    name: 'cli-start-up',
    setup(build) {
      build.onLoad({ filter: /[\\/]schemas[\\/]definition-schema\.ts$/ }, () => ({ contents: schemaModule, loader: 'js' }));
      build.onResolve({ filter: /^\.\.?\// }, async (args) => {
        if (args.pluginData === 'cli-start-up') return undefined;
        const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'cli-start-up' });
        if (found.errors.length > 0 || !/[\\/]server[\\/]core[\\/]/.test(found.path)) return found;
        return { ...found, sideEffects: false };
      });
    },
  };
}

/**
 * `phasectl` is three bundles: `phasectl.js` (arguments, help, errors: nothing else), and
 * what it loads when a command runs: `phasectl-validate.js` (core + YAML) and
 * `phasectl-db.js` (every database command). `server/cli/entries/*` are their entry points;
 * in the main bundle imports of them become requires of the built files beside it.
 */
const CLI_BUNDLES = { validate: './phasectl-validate.js', database: './phasectl-db.js' };
const cliEntries = {
  name: 'cli-entries',
  setup(build) {
    build.onResolve({ filter: /[\\/]entries[\\/](validate|database)$/ }, (args) => ({ path: CLI_BUNDLES[args.path.split(/[\\/]/).pop()], external: true }));
  },
};

const cliSchema = cliStartUp(await schemaAsData());
const entries = [
  { entryPoints: ['client/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', 'pg-native', '@electric-sql/pglite'] },
  { entryPoints: ['server/lsp/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/cli/main.ts'], outfile: 'dist/phasectl.js', banner: { js: '#!/usr/bin/env node' }, plugins: [cliEntries] },
  { entryPoints: ['server/cli/entries/validate.ts'], outfile: 'dist/phasectl-validate.js', plugins: [cliSchema] },
  { entryPoints: ['server/cli/entries/database.ts'], outfile: 'dist/phasectl-db.js', plugins: [cliSchema] },
];

const contexts = await Promise.all(entries.map((entry) => esbuild.context({ ...common, ...entry })));
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}

// The pre-initialised embedded database shipped beside the bundle (see
// server/db/backends/embedded-template.ts). Regenerated only when the migrations change.
if (!watch) {
  const { spawnSync } = await import('node:child_process');
  const made = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-pglite-template.ts'], { stdio: 'inherit' });
  if (made.status !== 0) process.exit(made.status ?? 1);
}
