/**
 * One UI-check session: code-server with the extension loaded from source, headless
 * Chromium on the workbench of a fresh copy of test/e2e/workspace, and `step()`, which runs
 * one user-visible step and saves its screenshot under test-output/e2e/ui/<name>/ (on
 * failure: the screenshot and the logs under test-output/e2e/logs/ui/<name>/).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, type BrowserSession } from '../../../scripts/e2e/browser';
import { startCodeServer, type CodeServer, type CodeServerOptions } from '../../../scripts/e2e/code-server';
import { OUTPUT_DIR, ROOT } from '../../../scripts/e2e/harness';
import { payloadUrl } from '../../../scripts/e2e/workbench-url';

/** The timeout of one step; Playwright's waits get half of it, so they fail first, with a screenshot. */
export const STEP_TIMEOUT_MS = 90_000;

/** What a session opens. */
export interface WorkbenchOptions extends CodeServerOptions {
  /** The folder under test/e2e copied as the workspace (default `workspace`). */
  readonly fixture?: string;
  /** A file of the fixture the Explorer must show before the session starts (default `broken.phases.yaml`). */
  readonly firstFile?: string;
  /** Files written into the workspace copy before it opens (path relative to it -> text). */
  readonly extraFiles?: Readonly<Record<string, string>>;
}

/** A workbench open in the browser. */
export interface UiSession {
  readonly page: Page;
  /** The workspace folder (a throwaway copy of the fixture). */
  readonly workspace: string;
  /** code-server's throwaway folder: the user settings, the extensions' logs and output channels, code-server's log. */
  readonly profile: string;
  /** Runs `body`, then screenshots `NN-<name>.png`; on failure keeps a screenshot and the logs. */
  step(name: string, body: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** Starts code-server and the browser, opens the workbench, waits for it to render. */
export async function openWorkbench(name: string, options: WorkbenchOptions = {}): Promise<UiSession> {
  const screenshots = join(OUTPUT_DIR, 'ui', name);
  const logs = join(OUTPUT_DIR, 'logs', 'ui', name);
  rmSync(screenshots, { recursive: true, force: true });
  mkdirSync(screenshots, { recursive: true });
  const workspace = mkdtempSync(join(tmpdir(), 'workflow-phases-e2e-ui-'));
  cpSync(join(ROOT, 'test', 'e2e', options.fixture ?? 'workspace'), workspace, { recursive: true });
  for (const [path, text] of Object.entries(options.extraFiles ?? {})) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), text);
  }
  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  let failed = false;
  let stepNumber = 0;

  const close = async () => {
    // E2E_KEEP_LOGS=1 keeps them after a passing session too.
    if (failed || process.env.E2E_KEEP_LOGS === '1') {
      server?.saveLogs(logs);
      console.error(`UI checks: logs${failed ? ' and a screenshot' : ''} are kept in ${logs}`);
    }
    await browser?.close();
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
  };

  try {
    server = await startCodeServer({ ...options, smokeTestDriver: true });
    browser = await launchBrowser();
  } catch (error) {
    await close();
    throw error;
  }
  const page = browser.page;
  page.setDefaultTimeout(STEP_TIMEOUT_MS / 2);

  const step = async (stepName: string, body: () => Promise<void>) => {
    stepNumber += 1;
    const file = `${String(stepNumber).padStart(2, '0')}-${stepName}.png`;
    try {
      await body();
      // Transitions (a quick input fading in) are finished at once, so the picture is sharp.
      await page.screenshot({ path: join(screenshots, file), animations: 'disabled' });
    } catch (error) {
      failed = true;
      mkdirSync(logs, { recursive: true });
      await page.screenshot({ path: join(logs, `failed-${file}`) }).catch(() => undefined);
      throw error;
    }
  };

  await step('workbench', async () => {
    await page.goto(payloadUrl(server.origin, { extensionDevelopmentPath: ROOT, folder: workspace }));
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: options.firstFile ?? 'broken.phases.yaml' }).waitFor();
  }).catch(async (error: unknown) => {
    await close();
    throw error;
  });
  return { page, workspace, profile: server.home, step, close };
}

/**
 * Resolves once `condition` holds (for what the page cannot show: a file, what PostgreSQL
 * received), looking again every 100 ms; gives up after half a step, as Playwright's waits do.
 */
export async function until(what: string, condition: () => boolean): Promise<void> {
  for (const started = Date.now(); !condition(); ) {
    if (Date.now() - started > STEP_TIMEOUT_MS / 2) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Opens the Workflow Phases view container from the activity bar (its two views: Phase Status and Definitions). */
export async function openWorkflowPhasesView(page: Page): Promise<void> {
  const sidebar = page.locator('.part.sidebar');
  if (!(await sidebar.locator('.pane-header', { hasText: 'Phase Status' }).isVisible())) {
    await page.locator('.activitybar .action-label[aria-label^="Workflow Phases"]').click();
  }
  await sidebar.locator('.pane-header', { hasText: 'Phase Status' }).waitFor();
  await sidebar.locator('.pane-header', { hasText: 'Definitions' }).waitFor();
}

/** The first row of the side bar's tree that holds `text`. */
export function row(page: Page, text: string | RegExp): Locator {
  return page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();
}

/** Moves the mouse where it shows no hover, so that no tooltip covers the next row to click. */
export async function rest(page: Page): Promise<void> {
  await page.mouse.move(25, 600);
}

/** Expands a tree row (rows are drawn again as the data changes: each try finds the row anew). */
export async function expand(page: Page, text: string | RegExp): Promise<void> {
  const expanded = page.locator('.part.sidebar .monaco-list-row[aria-expanded="true"]', { hasText: text }).first();
  for (let attempt = 0; attempt < 5 && !(await expanded.isVisible()); attempt++) {
    const r = row(page, text);
    await r.waitFor();
    if ((await r.getAttribute('aria-expanded')) === 'false') await r.locator('.monaco-tl-twistie').click();
    await expanded.waitFor({ timeout: 3000 }).catch(() => undefined);
  }
  await expanded.waitFor();
  await rest(page);
}

/** Drags the side bar's edge to the right, so that the descriptions of the tree fit. */
export async function widenSidebar(page: Page): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const edge = box.x + box.width + 1;
  await page.mouse.move(edge, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(edge + 260, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Runs a command from F1 by its full title ("Workflow Phases: Sync"), clicking exactly that row (recently used commands come first). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first().click();
}

/**
 * A notification, shown in the notification center: this workbench (the smoke-test driver's)
 * files notifications there without a toast.
 */
export async function notification(page: Page, text: string | RegExp): Promise<Locator> {
  await runCommand(page, 'Notifications: Show Notifications');
  const item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
  await item.waitFor();
  // A long message is shown folded: unfold it to read all of it.
  const unfold = item.locator('.codicon-notifications-expand');
  if (await unfold.isVisible()) await unfold.click();
  return item;
}

/** Picks the quick pick row holding `text` (typing it first filters the list). */
export async function pick(page: Page, text: string | RegExp, filter?: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  if (filter !== undefined) await input.fill(filter);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().click();
}

/** The error and warning counts of the Problems entry in the status bar, once any is non-zero. */
export async function nonZeroProblemCounts(page: Page): Promise<number[]> {
  const counts = await page.waitForFunction(() => {
    const dom = globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } | null } };
    // The entry shows "<errors> <warnings>" next to two icons.
    const text = dom.document.getElementById('status.problems')?.textContent ?? '';
    const numbers = (text.match(/\d+/g) ?? []).map(Number);
    return numbers.some((n) => n > 0) && numbers;
  });
  return (await counts.jsonValue()) || [];
}
