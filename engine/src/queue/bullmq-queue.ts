// The queue-mode RunQueue on BullMQ. Fairness: every job gets a priority equal to how many
// runs its owner already has waiting (lower runs first), so a flood from one owner queues
// behind everyone else's next run instead of in front of it. A worker that dies leaves its
// job's lock to expire; BullMQ's stalled check hands the job to another worker, which
// resumes the run from its checkpoints.
import { Redis } from 'ioredis';
import type { Job, Queue, Worker } from 'bullmq';
import { QueueClass, WorkerClass } from './bullmq-core.ts';
import { pollScheduleId, scheduleId, type QueueHandlers, type RunJob, type RunQueue, type ScheduleSpec } from './run-queue.ts';

const MAX_PRIORITY = 2_097_151;
type JobData = RunJob | (ScheduleSpec & { kind: 'schedule' });

export interface BullQueueOptions {
  url: string;
  name?: string;
  /** How long a job's lock lasts without renewal: the bound on detecting a dead worker. */
  lockDurationMs?: number;
}

export class BullRunQueue implements RunQueue {
  readonly #connection: Redis;
  readonly #queue: Queue<JobData>;
  readonly #name: string;
  readonly #lockDurationMs: number;
  readonly #pendingKey: string;
  #worker: Worker<JobData> | undefined;

  constructor(opts: BullQueueOptions) {
    this.#name = opts.name ?? 'keyflow-runs';
    this.#lockDurationMs = opts.lockDurationMs ?? 15_000;
    this.#connection = new Redis(opts.url, { maxRetriesPerRequest: null, enableAutoPipelining: true });
    this.#connection.on('error', () => undefined);
    this.#queue = new QueueClass<JobData>(this.#name, { connection: this.#connection });
    this.#queue.on('error', () => undefined);
    this.#pendingKey = `kf:{${this.#name}}:owner-pending`;
  }

  async enqueue(job: RunJob, opts: { delayMs?: number; isNew?: boolean; waitingHint?: number } = {}): Promise<void> {
    const delay = opts.delayMs && opts.delayMs > 0 ? Math.ceil(opts.delayMs) : 0;
    // A wake-up is its own job id, so it is not swallowed by the run's first, finished job.
    const jobId = delay ? `${job.runId}.w${Date.now() + delay}` : job.runId;
    // The sweeper re-enqueues runs still waiting in a backlog. BullMQ ignores the duplicate id,
    // so counting it would raise the owner's count for good (it is only lowered at job start).
    if (!opts.isNew && (await this.#queue.getJob(jobId))) return;
    const counted = this.#connection.hincrby(this.#pendingKey, job.ownerId, 1);
    // With a hint the count and the add leave together (one write, auto-pipelined).
    const waiting = opts.waitingHint !== undefined ? opts.waitingHint + 1 : await counted;
    await Promise.all([
      counted,
      this.#queue.add('run', { runId: job.runId, ownerId: job.ownerId }, {
        jobId,
        delay,
        priority: Math.min(Math.max(waiting, 1), MAX_PRIORITY),
        removeOnComplete: true,
        removeOnFail: 1000,
      }),
    ]);
  }

  process(handlers: QueueHandlers, opts: { concurrency: number }): void {
    this.#worker = new WorkerClass<JobData>(
      this.#name,
      async (job: Job<JobData>) => {
        const data = job.data;
        if ('kind' in data) return handlers.tick(data, new Date(job.timestamp));
        // Counted once, when the job first starts; a stalled job that restarts is not re-counted.
        // Not awaited: the count is advisory (fairness), and the run should not wait on it.
        if (job.attemptsStarted <= 1) void this.#connection.hincrby(this.#pendingKey, data.ownerId, -1).catch(() => undefined);
        return handlers.run(data);
      },
      {
        connection: this.#connection.duplicate({ maxRetriesPerRequest: null }),
        concurrency: opts.concurrency,
        lockDuration: this.#lockDurationMs,
        stalledInterval: Math.max(1000, Math.floor(this.#lockDurationMs / 2)),
        maxStalledCount: 5,
      },
    );
    this.#worker.on('error', () => undefined);
  }

  async pending(ownerId: string): Promise<number> {
    return Number((await this.#connection.hget(this.#pendingKey, ownerId)) ?? 0);
  }

  async upsertSchedule(spec: ScheduleSpec): Promise<void> {
    if (spec.everyMs) {
      await this.#queue.upsertJobScheduler(pollScheduleId(spec.workflowId, spec.nodeId), { every: spec.everyMs }, { name: 'poll', data: { kind: 'schedule', ...spec }, opts: { removeOnComplete: true, removeOnFail: 100 } });
      return;
    }
    await this.#queue.upsertJobScheduler(scheduleId(spec.workflowId, spec.nodeId), { pattern: spec.cron, tz: spec.timezone }, { name: 'schedule', data: { kind: 'schedule', ...spec }, opts: { removeOnComplete: true, removeOnFail: 100 } });
  }

  async removeSchedule(workflowId: string, nodeId: string): Promise<void> {
    await this.#queue.removeJobScheduler(scheduleId(workflowId, nodeId));
    await this.#queue.removeJobScheduler(pollScheduleId(workflowId, nodeId));
  }

  async close(opts: { graceMs?: number } = {}): Promise<void> {
    if (this.#worker) {
      const worker = this.#worker;
      // Finish active runs within the grace period; past it, close without waiting so their
      // locks lapse and another worker resumes them from the checkpoints.
      const graceful = worker.close();
      const timedOut = await Promise.race([graceful.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), opts.graceMs ?? 10_000).unref())]);
      if (timedOut) await worker.close(true);
    }
    await this.#queue.close();
    await this.#connection.quit().catch(() => undefined);
  }

  async counts(): Promise<{ waiting: number; active: number; delayed: number }> {
    // Jobs with a priority (all of Keyflow's) wait in BullMQ's "prioritized" state.
    const c = await this.#queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0 };
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.#connection.ping()) === 'PONG';
    } catch {
      return false;
    }
  }
}
