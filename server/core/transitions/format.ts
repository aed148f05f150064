/** Plain-text renderings of explanations, shared by the CLI and the editor. */
import type { Explanation, Guard } from './types';

const MARK: Readonly<Record<Guard['result'], string>> = { pass: '✔', fail: '✘', unchecked: '–' };

/** One guard as a line: "✘ scoping: required activity `owner_approval` is IN_PROGRESS". */
export function formatGuard(guard: Guard): string {
  return `${MARK[guard.result]} ${guard.message}`;
}

/** The verdict line: "allowed: phase scoping NOT_STARTED -> IN_PROGRESS". */
export function formatVerdict(e: Explanation): string {
  const move = e.from === null ? '' : e.from === e.to ? ` (${e.verdict === 'unchanged' ? 'already' : 'now'} ${e.from})` : ` (${e.from} -> ${e.to})`;
  switch (e.verdict) {
    case 'allowed': return `allowed: ${e.title}${move}`;
    case 'unchanged': return `unchanged: ${e.title}${move}`;
    case 'refused': {
      const unmet = e.guards.filter((g) => g.result === 'fail').length;
      return `refused: ${e.title}${move}: ${unmet} unmet condition${unmet === 1 ? '' : 's'}`;
    }
  }
}

/** A whole explanation: the verdict, every guard, the changes it makes, and notes. `onlyUnmet` lists failed guards only. */
export function formatExplanation(e: Explanation, options: { onlyUnmet?: boolean } = {}): string {
  const lines = [formatVerdict(e)];
  for (const g of e.guards) if (!options.onlyUnmet || g.result === 'fail') lines.push(`  ${formatGuard(g)}`);
  for (const c of e.changes) lines.push(`  -> ${c.entity === 'phase' ? `phase ${c.phase}` : `${c.phase}/${c.activity}`}: ${c.from} -> ${c.to}`);
  for (const n of e.notes) lines.push(`  note: ${n}`);
  return lines.join('\n') + '\n';
}
