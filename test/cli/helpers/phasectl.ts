/** Runs the built `dist/phasectl.js` as a user would: a real process, in a folder, with an environment. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../../server/db/database';
import type { DatabaseTarget } from '../../../server/db/database';
import { migrate } from '../../../server/db/migrations/migrate';

/** The built CLI. */
export const CLI = join(__dirname, '..', '..', '..', 'dist', 'phasectl.js');

/** What a run printed and its exit code. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a run: no DATABASE_URL or PHASECTL_USER unless given. */
function envOf(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: '', PHASECTL_USER: '', ...extra };
}

/** Runs `phasectl ...args` in `cwd` and waits for it; asserts no stack trace reached the user. */
export function phasectl(cwd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Run {
  assert.ok(existsSync(CLI), 'dist/phasectl.js is missing: run `npm run build` (npm test does)');
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: envOf(env) });
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, `no stack trace on stderr: ${run.stderr}`);
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Like `phasectl`, without blocking the event loop (for runs racing each other). */
export function phasectlAsync(cwd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: envOf(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `--db` for a test database target. */
export function dbArg(target: DatabaseTarget): string {
  return target.kind === 'postgres' ? target.url : `embedded:${target.folder}`;
}

/** Runs one statement on the database `target` names (opened and closed around it); resolves to its rows. */
export async function sql(target: DatabaseTarget, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const db = await openDatabase(target);
  try {
    return (await db.query(text, params)).rows;
  } finally {
    await db.close();
  }
}

/** Migrates the database `target` names, then runs `script` (several statements, no parameters). */
export async function migrated(target: DatabaseTarget, script: string): Promise<void> {
  const db = await openDatabase(target);
  try {
    await migrate(db);
    await db.exec(script);
  } finally {
    await db.close();
  }
}
