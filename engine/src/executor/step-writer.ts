// Group commit for step checkpoints. A step's successors start only once its row is written,
// so a write is never delayed to wait for others; but while one write is in flight, the rows
// that arrive meanwhile (concurrent branches and loop items, other runs) wait for it and then go
// together in one statement: one round trip and one commit instead of one each.
import type { Db } from '../store/database.ts';
import * as runs from '../store/runs.repo.ts';

interface Pending {
  step: runs.NewStep;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class StepWriter {
  readonly #db: Db;
  #pending: Pending[] = [];
  #flushing = false;

  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * Resolves once the row is committed (or was already there: the first write of an attempt
   * wins). Several rows given together go in the same statement.
   */
  write(step: runs.NewStep | runs.NewStep[]): Promise<void> {
    const rows = Array.isArray(step) ? step : [step];
    const each = rows.map((row) => new Promise<void>((resolve, reject) => this.#pending.push({ step: row, resolve, reject })));
    if (!this.#flushing) void this.#flush();
    return each.length === 1 ? each[0]! : Promise.all(each).then(() => undefined);
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, runs.MAX_STEPS_PER_INSERT);
        try {
          await runs.insertSteps(this.#db, batch.map((p) => p.step));
          for (const p of batch) p.resolve();
        } catch (err) {
          // One bad row must not fail the others' steps (they may be other owners' runs):
          // each is tried on its own, and only the rows that fail again report an error.
          if (batch.length === 1) batch[0]!.reject(err);
          else for (const p of batch) await runs.insertStep(this.#db, p.step).then(p.resolve, p.reject);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }
}
