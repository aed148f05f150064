/** Text and JSON output of a sync plan, shared by `phasectl plan`, `sync` and `init`. */
import { planToJson } from '../db/sync/plan-json';
import type { SyncResult } from '../db/sync/sync';
import type { Change, InstancePlan } from '../db/sync/types';

const show = (v: unknown): string => (v === null || v === undefined ? '(none)' : JSON.stringify(v));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function changeLine(c: Change, createdPhases: ReadonlySet<string>, activitiesOf: (phase: string) => number): string | null {
  if (c.entity === 'instance') return '  + instance';
  if (c.entity === 'phase') {
    if (c.action === 'create') return `  + phase ${c.phase} (${plural(activitiesOf(c.phase), 'activity').replace('activitys', 'activities')})`;
    if (c.action === 'delete') return `  - phase ${c.phase} (phase_id ${c.phaseId})`;
    return `  ~ phase ${c.phase}: ${Object.entries(c.fields).map(([f, v]) => `${f} ${show(v.from)} -> ${show(v.to)}`).join(', ')}`;
  }
  // The activities of a new phase are counted on the phase's line.
  if (c.action === 'create') return createdPhases.has(c.phase) ? null : `  + activity ${c.phase}.${c.activity}`;
  if (c.action === 'delete') return `  - activity ${c.phase}.${c.activity} (activity_id ${c.activityId})`;
  return `  ~ activity ${c.phase}.${c.activity}: ${Object.entries(c.fields).map(([f, v]) => `${f} ${show(v.from)} -> ${show(v.to)}`).join(', ')}`;
}

function instanceText(p: InstancePlan): string[] {
  const createdPhases = new Set(p.changes.flatMap((c) => (c.entity === 'phase' && c.action === 'create' ? [c.phase] : [])));
  const activitiesOf = (phase: string) => p.changes.filter((c) => c.entity === 'activity' && c.action === 'create' && c.phase === phase).length;
  const lines = [`${p.instance.cycle} / ${p.instance.report} (workflow ${p.workflow})`];
  const body = p.changes.map((c) => changeLine(c, createdPhases, activitiesOf)).filter((l): l is string => l !== null);
  lines.push(...(body.length > 0 ? body : ['  up to date']));
  for (const r of p.refused) lines.push(`  ! refused: ${r.message}`);
  return lines;
}

/** The plan as text: per instance what changes, then a summary line. `verb` is "to create" or "created". */
export function formatPlanText(result: SyncResult, applied: boolean): string {
  const lines: string[] = [];
  for (const name of result.unchanged) lines.push(`${name}: unchanged since the last sync (same content hash), nothing to do`);
  for (const p of result.plan.instances) lines.push(...instanceText(p));
  const s = result.plan.summary;
  const tense = applied ? ['created', 'updated', 'deleted'] : ['to create', 'to update', 'to delete'];
  lines.push(`Summary: ${s.create} ${tense[0]}, ${s.update} ${tense[1]}, ${s.delete} ${tense[2]}, ${s.refused} refused.`);
  return `${lines.join('\n')}\n`;
}

/** The plan as JSON: `{instances, summary}` plus `applied`, `unchanged` and (with --create-missing) `created`. */
export function formatPlanJson(result: SyncResult, applied: boolean): string {
  const created = (result.created ?? []).map((c) => ({ kind: c.kind, name: c.name, id: c.id }));
  return `${JSON.stringify({ ...planToJson(result.plan), applied, unchanged: result.unchanged, ...(created.length > 0 ? { created } : {}) }, null, 2)}\n`;
}
