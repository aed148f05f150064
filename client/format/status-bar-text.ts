/** The words of the status bar item (no editor API: unit-tested). */
import type { DatabaseStatusParams } from '../../schemas/lsp-protocol';
import { md } from './node-text';

/** The item's text and tooltip for a database status (undefined: the server is not running). */
export function statusBarText(status: DatabaseStatusParams | undefined, trusted: boolean): { text: string; tooltip: string; warning: boolean } {
  if (!trusted) return { text: '$(shield) Phases: no database', tooltip: 'Restricted Mode: definition files are validated, nothing connects to a database.', warning: false };
  if (!status) return { text: '$(database) Phases: …', tooltip: 'The language server is starting.', warning: false };
  const user = status.user ? (status.user.id !== null ? status.user.name : 'no user') : '';
  const userLine = status.user
    ? status.user.id !== null
      ? `Acting user: **${md(status.user.name)}**${status.user.role ? ` (${md(status.user.role)})` : ''}, from ${status.user.source === 'setting' ? 'the `workflowPhases.user` setting' : '`git config user.email`'}`
      : `No acting user${status.user.problem ? `: ${md(status.user.problem)}` : ''} (set \`workflowPhases.user\`)`
    : '';
  const click = 'Click to connect to PostgreSQL or use the embedded database.';
  switch (status.state) {
    case 'connected':
      return { text: `$(database) ${status.label}${user ? ` · ${user}` : ''}`, tooltip: [`**Workflow Phases database:** ${md(status.description)}`, userLine, click].filter(Boolean).join('\n\n'), warning: false };
    case 'connecting':
      return { text: `$(sync~spin) ${status.label}`, tooltip: `Connecting to ${md(status.description)}…\n\n${click}`, warning: false };
    case 'disconnected':
      return {
        text: `$(debug-disconnect) ${status.label}: disconnected`,
        tooltip: [`**Disconnected** from ${md(status.description)}: ${md(status.reason ?? 'unknown reason')}`, status.retryInMs !== undefined ? `Next attempt in ${Math.max(1, Math.round(status.retryInMs / 1000))} s.` : '', click].filter(Boolean).join('\n\n'),
        warning: true,
      };
    case 'none':
      return { text: '$(database) Phases: no database', tooltip: `${status.reason ? `${md(status.reason)}\n\n` : ''}${click}`, warning: false };
  }
}
