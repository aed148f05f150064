/** A database whose transactions say when their COMMIT is about to be sent: the start of a commit -> event delay. */
import type { Database, Queryable } from '../server/db/database';

/** `db`, but calling `onCommit` when a transaction's work is done, just before its COMMIT is sent. */
export function commitTimed(db: Database, onCommit: () => void): Database {
  return {
    description: db.description,
    kind: db.kind,
    query: (sql, params) => db.query(sql, params),
    exec: (script) => db.exec(script),
    transaction: <T>(work: (tx: Queryable) => Promise<T>) => db.transaction(async (tx) => {
      const result = await work(tx);
      onCommit();
      return result;
    }),
    listen: (channel, on) => db.listen(channel, on),
    close: () => db.close(),
  };
}
