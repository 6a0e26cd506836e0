// Group commit: a write is never delayed to wait for others (no timer), but while one statement
// is in flight, the writes that arrive meanwhile (other runs, other branches) wait for it and
// then go together in one statement: one round trip and one commit instead of one each. Each
// caller's promise settles only once its own item is committed (or has failed).

export interface GroupWrite<T, R> {
  /** Writes the items in one statement (one commit); returns each item's result, in their order. */
  many(items: T[]): Promise<R[]>;
  /** Writes one item on its own: how the items of a failed batch are tried again. */
  one(item: T): Promise<R>;
  /** Items per statement at most. */
  maxBatch: number;
  /**
   * Take each statement's items at the end of the event loop's turn (setImmediate) instead of
   * at once: the writes that the same turn produces go together. Step checkpoints use it: when
   * a statement commits, its callers (runs) resume within the same turn and each reaches its
   * next checkpoint before the turn ends; taken at once, the first of them would go alone and
   * the rest wait for it, splitting the runs into two groups that take turns. No timer: the
   * wait is only the rest of the turn's own work.
   */
  gather?: boolean;
}

/** The end of the event loop's current turn (after its I/O callbacks and their promise jobs). */
const endOfTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<T, R = void> {
  readonly #write: GroupWrite<T, R>;
  #pending: Pending<T, R>[] = [];
  #flushing = false;

  constructor(write: GroupWrite<T, R>) {
    this.#write = write;
  }

  /** Resolves with the item's result once it is committed. */
  write(item: T): Promise<R> {
    const done = new Promise<R>((resolve, reject) => this.#pending.push({ item, resolve, reject }));
    if (!this.#flushing) void this.#flush();
    return done;
  }

  /** Several items queued at once: they go in the same statement (up to maxBatch). */
  writeAll(items: T[]): Promise<R[]> {
    const done = items.map((item) => new Promise<R>((resolve, reject) => this.#pending.push({ item, resolve, reject })));
    if (!this.#flushing) void this.#flush();
    return Promise.all(done);
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    const gather = this.#write.gather === true;
    try {
      if (gather) await endOfTurn();
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, this.#write.maxBatch);
        let results: R[];
        try {
          results = await this.#write.many(batch.map((p) => p.item));
        } catch (err) {
          // One bad item must not fail the others (they may be other owners' runs): the failed
          // statement committed nothing, so each is tried on its own, and only the items that
          // fail again report an error.
          if (batch.length === 1) batch[0]!.reject(err);
          else for (const p of batch) await this.#write.one(p.item).then(p.resolve, p.reject);
          continue;
        }
        batch.forEach((p, i) => p.resolve(results[i]!));
        // The callers just resumed write their next items in this turn: take them along.
        if (gather) await endOfTurn();
      }
    } finally {
      this.#flushing = false;
    }
  }
}
