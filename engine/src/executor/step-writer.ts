// Group commit for step checkpoints (group-commit.ts). A step's successors start only once its
// row is written, so a write is never delayed to wait for others; but while one write is in
// flight, the rows that arrive meanwhile (concurrent branches and loop items, other runs) wait
// for it and then go together in one statement: one round trip and one commit instead of one each.
import type { Db } from '../store/database.ts';
import * as runs from '../store/runs.repo.ts';
import { GroupCommit } from './group-commit.ts';

export class StepWriter {
  readonly #group: GroupCommit<runs.NewStep>;

  constructor(db: Db) {
    this.#group = new GroupCommit({
      many: async (steps) => {
        await runs.insertSteps(db, steps);
        return steps.map(() => undefined);
      },
      one: async (step) => {
        await runs.insertStep(db, step);
      },
      maxBatch: runs.MAX_STEPS_PER_INSERT,
      gather: true,
    });
  }

  /**
   * Resolves once the row is committed (or was already there: the first write of an attempt
   * wins). Several rows given together go in the same statement.
   */
  write(step: runs.NewStep | runs.NewStep[]): Promise<void> {
    if (!Array.isArray(step)) return this.#group.write(step);
    return this.#group.writeAll(step).then(() => undefined);
  }
}
