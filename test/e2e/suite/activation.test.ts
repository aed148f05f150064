/** The extension activates on a definition file and brings its commands and view container. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, openWorkspaceFile, waitFor } from './helpers';

describe('activation', () => {
  it('is active once a definition file is open', async () => {
    const editor = await openWorkspaceFile('valid.phases.yaml');
    assert.equal(editor.document.languageId, 'yaml');
    const ext = extension();
    await waitFor('the extension to activate', () => ext.isActive);
    assert.ok(ext.exports, 'activate() returns the extension API');
  });

  it('declares its activation on *.phases.yaml and *.phases.yml', () => {
    const events = extension().packageJSON.activationEvents as string[];
    assert.ok(events.includes('workspaceContains:**/*.phases.yaml'));
    assert.ok(events.includes('workspaceContains:**/*.phases.yml'));
  });

  it('registers every command package.json declares', async () => {
    const commands = await vscode.commands.getCommands(true);
    const declared = (extension().packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(declared.length >= 30, `package.json declares the commands (${declared.length})`);
    for (const id of declared) assert.ok(commands.includes(id), `command ${id} is registered`);
  });

  it('reports how long activation took', () => {
    const ms = extension().exports.activationMs;
    assert.ok(ms > 0);
    console.log(`      activation took ${ms} ms (the language server starts in the background)`);
  });

  it('runs "Workflow Phases: Show Output"', async () => {
    await vscode.commands.executeCommand('workflowPhases.showOutput');
  });

  it('opens its view container and view', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.workflowPhases');
    await vscode.commands.executeCommand('workflowPhases.definitions.focus');
    await vscode.commands.executeCommand('workflowPhases.phaseStatus.focus');
  });
});
