/**
 * A first-come-first-served async lock: the embedded database is one PostgreSQL backend,
 * so the holder's own queries and transactions and every socket client's queue here for
 * their turn, in arrival order.
 */
export class Exclusive {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for the turn; resolves to the function that ends it (safe to call twice). */
  acquire(): Promise<() => void> {
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    const turn = this.tail.then(() => {
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        end();
      };
    });
    this.tail = this.tail.then(() => done);
    return turn;
  }

  /** Runs `work` in its turn. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
