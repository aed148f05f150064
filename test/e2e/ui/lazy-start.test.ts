/**
 * The lazy start, in a workspace that begins without definition files: with plain YAML
 * open the extension starts no language server, and the Definitions view's welcome offers a
 * starter file; a definition file created and opened later starts it. Screenshots:
 * test-output/e2e/ui/lazy-start/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, harnessInstalled } from '../../../scripts/e2e/harness';
import { STEP_TIMEOUT_MS, nonZeroProblemCounts, openWorkbench, openWorkflowPhasesView, runCommand, type UiSession } from './session';

describe('a workspace without definition files', { skip: !harnessInstalled() && 'the e2e harness is not installed' }, () => {
  let ui: UiSession;

  before(async () => {
    ui = await openWorkbench('lazy-start', { fixture: 'workspace-plain', firstFile: 'notes.yaml' });
  }, { timeout: 2 * STEP_TIMEOUT_MS });

  after(async () => {
    await ui?.close();
  });

  test('with plain YAML open, no language server is started; the welcome offers a starter file', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('plain-yaml-server-stopped', async () => {
      await ui.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'notes.yaml' }).click();
      await ui.page.locator('.editor-instance .view-lines', { hasText: 'Meeting notes' }).waitFor();
      await openWorkflowPhasesView(ui.page);
      await ui.page.locator('.part.sidebar .welcome-view-content', { hasText: 'No definition file' }).first().waitFor();
      await ui.page.locator('.part.sidebar .welcome-view-content .monaco-button', { hasText: 'New Definition File from Template' }).first().waitFor();
      // The status bar item appears with the server only.
      assert.equal(await ui.page.locator('.statusbar-item', { hasText: 'Phases:' }).count(), 0, 'no database item without a server');
    });
  });

  test('opening a definition file created later starts it', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('definition-opened-server-running', async () => {
      const { page } = ui;
      copyFileSync(join(ROOT, 'test', 'e2e', 'workspace', 'broken.phases.yaml'), join(ui.workspace, 'later.phases.yaml'));
      // The view lists it as soon as the file watcher sees it.
      await page.locator('.part.sidebar .monaco-list-row', { hasText: 'later.phases.yaml' }).click();
      await page.locator('.editor-instance .view-lines', { hasText: 'scopign' }).waitFor();
      await page.locator('.part.sidebar .monaco-list-row', { hasText: 'Language server: running' }).waitFor();
      const [errors = 0] = await nonZeroProblemCounts(page);
      assert.ok(errors > 0, 'the started server reports the broken file');
    });
  });

  test('"New Definition File from Template" writes a valid file with all 9 phases', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('template-file-valid', async () => {
      const { page } = ui;
      await runCommand(page, 'Workflow Phases: New Definition File from Template');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill('Quarterly Testing');
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .view-lines', { hasText: 'workflow: quarterly-testing' }).waitFor();
      assert.ok(existsSync(join(ui.workspace, 'quarterly-testing.phases.yaml')));
      await page.locator('.part.sidebar .monaco-list-row', { hasText: /quarterly-testing\.phases\.yaml.*no problems/ }).waitFor();
    });
  });
});
