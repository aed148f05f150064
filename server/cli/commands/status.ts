/** `phasectl status`: where every (cycle, report) stands, phase by phase. */
import { isMarker } from '../../core/index';
import { CliError, EXIT, UsageError } from '../command';
import type { Command } from '../command';
import { DATABASE_OPTIONS, DATABASE_USAGE, withCliDatabase } from '../database-option';
import { readStatus } from '../../db/status';
import type { InstanceStatus } from '../../db/status';

/** The status table of some instances, as text. */
export function formatStatusText(instances: readonly InstanceStatus[]): string {
  if (instances.length === 0) return 'No workflow instances yet: run `phasectl sync` or `phasectl init`.\n';
  const lines: string[] = [];
  for (const i of instances) {
    lines.push(`${i.cycle} / ${i.report}${i.workflow ? ` — workflow ${i.workflow}` : ''}`);
    const rows = i.phases.map((p) => {
      // Required work: the START and COMPLETE markers move with the phase and are not counted.
      const required = p.activities.filter((a) => a.required && !isMarker(a.type));
      const done = required.filter((a) => a.status === 'COMPLETED').length;
      const attention = p.activities.filter((a) => a.status === 'BLOCKED' || a.status === 'REVISION_REQUESTED').map((a) => `${a.name} ${a.status}`);
      return [String(p.order), p.name, p.status, p.risk_level ?? '-', `${done}/${required.length}`, attention.join(', ')];
    });
    const header = ['#', 'phase', 'status', 'risk', 'required done', 'attention'];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    for (const r of [header, ...rows]) lines.push(`  ${r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

/** The command. */
export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the phases and activities of each (cycle, report)',
  usage: `Usage: phasectl status [--cycle <id|name>] [--report <id|name>] [--format text|json] [--db <target>]

${DATABASE_USAGE}
Exit codes: 0 shown, 2 usage error, unknown cycle/report, no database or database error.`,
  options: { cycle: { type: 'string' }, report: { type: 'string' }, format: { type: 'string', short: 'f', default: 'text' }, ...DATABASE_OPTIONS },
  async run(args, io) {
    const { cycle, report, format } = args.values;
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${String(format)}' (use text or json)`);
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    return withCliDatabase(args, io, async (db) => {
      const status = await readStatus(db, { cycle: typeof cycle === 'string' ? cycle : undefined, report: typeof report === 'string' ? report : undefined });
      if (status.unknown.length > 0) {
        throw new CliError(status.unknown.map((u) => `${u.kind === 'cycle' ? 'test cycle' : 'report'} '${u.value}' does not exist`).join('; '), EXIT.usage);
      }
      io.stdout(format === 'json' ? `${JSON.stringify({ instances: status.instances }, null, 2)}\n` : formatStatusText(status.instances));
      return EXIT.ok;
    }, { mustExist: true });
  },
};
