/**
 * UI checks in the real workbench, driven like a user with Playwright: a workspace with a
 * broken definition file, the Problems count in the status bar, the extension's view
 * container, and one of its commands run from F1. Screenshots: test-output/e2e/ui/workbench/.
 * Run by `npm run test:e2e` (scripts/e2e/run.ts) after the extension-host suites.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harnessInstalled } from '../../../scripts/e2e/harness';
import { STEP_TIMEOUT_MS, nonZeroProblemCounts, openWorkbench, openWorkflowPhasesView, type UiSession } from './session';

describe('the workbench with a broken definition file', { skip: !harnessInstalled() && 'the e2e harness is not installed' }, () => {
  let ui: UiSession;

  before(async () => {
    ui = await openWorkbench('workbench');
  }, { timeout: 2 * STEP_TIMEOUT_MS });

  after(async () => {
    await ui?.close();
  });

  test('opening the broken file from the Explorer shows it in an editor', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('definition-open', async () => {
      await ui.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'broken.phases.yaml' }).click();
      await ui.page.locator('.editor-instance .view-lines', { hasText: 'scopign' }).waitFor();
    });
  });

  test('the Problems count in the status bar is non-zero', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('problems-count', async () => {
      const [errors = 0] = await nonZeroProblemCounts(ui.page);
      assert.ok(errors > 0, `the status bar counts ${errors} errors`);
    });
  });

  test('the Workflow Phases view container lists the definition files with their problem counts', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('view-container', async () => {
      await openWorkflowPhasesView(ui.page);
      const sidebar = ui.page.locator('.part.sidebar');
      await sidebar.locator('.monaco-list-row', { hasText: 'Language server: running' }).waitFor();
      // The broken file's row counts its errors (the server's diagnostics).
      await sidebar.locator('.monaco-list-row', { hasText: /broken\.phases\.yaml[\s\S]*[1-9]\d* errors?/ }).waitFor();
      await sidebar.locator('.monaco-list-row', { hasText: 'valid.phases.yaml' }).waitFor();
    });
  });

  test('F1 runs "Workflow Phases: Show Output", which shows the extension log', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('command-show-output', async () => {
      const { page } = ui;
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill('>Workflow Phases: Show Output');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Workflow Phases: Show Output' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => {
        const dom = globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } };
        return dom.document.querySelector('.part.panel select[aria-label="Switch Output"]')?.value === 'Workflow Phases';
      });
      // The log is scrolled to its end; whatever is there, it is about the language server.
      await page.locator('.part.panel .view-lines', { hasText: /server/i }).first().waitFor();
    });
  });
});
