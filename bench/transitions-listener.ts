/**
 * The other process of `bench:transitions`: listens on the change feed and prints, for
 * each phase change, its phase id and the wall-clock time it arrived (ms, high resolution).
 */
import { openChangeFeed } from '../server/db/change-feed';

const url = process.argv[2];
if (!url) throw new Error('usage: transitions-listener.ts <postgres url>');
const now = () => performance.timeOrigin + performance.now();

void openChangeFeed({ kind: 'postgres', url }, (e) => {
  if (e.type === 'change' && e.change.table === 'workflow_phases' && e.change.phase_id !== null) {
    process.stdout.write(`${e.change.phase_id} ${now().toFixed(3)}\n`);
  }
}).then((feed) => {
  process.stdout.write('ready\n');
  process.stdin.on('end', () => void feed.close());
  process.stdin.resume();
});
