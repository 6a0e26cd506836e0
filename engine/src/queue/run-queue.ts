// How runs reach workers. One job per run; the job carries ids only, never user data or secrets.
export interface RunJob {
  runId: string;
  ownerId: string;
}

/** A schedule trigger: fires once per tick across all workers. */
export interface ScheduleSpec {
  workflowId: string;
  nodeId: string;
  ownerId: string;
  /** The cron pattern; unused when `everyMs` is set. */
  cron: string;
  timezone: string;
  /** A fixed interval instead of a cron pattern (polling triggers). */
  everyMs?: number;
  /** A polling trigger's tick (the engine polls instead of starting a run directly). */
  poll?: boolean;
}

export interface QueueHandlers {
  run(job: RunJob): Promise<void>;
  tick(schedule: ScheduleSpec, firedAt: Date): Promise<void>;
}

export interface RunQueue {
  /**
   * Adds a run; `delayMs` parks it (a delay node) without holding a worker. Idempotent per run
   * and wake-up time. `isNew`: the run was just created, so no job for it can exist yet.
   * `waitingHint`: the caller's recent count of the owner's waiting runs, so the fairness
   * priority needs no read before the add.
   */
  enqueue(job: RunJob, opts?: { delayMs?: number; isNew?: boolean; waitingHint?: number }): Promise<void>;
  /** Starts consuming with at most `concurrency` runs at once. */
  process(handlers: QueueHandlers, opts: { concurrency: number }): void;
  /** Runs of this owner waiting to start (the per-owner quota reads it). */
  pending(ownerId: string): Promise<number>;
  upsertSchedule(spec: ScheduleSpec): Promise<void>;
  removeSchedule(workflowId: string, nodeId: string): Promise<void>;
  /** Stops taking jobs; waits (bounded) for active ones; hands back what remains. */
  close(opts?: { graceMs?: number }): Promise<void>;
  /** For /readyz. */
  ping(): Promise<boolean>;
  /** Jobs by state, for the metrics (read on scrape). */
  counts(): Promise<{ waiting: number; active: number; delayed: number }>;
}

export const scheduleId = (workflowId: string, nodeId: string): string => `${workflowId}:${nodeId}`;

/** The queue id of a polling trigger's interval (apart from cron schedules). */
export const pollScheduleId = (workflowId: string, nodeId: string): string => `poll:${workflowId}:${nodeId}`;
