/**
 * Workspace trust: in Restricted Mode the language server validates the definition files
 * but connects to no database and writes nothing, even though the workspace's settings name
 * an embedded database (which the server would create); a write command says why it does
 * nothing. Trusting the folder restarts the server with the database, which then appears.
 * Screenshots: test-output/e2e/ui/restricted-mode/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { harnessInstalled } from '../../../scripts/e2e/harness';
import { STEP_TIMEOUT_MS, nonZeroProblemCounts, openWorkbench, openWorkflowPhasesView, runCommand, type UiSession } from './session';

/** The embedded folder the workspace's settings name. */
const FOLDER = 'restricted-db';

describe('an untrusted workspace (Restricted Mode)', { skip: !harnessInstalled() && 'the e2e harness is not installed' }, () => {
  let ui: UiSession;

  before(async () => {
    ui = await openWorkbench('restricted-mode', {
      workspaceTrust: true,
      extraFiles: { '.vscode/settings.json': JSON.stringify({ 'workflowPhases.database.url': `embedded:${FOLDER}` }, null, 2) },
    });
  }, { timeout: 2 * STEP_TIMEOUT_MS });

  after(async () => {
    await ui?.close();
  });

  test('definition files are validated, and the view says no database is used', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('validation-only', async () => {
      const { page } = ui;
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'broken.phases.yaml' }).click();
      await page.locator('.editor-instance .view-lines', { hasText: 'scopign' }).waitFor();
      await openWorkflowPhasesView(page);
      await page.locator('.part.sidebar .monaco-list-row', { hasText: /Language server: running.*Restricted Mode: validation only/ }).waitFor();
      await page.locator('.part.sidebar .welcome-view-content', { hasText: 'Restricted Mode' }).waitFor();
      const [errors = 0] = await nonZeroProblemCounts(page);
      assert.ok(errors > 0, 'the broken file is validated in Restricted Mode');
    });
  });

  test('a write command does nothing and says why; no database was created', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('write-refused', async () => {
      const { page } = ui;
      await runCommand(page, 'Workflow Phases: Create Instances');
      await runCommand(page, 'Notifications: Show Notifications');
      await page.locator('.notifications-center .notification-list-item', { hasText: 'Restricted Mode' }).first().waitFor();
      assert.ok(!existsSync(join(ui.workspace, FOLDER)), 'nothing created the embedded database the settings name');
    });
  });

  test('trusting the folder restarts the server with the database', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('trusted-database-connected', async () => {
      const { page } = ui;
      await page.keyboard.press('Escape');
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().click();
      await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click();
      await page.locator('.workspace-trust-editor', { hasText: 'You trust this folder' }).waitFor();
      await page.keyboard.press('Escape');
      await page.locator('.statusbar-item', { hasText: /embedded/ }).first().waitFor();
      await page.locator('.part.sidebar .welcome-view-content', { hasText: 'no workflow instances yet' }).waitFor();
      assert.ok(existsSync(join(ui.workspace, FOLDER)), 'the trusted server created the embedded database the settings name');
    });
  });
});
