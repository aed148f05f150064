/**
 * The live phase status, driven like a user in the real workbench: the Phase Status view's
 * welcome without a database, "Use Embedded Database", the welcome of an empty database,
 * "Create Instances" (creating the cycles and reports `applies_to` names), the tree with
 * live statuses after transitions from the tree's inline actions, the palette walking
 * instance -> phase -> transition, a refusal, the sync preview and the status bar item.
 * Screenshots: test-output/e2e/ui/live/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { harnessInstalled } from '../../../scripts/e2e/harness';
import { STEP_TIMEOUT_MS, expand, notification, openWorkbench, openWorkflowPhasesView, pick, rest, row, runCommand, widenSidebar, type UiSession } from './session';

const welcome = (page: Page, text: string): Locator => page.locator('.part.sidebar .welcome-view-content', { hasText: text }).first();

/** Runs an inline action of a tree row (hovering shows them). */
async function inline(page: Page, text: string | RegExp, action: string): Promise<void> {
  const r = row(page, text);
  await r.hover();
  await r.locator(`.action-label[aria-label="${action}"]`).click();
  await rest(page);
}

describe('the live phase status on the embedded database', { skip: !harnessInstalled() && 'the e2e harness is not installed' }, () => {
  let ui: UiSession;

  before(async () => {
    ui = await openWorkbench('live', { firstFile: 'valid.phases.yaml' });
  }, { timeout: 2 * STEP_TIMEOUT_MS });

  after(async () => {
    await ui?.close();
  });

  test('without a database, the Phase Status view offers the embedded one or PostgreSQL', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('welcome-no-database', async () => {
      await ui.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'valid.phases.yaml' }).click();
      await openWorkflowPhasesView(ui.page);
      await widenSidebar(ui.page);
      await welcome(ui.page, 'No database yet').waitFor();
      await welcome(ui.page, 'No database yet').locator('.monaco-button', { hasText: 'Connect to PostgreSQL' }).waitFor();
    });
  });

  test('"Use Embedded Database" creates it in the workspace; the empty database offers Create Instances', { timeout: STEP_TIMEOUT_MS }, async () => {
    await ui.step('welcome-empty-database', async () => {
      await welcome(ui.page, 'No database yet').locator('.monaco-button', { hasText: 'Use Embedded Database' }).click();
      await welcome(ui.page, 'no workflow instances yet').waitFor();
      assert.ok(existsSync(join(ui.workspace, '.workflow-phases')), 'the embedded database is in the workspace');
    });
  });

  test('"Create Instances" asks before creating the missing cycle and reports, then the tree lists them', { timeout: STEP_TIMEOUT_MS }, async () => {
    const { page } = ui;
    await ui.step('create-instances-confirm', async () => {
      await welcome(page, 'no workflow instances yet').locator('.monaco-button', { hasText: 'Create Instances' }).click();
      await page.locator('.monaco-dialog-box', { hasText: '2026-Q4' }).waitFor();
    });
    await ui.step('tree-instances', async () => {
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Create Them' }).click();
      await expand(page, '2026-Q4');
      await row(page, /FR-Y-14Q.*not started · 0\/9 phases/).waitFor();
      await row(page, 'FR-2052a').waitFor();
    });
  });

  test('the tree shows live statuses after transitions from its inline actions', { timeout: STEP_TIMEOUT_MS }, async () => {
    const { page } = ui;
    await ui.step('tree-inline-actions', async () => {
      await expand(page, 'FR-Y-14Q');
      await inline(page, /^planning/, 'Start Phase');
      await row(page, /planning.*in progress · 0\/3/).waitFor();
      await expand(page, /^planning/);
      // START is a marker: starting the phase completed it (issue 12), so the work starts at once.
      await row(page, /start_planning.*completed/).waitFor();
      await inline(page, /^load_attributes/, 'Start Activity');
      await row(page, /load_attributes.*in progress/).waitFor();
    });
    await ui.step('context-menu-legal-transitions', async () => {
      // The context menu offers exactly what the server allows on an activity in progress.
      await row(page, /^load_attributes/).click({ button: 'right' });
      const menu = page.locator('.context-view .monaco-menu');
      await menu.locator('.action-label', { hasText: 'Block Activity' }).waitFor();
      const items = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      assert.deepEqual(items.slice(0, 2), ['Complete Activity', 'Block Activity'], `the transitions offered: ${items.join(', ')}`);
      for (const absent of ['Start Activity', 'Unblock Activity', 'Skip Activity', 'Request Revision']) assert.ok(!items.includes(absent), `${absent} is not offered`);
    });
    await ui.step('block-reason', async () => {
      // A menu ignores a click in its first moments; the click is repeated until the reason is asked.
      const input = page.locator('.quick-input-widget input');
      for (let attempt = 0; attempt < 5 && !(await input.isVisible()); attempt++) {
        await page.locator('.context-view .action-label', { hasText: 'Block Activity' }).click({ timeout: 3000 }).catch(() => undefined);
        await input.waitFor({ timeout: 2000 }).catch(() => undefined);
      }
      await input.waitFor();
      await input.fill('waiting for the CDO extract');
    });
    await ui.step('tree-live-statuses', async () => {
      await page.keyboard.press('Enter');
      await row(page, /load_attributes.*blocked: waiting for the CDO extract/).waitFor();
      await row(page, /FR-Y-14Q.*blocked/).waitFor();
      // The cycle's totals follow from the change feed.
      await row(page, /2026-Q4.*1 blocked/).waitFor();
    });
  });

  test('the palette walks instance -> phase -> transition', { timeout: STEP_TIMEOUT_MS }, async () => {
    const { page } = ui;
    await ui.step('palette-instance', async () => {
      // Nothing selected in the tree (Escape clears the selection), so the command asks for everything.
      await row(page, /^FR-2052a/).click();
      await page.keyboard.press('Escape');
      await runCommand(page, 'Workflow Phases: Change Status…');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: '2026-Q4 · FR-2052a' }).waitFor();
      await page.locator('.quick-input-widget input').fill('2052');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: '2026-Q4 · FR-Y-14Q' }).waitFor({ state: 'hidden' });
    });
    await ui.step('palette-phase', async () => {
      await pick(page, '2026-Q4 · FR-2052a');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'phase planning' }).waitFor();
    });
    await ui.step('palette-transition', async () => {
      await pick(page, 'phase planning');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'start phase' }).waitFor();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'not possible' }).first().waitFor();
    });
    await ui.step('palette-done', async () => {
      await pick(page, /start phase .planning./);
      await expand(page, 'FR-2052a');
      await row(page, /FR-2052a.*in progress/).waitFor();
    });
  });

  test('a refused transition says every unmet condition', { timeout: STEP_TIMEOUT_MS }, async () => {
    const { page } = ui;
    await ui.step('refusal-in-palette', async () => {
      await row(page, /^FR-2052a/).click();
      await page.keyboard.press('Escape');
      await runCommand(page, 'Workflow Phases: Complete Phase');
      await pick(page, '2026-Q4 · FR-Y-14Q', 'FR-Y-14Q');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: /planning.*not possible/ }).waitFor();
    });
    await ui.step('refusal', async () => {
      await pick(page, /planning.*not possible/);
      const item = await notification(page, /cannot complete phase \W?planning/);
      await item.locator('.notification-list-item-message', { hasText: /load_attributes. is BLOCKED/ }).waitFor();
    });
  });

  test('Preview Sync shows creations, updates, deletions and refusals; Sync asks first and writes nothing refused', { timeout: STEP_TIMEOUT_MS }, async () => {
    const { page } = ui;
    await runCommand(page, 'Notifications: Clear All Notifications');
    // The definition changes on disk: planning's SLA (an update), review_planning removed (a
    // deletion), load_attributes removed (refused where it is BLOCKED), a new scoping task (a creation).
    const file = join(ui.workspace, 'valid.phases.yaml');
    const text = readFileSync(file, 'utf8')
      .replace(/(- name: planning\n(?:.*\n)*?\s+sla_hours: )72/, '$196')
      .replace(/ *- \{name: review_planning, .*\n/, '')
      .replace(/ *- \{name: load_attributes, .*\n/, '')
      .replace(/( *)- \{name: start_scoping, type: START\}\n/, '$&$1- {name: check_sources, type: TASK, role: tester}\n');
    writeFileSync(file, text);
    await ui.step('sync-preview', async () => {
      await runCommand(page, 'Workflow Phases: Preview Sync');
      const editor = page.locator('.editor-instance .view-lines');
      await editor.filter({ hasText: 'Sync preview' }).waitFor();
      await editor.filter({ hasText: 'Refused' }).waitFor();
      await editor.filter({ hasText: 'Delete' }).waitFor();
      await editor.filter({ hasText: 'check_sources' }).waitFor();
    });
    await ui.step('sync-refused-asks', async () => {
      await runCommand(page, 'Workflow Phases: Sync');
      await page.locator('.monaco-dialog-box', { hasText: 'would lose progress' }).waitFor();
    });
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Cancel' }).click();
    await page.locator('.monaco-dialog-box').waitFor({ state: 'hidden' });
    // Nothing was written: the blocked activity is still in the tree.
    await row(page, /load_attributes.*blocked/).waitFor();
  });

  test('the status bar names the database; clicking it offers PostgreSQL or the embedded one', { timeout: STEP_TIMEOUT_MS }, async () => {
    const { page } = ui;
    await ui.step('status-bar', async () => {
      const item = page.locator('.statusbar-item', { hasText: 'embedded' }).first();
      await item.waitFor();
      await item.click();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Connect to PostgreSQL' }).waitFor();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Use Embedded Database' }).waitFor();
    });
    await page.keyboard.press('Escape');
  });

  test('the CodeLens above a phase reveals it in the tree, asking which instance', { timeout: STEP_TIMEOUT_MS }, async () => {
    const { page } = ui;
    await ui.step('codelens', async () => {
      const quickInput = page.locator('.quick-input-widget');
      for (let i = 0; i < 3 && (await quickInput.isVisible()); i++) await page.keyboard.press('Escape');
      await page.locator('.tabs-container .tab', { hasText: 'valid.phases.yaml' }).click();
      await page.locator('.editor-instance .codelens-decoration a', { hasText: /1 in progress · 1 blocked/ }).first().waitFor();
    });
    await ui.step('codelens-reveal', async () => {
      await page.locator('.editor-instance .codelens-decoration a', { hasText: /1 in progress · 1 blocked/ }).first().click();
      await pick(page, '2026-Q4 · FR-2052a');
      await page.locator('.part.sidebar .monaco-list-row[aria-selected="true"]', { hasText: /^planning/ }).waitFor();
    });
  });

  test('"Reveal in Phase Tree" from the editor selects the activity under the cursor', { timeout: STEP_TIMEOUT_MS }, async () => {
    const { page } = ui;
    await ui.step('reveal-in-tree', async () => {
      // A right click puts the cursor there, then opens the menu.
      await page.locator('.editor-instance .view-line span', { hasText: 'approve_planning' }).first().click({ button: 'right' });
      const item = page.locator('.context-view .action-label', { hasText: 'Reveal in Phase Tree' });
      const quickInput = page.locator('.quick-input-widget');
      // A menu ignores a click in its first moments; the click is repeated until the instance is asked.
      for (let attempt = 0; attempt < 5 && !(await quickInput.isVisible()); attempt++) {
        await item.click({ timeout: 3000 }).catch(() => undefined);
        await quickInput.waitFor({ timeout: 2000 }).catch(() => undefined);
      }
      await pick(page, '2026-Q4 · FR-Y-14Q');
      await page.locator('.part.sidebar .monaco-list-row[aria-selected="true"]', { hasText: /^approve_planning/ }).waitFor();
    });
  });
});
