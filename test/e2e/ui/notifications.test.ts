/**
 * The optional notifications (`workflowPhases.notifications.phaseCompleted` and
 * `.activityBlocked`, off by default), as a user sees them: someone else (`phasectl` on the
 * same PostgreSQL database) completes a phase and blocks an activity. With the settings off
 * the tree shows the change and no notification appears; turned on in the Settings editor,
 * the same kinds of change show "Workflow Phases: …" notifications, and their Reveal button
 * selects the node in the Phase Status tree.
 * Screenshots: test-output/e2e/ui/notifications/.
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, harnessInstalled } from '../../../scripts/e2e/harness';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres';
import { STEP_TIMEOUT_MS, expand, notification, openWorkbench, openWorkflowPhasesView, rest, row, runCommand, until, widenSidebar, type UiSession } from './session';

const CYCLE = '2026-Q4';

/** Runs the built `phasectl` on the test database; it must succeed. */
function phasectl(database: TestDatabase, ...args: string[]): void {
  const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'phasectl.js'), ...args, '--db', database.url], { cwd: join(ROOT, 'test', 'e2e', 'workspace'), encoding: 'utf8' });
  assert.equal(run.status, 0, `phasectl ${args.join(' ')}:\n${run.stdout}${run.stderr}`);
}

/** The transition arguments of one instance, acting as `user`. */
const on = (report: string, user: string): string[] => ['--cycle', CYCLE, '--report', report, '--as', user];

/** The notifications of the extension now in the notification center (their messages). */
async function extensionNotifications(page: Page): Promise<string[]> {
  await runCommand(page, 'Notifications: Show Notifications');
  return page.locator('.notifications-center .notification-list-item-message').filter({ hasText: /^Workflow Phases: / }).allInnerTexts();
}

/**
 * Prepares three instances, as other users would have left them: the planning of FR-Y-14Q and
 * FR-2052a needs only its completion, FR-Y-9C has an activity in progress.
 */
function seed(database: TestDatabase): void {
  phasectl(database, 'sync', 'valid.phases.yaml', '--create-missing');
  phasectl(database, 'report', 'add', 'FR-Y-9C');
  phasectl(database, 'init', '--cycle', CYCLE, '--report', 'FR-Y-9C');
  phasectl(database, 'user', 'add', 'tess@example.com', '--name', 'tess', '--role', 'tester');
  phasectl(database, 'user', 'add', 'ed@example.com', '--name', 'ed', '--role', 'test_executive');
  phasectl(database, 'user', 'add', 'olga@example.com', '--name', 'olga', '--role', 'report_owner');
  for (const report of ['FR-Y-14Q', 'FR-2052a']) {
    phasectl(database, 'phase', 'start', 'planning', ...on(report, 'tess'));
    for (const [activity, user] of [['load_attributes', 'tess'], ['review_planning', 'ed'], ['approve_planning', 'olga']] as const) {
      phasectl(database, 'activity', 'start', 'planning', activity, ...on(report, user));
      phasectl(database, 'activity', 'complete', 'planning', activity, ...on(report, user));
    }
  }
  phasectl(database, 'phase', 'start', 'planning', ...on('FR-Y-9C', 'tess'));
  phasectl(database, 'activity', 'start', 'planning', 'load_attributes', ...on('FR-Y-9C', 'tess'));
}

