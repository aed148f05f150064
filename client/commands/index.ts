/**
 * Every command of the extension, by id (declared with titles and menus in package.json),
 * as factories over the extension's parts so that each works whatever state the language
 * server is in. Registrations are owned by the extension bucket.
 */
import * as vscode from 'vscode';
import type { InstanceFilter } from '../../schemas/lsp-protocol';
import { REVEAL_PHASE_COMMAND } from '../../schemas/lsp-protocol';
import type { Ctx } from '../ctx';
import type { MoreNode } from '../tree/nodes';
import type { PhaseTree } from '../tree/view';
import { chooseDatabaseCommand, connectPostgresCommand, useEmbeddedCommand } from './database';
import { nodeDocumentCommand, type LiveDocuments } from './documents';
import { showLiveError } from './errors';
import { migrateLegacyCommand } from './migrate-legacy';
import { revealDefinitionCommand, revealInTreeCommand, revealPhaseCommand } from './reveal';
import { createInstancesCommand, previewSyncCommand, syncCommand } from './sync';
import { newDefinitionFileCommand } from './template';
import { changeStatusCommand, transitionCommand } from './transitions';

/** What the commands work with. */
export interface CommandParts {
  readonly ctx: Ctx;
  readonly tree: PhaseTree;
  readonly docs: LiveDocuments;
}

type Command = (...args: never[]) => unknown;

const filterCommand = (tree: PhaseTree, filter: InstanceFilter) => () => tree.setFilter(filter);

/** Every command, by id. */
export function commands({ ctx, tree, docs }: CommandParts): Record<string, Command> {
  return {
    'workflowPhases.startPhase': transitionCommand(ctx, tree, 'phase', 'start'),
    'workflowPhases.completePhase': transitionCommand(ctx, tree, 'phase', 'complete'),
    'workflowPhases.reopenPhase': transitionCommand(ctx, tree, 'phase', 'reopen'),
    'workflowPhases.skipPhase': transitionCommand(ctx, tree, 'phase', 'skip'),
    'workflowPhases.startActivity': transitionCommand(ctx, tree, 'activity', 'start'),
    'workflowPhases.completeActivity': transitionCommand(ctx, tree, 'activity', 'complete'),
    'workflowPhases.blockActivity': transitionCommand(ctx, tree, 'activity', 'block'),
    'workflowPhases.unblockActivity': transitionCommand(ctx, tree, 'activity', 'unblock'),
    'workflowPhases.skipActivity': transitionCommand(ctx, tree, 'activity', 'skip'),
    'workflowPhases.requestRevision': transitionCommand(ctx, tree, 'activity', 'request-revision'),
    'workflowPhases.changeStatus': changeStatusCommand(ctx, tree),
    'workflowPhases.explain': nodeDocumentCommand(ctx, tree, docs, 'explain'),
    'workflowPhases.showHistory': nodeDocumentCommand(ctx, tree, docs, 'history'),
    'workflowPhases.previewSync': previewSyncCommand(ctx, docs),
    'workflowPhases.sync': syncCommand(ctx, docs),
    'workflowPhases.createInstances': createInstancesCommand(ctx, docs),
    'workflowPhases.migrateLegacy': migrateLegacyCommand(ctx, docs),
    'workflowPhases.connectPostgres': connectPostgresCommand(ctx),
    'workflowPhases.useEmbedded': useEmbeddedCommand(ctx),
    'workflowPhases.chooseDatabase': chooseDatabaseCommand(ctx),
    'workflowPhases.refresh': () => tree.refresh(),
    'workflowPhases.revealDefinition': revealDefinitionCommand(ctx, tree),
    'workflowPhases.revealInTree': revealInTreeCommand(ctx, tree),
    [REVEAL_PHASE_COMMAND]: revealPhaseCommand(ctx, tree),
    'workflowPhases.newDefinitionFile': newDefinitionFileCommand(),
    'workflowPhases.filterAll': filterCommand(tree, 'all'),
    'workflowPhases.filterInProgress': filterCommand(tree, 'in-progress'),
    'workflowPhases.filterBlocked': filterCommand(tree, 'blocked'),
    'workflowPhases.filterMine': filterCommand(tree, 'mine'),
    'workflowPhases.loadMore': async (node?: MoreNode) => {
      if (node?.kind !== 'more') return;
      await tree.store.loadMore(node.cycleId).catch((error: unknown) => showLiveError(ctx, 'Load More', error));
    },
    'workflowPhases.restartServer': async () => {
      try {
        await ctx.restart();
        void vscode.window.showInformationMessage('Workflow Phases: language server restarted.');
      } catch (error) {
        void vscode.window.showErrorMessage(`Workflow Phases: the language server did not restart: ${String(error)}`);
      }
    },
    'workflowPhases.showOutput': () => ctx.output.show(true),
  };
}

/** Registers every command; each registration is owned by the extension bucket. */
export function registerCommands(parts: CommandParts): void {
  for (const [id, handler] of Object.entries(commands(parts))) {
    parts.ctx.pushExtCleanup(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));
  }
}
