/**
 * The lazy start, in a workspace that begins without definition files: with plain YAML
 * open the extension starts no language server; a definition file created and opened
 * later starts it. Screenshots: test-output/e2e/ui/lazy-start/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, harnessInstalled } from '../../../scripts/e2e/harness';
import { STEP_TIMEOUT_MS, nonZeroProblemCounts, openWorkbench, openWorkflowPhasesView, type UiSession } from './session';

describe('a workspace without definition files', { skip: !harnessInstalled() && 'the e2e harness is not installed' }, () => {
  let ui: UiSession;

  before(async () => {
    ui = await openWorkbench('lazy-start', { fixture: 'workspace-plain', firstFile: 'notes.yaml' });
  }, { timeout: 2 * STEP_TIMEOUT_MS });

  after(async () => {
    await ui?.close();
  });

  test('with plain YAML open, no language server is started', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('plain-yaml-server-stopped', async () => {
      await ui.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'notes.yaml' }).click();
      await ui.page.locator('.editor-instance .view-lines', { hasText: 'Meeting notes' }).waitFor();
      await openWorkflowPhasesView(ui.page);
      await ui.page.locator('.part.sidebar .monaco-list-row', { hasText: 'Language server: stopped' }).waitFor();
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
});
