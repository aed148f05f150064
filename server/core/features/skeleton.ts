/** The text of a new phase: the snippet of completion and the insert of the missing-phase fix. */
import { standardPhase } from '../model';

/**
 * A complete phase list item with START, one TASK and COMPLETE. The first line starts
 * with `- `; every following line is indented by `indent` spaces plus its own depth.
 * With `snippet`, the task name and role are tab stops (LSP snippet syntax).
 */
export function phaseSkeleton(name: string, indent: number, snippet: boolean): string {
  const pad = ' '.repeat(indent);
  const title = standardPhase(name)?.title;
  const task = snippet ? '${1:do_work}' : `${name}_task`;
  const role = snippet ? '${2:tester}' : 'tester';
  const lines = [
    `- name: ${name}`,
    ...(title ? [`${pad}  title: ${title}`] : []),
    `${pad}  activities:`,
    `${pad}    - {name: start_${name}, type: START}`,
    `${pad}    - {name: ${task}, type: TASK, role: ${role}}`,
    `${pad}    - {name: complete_${name}, type: COMPLETE}`,
  ];
  return lines.join('\n');
}
