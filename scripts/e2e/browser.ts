/**
 * Headless Debian Chromium driven by playwright-core, with the flags that work as root on
 * these machines. The browser runs in its own process group, recorded for the reaper.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM } from './harness';
import { recordProcessGroup, signalGroup, waitForGroupExit } from './processes';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A launched browser with one page of a fixed, screenshot-friendly size. */
export interface BrowserSession {
  readonly browser: Browser;
  readonly page: Page;
  close(): Promise<void>;
}

/** Launches Chromium (a fresh, empty profile) and opens one page. */
export async function launchBrowser(): Promise<BrowserSession> {
  // launchServer rather than launch: it exposes the browser's process, to record its group.
  const server = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const pgid = server.process().pid;
  recordProcessGroup(pgid, 'chromium');
  const browser = await chromium.connect(server.wsEndpoint()).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  return {
    browser,
    page,
    async close() {
      await browser.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      // Chromium's helper processes can outlive the close by a moment; the group must be gone.
      if (pgid && !(await waitForGroupExit(pgid, 5_000))) signalGroup(pgid, 'SIGKILL');
    },
  };
}
