/**
 * UI checks in the real workbench, driven like a user with Playwright: a workspace with a
 * broken definition file, the Problems count in the status bar, the extension's view
 * container, and one of its commands run from F1. Each step saves a PNG under
 * test-output/e2e/ui/; a failing step also saves the logs under test-output/e2e/logs/ui/.
 * Run by `npm run test:e2e` (scripts/e2e/run.ts) after the extension-host suites.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type BrowserSession } from '../../../scripts/e2e/browser';
import { startCodeServer, type CodeServer } from '../../../scripts/e2e/code-server';
import { OUTPUT_DIR, ROOT, harnessInstalled } from '../../../scripts/e2e/harness';
import { payloadUrl } from '../../../scripts/e2e/workbench-url';

const SCREENSHOTS = join(OUTPUT_DIR, 'ui');
const LOGS = join(OUTPUT_DIR, 'logs', 'ui');
const STEP_TIMEOUT_MS = 90_000;

describe('the workbench with a broken definition file', { skip: !harnessInstalled() && 'the e2e harness is not installed' }, () => {
  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  let page: Page;
  let workspace: string;
  let failed = false;
  let stepNumber = 0;

  /** Runs one user-visible step; saves a screenshot named after it (and the logs on failure). */
  async function step(name: string, body: () => Promise<void>): Promise<void> {
    stepNumber += 1;
    const file = `${String(stepNumber).padStart(2, '0')}-${name}.png`;
    try {
      await body();
      await page.screenshot({ path: join(SCREENSHOTS, file) });
    } catch (error) {
      failed = true;
      mkdirSync(LOGS, { recursive: true });
      await page.screenshot({ path: join(LOGS, `failed-${file}`) }).catch(() => undefined);
      throw error;
    }
  }

  before(async () => {
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    workspace = mkdtempSync(join(tmpdir(), 'workflow-phases-e2e-ui-'));
    cpSync(join(ROOT, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
    server = await startCodeServer({ smokeTestDriver: true });
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(STEP_TIMEOUT_MS / 2);
    await page.goto(payloadUrl(server.origin, { extensionDevelopmentPath: ROOT, folder: workspace }));
    await page.locator('.monaco-workbench').waitFor();
  }, { timeout: 120_000 });

  after(async () => {
    if (failed) {
      server?.saveLogs(LOGS);
      console.error(`UI checks: logs and a screenshot are kept in ${LOGS}`);
    }
    await browser?.close();
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('opening the broken file from the Explorer shows it in an editor', { timeout: STEP_TIMEOUT_MS }, async () => {
    await step('definition-open', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'broken.phases.yaml' }).click();
      await page.locator('.editor-instance .view-lines', { hasText: 'scopign' }).waitFor();
    });
  });

  test('the Problems count in the status bar is non-zero', { timeout: STEP_TIMEOUT_MS }, async () => {
    await step('problems-count', async () => {
      // The entry shows "<errors> <warnings>" next to two icons.
      const counts = await page.waitForFunction(() => {
        const dom = globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } | null } };
        const text = dom.document.getElementById('status.problems')?.textContent ?? '';
        const numbers = (text.match(/\d+/g) ?? []).map(Number);
        return numbers.some((n) => n > 0) && numbers;
      });
      const [errors = 0] = (await counts.jsonValue()) || [];
      assert.ok(errors > 0, `the status bar counts ${errors} errors`);
    });
  });

  test('the Workflow Phases view container lists the definition files with their problem counts', { timeout: STEP_TIMEOUT_MS }, async () => {
    await step('view-container', async () => {
      await page.locator('.activitybar .action-label[aria-label^="Workflow Phases"]').click();
      const sidebar = page.locator('.part.sidebar');
      await sidebar.locator('.monaco-list-row', { hasText: 'Language server:' }).waitFor();
      // The broken file's row counts its problems (the server's diagnostics).
      await sidebar.locator('.monaco-list-row', { hasText: /broken\.phases\.yaml[\s\S]*[1-9]\d* problems?/ }).waitFor();
      await sidebar.locator('.monaco-list-row', { hasText: 'valid.phases.yaml' }).waitFor();
    });
  });

  test('F1 runs "Workflow Phases: Show Output", which shows the extension log', { timeout: STEP_TIMEOUT_MS }, async () => {
    await step('command-show-output', async () => {
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
