/**
 * The extension host's test entry point (`--extensionTestsPath`): runs every bundled
 * `*.test.js` beside it with Mocha's spec reporter. The run's report goes to the host's
 * console, which the harness prints. E2E_GREP selects tests by name;
 * E2E_DELIBERATE_FAILURE=1 adds a test that fails on purpose (the runner's own test).
 */
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ON_DEMAND: Record<string, string> = {
  'deliberate-failure.test.js': 'E2E_DELIBERATE_FAILURE',
  'deliberate-hang.test.js': 'E2E_DELIBERATE_HANG',
};

/** Called by VS Code once the extension host is up; rejects when a test failed. */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 30_000 });
  if (process.env.E2E_GREP) mocha.grep(process.env.E2E_GREP);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => {
      const variable = ON_DEMAND[f];
      return variable === undefined || process.env[variable] === '1';
    })
    .sort();
  for (const file of files) mocha.addFile(join(__dirname, file));
  // scripts/e2e/host-session.ts prints the host's console from this line on.
  console.log(`Workflow Phases e2e: ${files.length} suite files in VS Code ${vscode.version} (${vscode.env.appHost}, ${vscode.env.remoteName ?? 'local'})`);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} extension test${failures === 1 ? '' : 's'} failed.`));
      else resolve();
    });
  });
}