describe('notifications of changes made by someone else', { skip: !harnessInstalled() && 'the e2e harness is not installed' }, () => {
  let database: TestDatabase | null = null;
  let ui: UiSession | undefined;

  before(async () => {
    database = await createTestDatabase('e2e_ui_notifications');
    if (!database) return;
    seed(database);
    ui = await openWorkbench('notifications', {
      firstFile: 'valid.phases.yaml',
      extraFiles: { '.vscode/settings.json': JSON.stringify({ 'workflowPhases.database.url': database.url }, null, 2) },
    });
  }, { timeout: 2 * STEP_TIMEOUT_MS });

  after(async () => {
    await ui?.close();
    await database?.drop();
  });

  /** The session and its database, or a skip when there is no PostgreSQL. */
  const session = (t: TestContext): { s: UiSession; db: TestDatabase } | undefined => {
    if (!ui || !database) {
      t.skip('no PostgreSQL');
      return undefined;
    }
    return { s: ui, db: database };
  };

  test('with the settings off (the default), the tree follows and nothing is notified', { timeout: 2 * STEP_TIMEOUT_MS }, async (t) => {
    const open = session(t);
    if (!open) return;
    const { s, db } = open;
    const { page } = s;
    await s.step('tree-before', async () => {
      await openWorkflowPhasesView(page);
      await widenSidebar(page);
      await expand(page, CYCLE);
      await expand(page, 'FR-Y-14Q');
      await row(page, /^planning.*in progress/).waitFor();
    });
    await s.step('off-nothing-notified', async () => {
      phasectl(db, 'phase', 'complete', 'planning', ...on('FR-Y-14Q', 'tess'));
      await row(page, /^planning.*completed/).waitFor();
      phasectl(db, 'phase', 'start', 'scoping', ...on('FR-Y-14Q', 'tess'));
      phasectl(db, 'activity', 'start', 'scoping', 'assess_risk', ...on('FR-Y-14Q', 'tess'));
      phasectl(db, 'activity', 'block', 'scoping', 'assess_risk', '--reason', 'waiting for the CDO extract', ...on('FR-Y-14Q', 'tess'));
      await expand(page, /^scoping/);
      await row(page, /assess_risk.*blocked: waiting for the CDO extract/).waitFor();
      // The tree and the notifications follow the same change event: by now none was shown.
      assert.deepEqual(await extensionNotifications(page), [], 'no notification with the settings off');
    });
  });

  test('turned on, a phase completed and an activity blocked by someone else are notified; Reveal selects the node', { timeout: 3 * STEP_TIMEOUT_MS }, async (t) => {
    const open = session(t);
    if (!open) return;
    const { s, db } = open;
    const { page } = s;
    await s.step('settings-on', async () => {
      await page.keyboard.press('Escape');
      await runCommand(page, 'Preferences: Open Workspace Settings');
      const editor = page.locator('.settings-editor');
      await editor.locator('.settings-header').waitFor();
      await page.keyboard.type('workflowPhases.notifications');
      const file = join(s.workspace, '.vscode', 'settings.json');
      // VS Code truncates the file before writing it: a read in between finds it empty.
      const written = (key: string) => {
        try {
          return (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)[`workflowPhases.notifications.${key}`] === true;
        } catch {
          return false;
        }
      };
      for (const [title, key] of [['Phase Completed', 'phaseCompleted'], ['Activity Blocked', 'activityBlocked']] as const) {
        const setting = editor.locator('.setting-item-bool', { hasText: title });
        await setting.locator('.setting-value-checkbox').click();
        await setting.locator('.setting-value-checkbox[aria-checked="true"]').waitFor();
        // The box ticks at once, the file is written a moment later (a second click meanwhile
        // would replace this pending write); the extension host reads the value from the file.
        await until(`${key} in .vscode/settings.json`, () => written(key));
      }
      assert.ok(written('phaseCompleted') && written('activityBlocked'), 'both settings are on in the workspace settings');
    });
    await s.step('phase-completed-notified', async () => {
      phasectl(db, 'phase', 'complete', 'planning', ...on('FR-2052a', 'tess'));
      await notification(page, `Workflow Phases: ${CYCLE} · FR-2052a: phase planning completed by tess@example.com.`);
    });
    await s.step('activity-blocked-notified', async () => {
      phasectl(db, 'activity', 'block', 'planning', 'load_attributes', '--reason', 'no access to the ledger', ...on('FR-Y-9C', 'tess'));
      const item = await notification(page, `Workflow Phases: ${CYCLE} · FR-Y-9C: planning › load_attributes blocked: no access to the ledger.`);
      await item.locator('.monaco-button', { hasText: 'Reveal' }).waitFor();
      // These came after the changes made with the settings off, in order: those were never notified.
      const shown = await extensionNotifications(page);
      assert.equal(shown.length, 2, `exactly the two changes made with the settings on: ${shown.join(' | ')}`);
      assert.ok(!shown.some((text) => text.includes('FR-Y-14Q')), 'nothing about the changes made with the settings off');
    });
    await s.step('reveal-selects-node', async () => {
      const item = await notification(page, 'FR-Y-9C: planning › load_attributes blocked');
      await item.locator('.monaco-button', { hasText: 'Reveal' }).click();
      await rest(page);
      await page.locator('.part.sidebar .monaco-list-row[aria-selected="true"]', { hasText: /^load_attributes.*blocked: no access to the ledger/ }).waitFor();
    });
  });
});
