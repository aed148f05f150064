/**
 * Live-database tests through the real server: a workspace folder holding the example
 * definition, a database on either backend seeded the way a user gets there (migrated,
 * users, the cycle and reports, the example synced by the sync engine), and a client
 * configured for it through `workspace/configuration`.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { analyzeText, resolveWorkflow } from '../../../server/core/index';
import { openDatabase } from '../../../server/db/database';
import type { Database, DatabaseTarget } from '../../../server/db/database';
import { migrate } from '../../../server/db/migrations/migrate';
import { syncWorkflows } from '../../../server/db/sync/sync';
import { seedUsers, type SeededUsers } from '../../transitions/helpers/seed';
import { LspClient, uriOf, type StartOptions } from '../client';
import type { DatabaseStatusParams, InstanceSummary, InstancesResult } from '../../../schemas/lsp-protocol';

/** The example definition every live test starts from. */
export const EXAMPLE = join(__dirname, '..', '..', '..', 'examples', 'regulatory-testing.phases.yaml');
/** Its file name in the test workspace. */
export const DEFINITION = 'regulatory-testing.phases.yaml';

/** What a client needs to know for the live features: configuration pulled, CodeLens refresh, dynamic registration. */
export const LIVE_CAPABILITIES = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
    codeLens: { refreshSupport: true },
  },
  textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true } },
};

/** `database.url` for a target. */
export function urlOf(target: DatabaseTarget): string {
  return target.kind === 'postgres' ? target.url : `embedded:${target.folder!}`;
}

/** A temporary workspace folder with the example definition; removed after the suite. */
export function workspace(): { root: string; file: string; uri: string; text: string } {
  const root = mkdtempSync(join(tmpdir(), 'wp-live-ws-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const file = join(root, DEFINITION);
  copyFileSync(EXAMPLE, file);
  return { root, file, uri: uriOf(file), text: readFileSync(file, 'utf8') };
}

/** Migrates, adds users and the example's cycle and reports, and syncs `text` (the example by default). */
export async function seed(db: Database, text = readFileSync(EXAMPLE, 'utf8')): Promise<SeededUsers> {
  await migrate(db);
  const users = await seedUsers(db);
  const analysis = analyzeText('example', text);
  const workflow = resolveWorkflow(analysis.definition, analysis.problems).value!;
  for (const claim of workflow.appliesTo) {
    await db.query('INSERT INTO test_cycles (cycle_name) VALUES ($1) ON CONFLICT DO NOTHING', [String(claim.cycle)]);
    for (const r of claim.reports) await db.query('INSERT INTO reports (report_name) VALUES ($1) ON CONFLICT DO NOTHING', [String(r)]);
  }
  const result = await syncWorkflows(db, [{ workflow, sourcePath: DEFINITION }]);
  if (!result.applied) throw new Error(`seed sync did not apply: ${JSON.stringify(result.unknown)}`);
  return users;
}

/** Opens `target`, seeds it (with `text`, the example by default), closes it again (the embedded folder can only be open in one process). */
export async function seeded(target: DatabaseTarget, text?: string): Promise<SeededUsers> {
  const db = await openDatabase(target);
  try {
    return await seed(db, text);
  } finally {
    await db.close();
  }
}

/** Starts the server on `root` with `database.url` and `user` set; stopped after the suite. */
export async function startLive(root: string, settings: { url?: string; user?: string }, options: StartOptions = {}): Promise<LspClient> {
  const client = await LspClient.start({
    rootPath: root,
    capabilities: LIVE_CAPABILITIES,
    clientInfo: { name: 'live-test' },
    ...options,
    configuration: { workflowPhases: { database: { url: settings.url ?? '' }, user: settings.user ?? '' }, ...(options.configuration ?? {}) },
  });
  after(() => client.stop());
  return client;
}

/** Waits for `connected` and returns that status. */
export function connected(client: LspClient): Promise<DatabaseStatusParams> {
  return client.databaseStatus((s) => s.state === 'connected');
}

/** The instances of the first page, by `<cycle>/<report>`. */
export function byName(result: InstancesResult): Map<string, InstanceSummary> {
  return new Map(result.instances.map((i) => [`${i.cycle}/${i.report}`, i]));
}
