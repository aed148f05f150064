// Lint: typescript-eslint with type information, and the import boundaries of the design.
import tseslint from 'typescript-eslint';

const databaseAndEditor = [
  { name: 'vscode', message: 'Only client/ talks to the editor.' },
  { name: 'pg', message: 'The core never touches a database.' },
  { name: '@electric-sql/pglite', message: 'The core never touches a database.' },
];
const lspPackages = ['vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageserver-*', 'vscode-languageclient', 'vscode-languageclient/*', 'vscode-jsonrpc', 'vscode-jsonrpc/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.e2e-cache/**', 'test-output/**', 'test/fixtures/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', {
        // node:test's test()/describe() return promises the runner itself awaits.
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }],
      }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The pure core: no editor, no LSP, no database, no Node built-ins.
    files: ['server/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...databaseAndEditor, { name: 'zod', message: 'The core reads the generated contract table (npm run gen:schema): zod would load on every validate.' }],
        patterns: [
          { group: lspPackages, message: 'LSP types belong to server/lsp only.' },
          { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'net'], message: 'The core is pure: no I/O.' },
          { group: ['**/lsp/**', '**/db/**', '**/cli/**', '**/client/**'], message: 'The core depends on nothing above it.' },
          { group: ['**/schemas/definition-schema'], message: 'The zod schema loads zod: read the generated contract table (npm run gen:schema).' },
        ],
      }],
    },
  },
  {
    // Everything outside the client and the in-editor tests: no `vscode`; the core only through its index.
    files: ['server/lsp/**/*.ts', 'server/db/**/*.ts', 'server/cli/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Only client/ talks to the editor.' }],
        patterns: [{ group: ['**/core/**', '!**/core/index'], message: 'Import the core through server/core/index.' }],
      }],
    },
  },
  {
    // The contracts depend on nothing of ours: the core reads them, never the other way round.
    files: ['schemas/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Only client/ talks to the editor.' }],
        patterns: [{ group: ['**/server/**', '**/client/**'], message: 'schemas/ imports nothing from server/ or client/.' }],
      }],
    },
  },
  {
    files: ['server/db/**/*.ts', 'server/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Only client/ talks to the editor.' }],
        patterns: [
          { group: lspPackages, message: 'LSP types belong to server/lsp only.' },
          { group: ['**/core/**', '!**/core/index'], message: 'Import the core through server/core/index.' },
        ],
      }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
