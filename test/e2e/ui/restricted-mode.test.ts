/**
 * Workspace trust: in Restricted Mode the extension starts no language server (nothing
 * runs or connects on behalf of an untrusted folder) and says so in its view; trusting
 * the folder starts it. Screenshots: test-output/e2e/ui/restricted-mode/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harnessInstalled } from '../../../scripts/e2e/harness';
import { STEP_TIMEOUT_MS, nonZeroProblemCounts, openWorkbench, openWorkflowPhasesView, type UiSession } from './session';

describe('an untrusted workspace (Restricted Mode)', { skip: !harnessInstalled() && 'the e2e harness is not installed' }, () => {
  let ui: UiSession;

  before(async () => {
    ui = await openWorkbench('restricted-mode', { workspaceTrust: true });
  }, { timeout: 2 * STEP_TIMEOUT_MS });

  after(async () => {
    await ui?.close();
  });

  test('the language server stays off, and the view says why', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('server-off', async () => {
      await ui.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
      await ui.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'broken.phases.yaml' }).click();
      await ui.page.locator('.editor-instance .view-lines', { hasText: 'scopign' }).waitFor();
      await openWorkflowPhasesView(ui.page);
      await ui.page.locator('.part.sidebar .monaco-list-row', { hasText: 'Language server: off (workspace not trusted)' }).waitFor();
    });
  });

  test('trusting the folder starts the language server', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('trusted-server-running', async () => {
      const { page } = ui;
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().click();
      await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click();
      await page.locator('.workspace-trust-editor', { hasText: 'You trust this folder' }).waitFor();
      await page.keyboard.press('Escape');
      await page.locator('.part.sidebar .monaco-list-row', { hasText: 'Language server: running' }).waitFor();
      const [errors = 0] = await nonZeroProblemCounts(page);
      assert.ok(errors > 0, 'the trusted server reports the broken file');
    });
  });
});
