/**
 * How a status looks in the tree: a codicon and a theme colour. Colour is never the only
 * signal: the status is always in words too (format/node-text.ts).
 */
import * as vscode from 'vscode';
import type { ActivityStatusName, PhaseStatusName } from '../../schemas/lsp-protocol';
import { totalsStatus } from '../format/node-text';

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

/** The icon of an instance or cycle from its totals (blocked, overdue, completed, in progress, not started), agreeing with its words. */
export function totalsIcon(totals: Parameters<typeof totalsStatus>[0]): vscode.ThemeIcon {
  const status = totalsStatus(totals);
  return status === 'OVERDUE' ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.red')) : statusIcon(status);
}
