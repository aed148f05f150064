/**
 * The PostgreSQL password, as a user meets it: the workspace names a PostgreSQL that wants a
 * password (a proxy in front of the test server, test/helpers/password-proxy.ts), so the
 * language server asks and the extension shows a password input box; the typed password
 * connects and is kept in VS Code's secret storage (a server restart connects without
 * asking); a stored password that is refused makes the server ask again, and the prompt says
 * so; cancelling leaves the database disconnected with the reason and asks nothing more. The
 * password is then in no file of the workspace or of the profile (settings, logs, output).
 * Screenshots: test-output/e2e/ui/password/.
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { harnessInstalled } from '../../../scripts/e2e/harness';
import { startPasswordProxy, type PasswordProxy } from '../../helpers/password-proxy';
import { ADMIN_URL, createTestDatabase, type TestDatabase } from '../../helpers/postgres';
import { STEP_TIMEOUT_MS, notification, openWorkbench, runCommand, until, type UiSession } from './session';

/** A password nobody would type: it must never be found in a file. */
const SECRET = `ui-secret-${Math.random().toString(36).slice(2)}`;

/** Every file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile());
}

/** The password input box the extension shows when the server asks for the password. */
function prompt(page: Page, message: string): Locator {
  return page.locator('.quick-input-widget', { has: page.locator('.quick-input-title', { hasText: /^Workflow Phases: password for postgres@127\.0\.0\.1:\d+\// }) }).filter({ hasText: message });
}

/** Types into the open input box and presses Enter. */
async function answer(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.fill(text);
  await input.press('Enter');
}

/** Connect to PostgreSQL from the palette: the URL as it is (1/2), then `password` (2/2). */
async function connectWith(page: Page, password: string): Promise<void> {
  await runCommand(page, 'Workflow Phases: Connect to PostgreSQL');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Connect to PostgreSQL (1/2)' }).waitFor();
  await page.locator('.quick-input-widget input').press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Connect to PostgreSQL (2/2)' }).waitFor();
  await answer(page, password);
}

describe('the PostgreSQL password prompt', { skip: !harnessInstalled() && 'the e2e harness is not installed' }, () => {
  let database: TestDatabase | null = null;
  let proxy: PasswordProxy | undefined;
  let ui: UiSession | undefined;
  let hostPort = '';
  /** How many logins PostgreSQL had seen when the prompt was cancelled. */
  let attemptsAfterCancel = -1;
  /** The database status item, connected (its database icon) or disconnected. */
  let connectedItem: (page: Page) => Locator;
  let disconnectedItem: (page: Page) => Locator;

  before(async () => {
    database = await createTestDatabase('e2e_ui_password');
    if (!database) return;
    proxy = await startPasswordProxy(Number(new URL(ADMIN_URL).port || 5432), SECRET);
    const url = new URL(database.url);
    url.port = String(proxy.port);
    hostPort = `127.0.0.1:${proxy.port}`;
    connectedItem = (page) => page.locator('.statusbar-item', { has: page.locator('.codicon-database'), hasText: hostPort });
    disconnectedItem = (page) => page.locator('.statusbar-item', { hasText: `${hostPort}: disconnected` });
    ui = await openWorkbench('password', {
      firstFile: 'valid.phases.yaml',
      extraFiles: { '.vscode/settings.json': JSON.stringify({ 'workflowPhases.database.url': url.toString() }, null, 2) },
    });
  }, { timeout: 2 * STEP_TIMEOUT_MS });

  after(async () => {
    await ui?.close();
    await proxy?.close();
    await database?.drop();
  });

  /** The session, or a skip when there is no PostgreSQL to connect to. */
  const session = (t: TestContext): UiSession | undefined => {
    if (!ui) t.skip('no PostgreSQL');
    return ui;
  };

  test('the server asks for the password in a password box; the typed one connects and is kept in the secret storage', { timeout: 2 * STEP_TIMEOUT_MS }, async (t) => {
    const s = session(t);
    if (!s) return;
    const { page } = s;
    await s.step('password-prompt', async () => {
      await prompt(page, 'PostgreSQL asks for a password').waitFor();
      assert.equal(await page.locator('.quick-input-widget input').getAttribute('type'), 'password', 'the input box hides what is typed');
      await page.locator('.quick-input-widget input').fill(SECRET);
    });
    await s.step('password-connected', async () => {
      await page.locator('.quick-input-widget input').press('Enter');
      await connectedItem(page).waitFor();
      assert.ok(proxy!.attempts.includes(SECRET), 'PostgreSQL received the typed password');
    });
    await s.step('password-kept', async () => {
      // A new server process asks again: the extension answers from the secret storage, nobody types.
      const before = proxy!.attempts.length;
      await runCommand(page, 'Workflow Phases: Restart Language Server');
      await until('the restarted server to log in', () => proxy!.attempts.length > before);
      assert.deepEqual(proxy!.attempts.slice(before, before + 1), [SECRET], 'the restarted server logged in with the stored password');
      await connectedItem(page).waitFor();
      assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'nothing was asked');
    });
  });

  test('a stored password that is refused makes the server ask again, and the prompt says so', { timeout: 2 * STEP_TIMEOUT_MS }, async (t) => {
    const s = session(t);
    if (!s) return;
    const { page } = s;
    await s.step('wrong-password-asked-again', async () => {
      await connectWith(page, 'not the password');
      await prompt(page, 'The stored password was refused. Enter the current one').waitFor();
    });
    await s.step('asked-again-connected', async () => {
      const before = proxy!.attempts.length;
      await answer(page, SECRET);
      await until('the typed password to reach PostgreSQL', () => proxy!.attempts.slice(before).includes(SECRET));
      await connectedItem(page).waitFor();
      assert.deepEqual(proxy!.attempts.slice(before - 1, before + 1), ['not the password', SECRET], 'the refused password, then the one typed at the prompt');
    });
  });

  test('cancelling the prompt leaves the database disconnected with the reason, and nothing asks again', { timeout: 2 * STEP_TIMEOUT_MS }, async (t) => {
    const s = session(t);
    if (!s) return;
    const { page } = s;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await s.step('cancelled-disconnected', async () => {
      await connectWith(page, 'not the password');
      await prompt(page, 'The stored password was refused').waitFor();
      await page.locator('.quick-input-widget input').press('Escape');
      await disconnectedItem(page).waitFor();
      const item = await notification(page, `cannot connect to ${hostPort}`);
      const text = (await item.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ');
      assert.match(text, /refused user 'postgres': wrong password or not allowed \(28P01\)/, 'the message gives the reason');
      assert.doesNotMatch(text, /keeps trying/, 'the message does not promise a retry the server will not make');
      assert.match(text, /Connect to PostgreSQL again/, 'the message says what to do');
    });
    await s.step('disconnected-reason', async () => {
      await runCommand(page, 'Notifications: Clear All Notifications');
      await disconnectedItem(page).hover();
      const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Disconnected' }).first();
      await hover.waitFor();
      const text = await hover.innerText();
      assert.match(text, /wrong password or not allowed \(28P01\)/, 'the tooltip gives the reason');
      assert.doesNotMatch(text, /Next attempt/, 'no attempt is scheduled: the server waits for a new password');
      assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'the password is not asked again');
      attemptsAfterCancel = proxy!.attempts.length;
    });
  });

  test('the password is in no settings file, log or output', { timeout: STEP_TIMEOUT_MS }, async (t) => {
    const s = session(t);
    if (!s) return;
    const { page } = s;
    await s.step('output-without-password', async () => {
      await page.mouse.move(25, 600);
      await runCommand(page, 'Workflow Phases: Show Output');
      const output = page.locator('.part.panel .view-lines');
      await output.filter({ hasText: /Database:\s+disconnected/ }).waitFor();
      assert.ok(!(await output.innerText()).includes(SECRET), 'the Output view does not show the password');
    });
    const files = [...filesUnder(s.workspace), ...filesUnder(s.profile)];
    const settings = files.filter((f) => f.endsWith('settings.json'));
    // The search must look where the extension writes: its log (the server's log included) and both settings files.
    assert.ok(files.some((f) => f.endsWith('.log') && /Database: connected/.test(readFileSync(f, 'utf8'))), 'the extension\'s log is among the files searched');
    assert.ok(settings.some((f) => /workflowPhases\.database\.url/.test(readFileSync(f, 'utf8'))), `the workspace settings are searched (${settings.join(', ')})`);
    assert.ok(settings.length >= 2, `the user settings are searched too (${settings.join(', ')})`);
    for (const file of files) assert.ok(!readFileSync(file).includes(SECRET), `${file} does not contain the password`);
    // Since the cancel (the steps above took seconds): no prompt, and no login tried.
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'still nothing asks for the password');
    assert.equal(proxy!.attempts.length, attemptsAfterCancel, 'the server tried no login after the cancel');
  });
});
