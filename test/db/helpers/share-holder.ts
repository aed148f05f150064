/**
 * A process that holds an embedded folder and shares it, as the language server does:
 * `node --import tsx share-holder.ts <folder>`. Prints one JSON line per thing that
 * happens: `{"ready":…}` once serving, `{"event":…}` for what its socket clients do,
 * `{"feed":…}` for its change feed; closes the database when its stdin ends (or on
 * SIGTERM) and prints `{"closed":true}`.
 */
import { openChangeFeed } from '../../../server/db/change-feed';
import { openDatabase } from '../../../server/db/database';
import { migrate } from '../../../server/db/migrations/migrate';

function say(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function main(): Promise<void> {
  const folder = process.argv[2] ?? '';
  const db = await openDatabase({ kind: 'embedded', folder }, { onShareEvent: (event) => say({ event }) });
  await migrate(db);
  const feed = await openChangeFeed({ kind: 'embedded', database: db }, (e) => say({ feed: e }));
  say({ ready: true, role: db.sharing?.role, socket: db.sharing?.socket, pid: process.pid });
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await feed.close();
    await db.close();
    say({ closed: true });
    process.exit(0);
  };
  process.stdin.on('end', () => void close());
  process.once('SIGTERM', () => void close());
  process.stdin.resume();
}

main().catch((error: unknown) => {
  say({ error: (error as Error).message });
  process.exit(1);
});
