// Group commit for run rows (group-commit.ts): the inserts of runs this process executes at once
// (insertClaimedRun) and the ends of runs (finishRun, with the step rows that ride with them).
// Each run's own insert and end are one statement as before; while one is in flight, those of
// other runs that arrive meanwhile wait for it and go together in one multi-row statement. A
// caller resumes only once its own row is committed: a webhook's answer still waits for the
// commit that makes the run durable.
import type { Db } from '../store/database.ts';
import * as runs from '../store/runs.repo.ts';
import { GroupCommit } from './group-commit.ts';

type ClaimedRun = runs.RunRecord & { fresh: true; crashes: 0 };

export class RunWriter {
  readonly #inserts: GroupCommit<runs.NewClaimedRun, ClaimedRun>;
  readonly #ends: GroupCommit<runs.RunEndWrite>;

  constructor(db: Db) {
    this.#inserts = new GroupCommit({
      many: (items) => runs.insertClaimedRuns(db, items),
      one: (item) => runs.insertClaimedRun(db, item.run, item.leaseMs),
      maxBatch: runs.MAX_RUNS_PER_STATEMENT,
      // Requests read in the same turn of the event loop start their runs in one statement.
      gather: true,
    });
    this.#ends = new GroupCommit({
      many: async (ends) => {
        await runs.finishRuns(db, ends);
        return ends.map(() => undefined);
      },
      one: (e) => runs.finishRun(db, e.runId, e.end, e.unwritten),
      maxBatch: runs.MAX_ENDS_PER_STATEMENT,
      // Runs that a step commit resumed together end in the same turn: one statement for them.
      gather: true,
    });
  }

  /** runs.insertClaimedRun, grouped with other runs' inserts in flight; resolves once committed. */
  insertClaimed(run: runs.NewRun & { id: string }, leaseMs: number | undefined): Promise<ClaimedRun> {
    return this.#inserts.write({ run, leaseMs });
  }

  /** runs.finishRun, grouped with other runs' ends in flight; resolves once committed. */
  finish(runId: string, end: runs.RunEnd, unwritten: runs.NewStep[] = []): Promise<void> {
    return this.#ends.write({ runId, end, unwritten });
  }
}
