// Bundles what ships with esbuild: the extension, the language server and the CLI.
// `node scripts/build.mjs --watch` rebuilds on change; `--minify` minifies (npm run package).
// Type checking is `npm run typecheck`. Each bundle's esbuild metafile is written beside it
// (`dist/<name>.meta.json`: what went in, byte by byte; test/unit/bundles.test.ts reads them).
import { writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  minify: process.argv.includes('--minify'),
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  metafile: true,
  logLevel: 'info',
  // pg's optional native driver is never used; without this the bundle would require it.
  // PGlite finds its .wasm/.data files next to its own module: bundling breaks that, so it
  // stays external and loads from node_modules.
  external: ['pg-native', '@electric-sql/pglite'],
};

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

const entries = [
  { entryPoints: ['client/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', 'pg-native', '@electric-sql/pglite'] },
  { entryPoints: ['server/lsp/main.ts'], outfile: 'dist/server.js' },
  // `require`, not `import()`, for the bundles: Node's import() of a CommonJS file first scans
  // all of it for its exports (~85 ms for phasectl-validate.js).
  { entryPoints: ['server/cli/main.ts'], outfile: 'dist/phasectl.js', banner: { js: '#!/usr/bin/env node' }, plugins: [cliEntries], supported: { 'dynamic-import': false } },
  { entryPoints: ['server/cli/entries/validate.ts'], outfile: 'dist/phasectl-validate.js' },
  { entryPoints: ['server/cli/entries/database.ts'], outfile: 'dist/phasectl-db.js' },
];

const contexts = await Promise.all(entries.map((entry) => esbuild.context({ ...common, ...entry })));
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  const results = await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
  entries.forEach((entry, i) => writeFileSync(entry.outfile.replace(/\.js$/, '.meta.json'), JSON.stringify(results[i].metafile)));
}

// The pre-initialised embedded database shipped beside the bundle (see
// server/db/backends/embedded-template.ts). Regenerated only when the migrations change.
if (!watch) {
  const { spawnSync } = await import('node:child_process');
  const made = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-pglite-template.ts'], { stdio: 'inherit' });
  if (made.status !== 0) process.exit(made.status ?? 1);
}
