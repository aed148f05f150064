/**
 * How a status looks in the tree: a codicon and a theme colour. Colour is never the only
 * signal: the status is always in words too (format/node-text.ts).
 */
import * as vscode from 'vscode';
import type { ActivityStatusName, PhaseStatusName } from '../../schemas/lsp-protocol';

/** A phase or activity status. */
export type StatusName = PhaseStatusName | ActivityStatusName;

interface StatusStyle {
  readonly icon: string;
  readonly color: string;
}

const STYLES: Record<StatusName, StatusStyle> = {
  NOT_STARTED: { icon: 'circle-large-outline', color: 'disabledForeground' },
  IN_PROGRESS: { icon: 'play-circle', color: 'charts.yellow' },
  COMPLETED: { icon: 'pass-filled', color: 'charts.green' },
  SKIPPED: { icon: 'debug-step-over', color: 'disabledForeground' },
  BLOCKED: { icon: 'error', color: 'charts.red' },
  REVISION_REQUESTED: { icon: 'discard', color: 'charts.orange' },
};


/** The coloured icon of a status. */
export function statusIcon(status: string): vscode.ThemeIcon {
  const style = (STYLES as Record<string, StatusStyle | undefined>)[status];
  return style ? new vscode.ThemeIcon(style.icon, new vscode.ThemeColor(style.color)) : new vscode.ThemeIcon('circle-outline');
}

/** The icon of an instance or cycle from its totals: blocked, overdue, in progress, done, or not started. */
export function totalsIcon(totals: { blocked: number; overdue: number; inProgress: number; done?: number; total?: number }): vscode.ThemeIcon {
  if (totals.blocked > 0) return statusIcon('BLOCKED');
  if (totals.overdue > 0) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.red'));
  if (totals.done !== undefined && totals.total !== undefined && totals.total > 0 && totals.done === totals.total) return statusIcon('COMPLETED');
  if (totals.inProgress > 0) return statusIcon('IN_PROGRESS');
  return statusIcon('NOT_STARTED');
}
