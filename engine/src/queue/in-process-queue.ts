// The embedded queue: per-owner FIFO lists served round-robin, so one owner flooding the
// queue cannot starve another's runs. Nothing survives a restart; the sweeper re-enqueues
// runs left queued or parked in the database.
import { Cron } from 'croner';
import { pollScheduleId, scheduleId, type QueueHandlers, type RunJob, type RunQueue, type ScheduleSpec } from './run-queue.ts';

export class InProcessQueue implements RunQueue {
  readonly #byOwner = new Map<string, RunJob[]>();
  /** Owners with waiting jobs, in service order. */
  readonly #owners: string[] = [];
  readonly #queued = new Set<string>();
  /** Runs being executed now: a second copy must wait until this one ends, not run beside it. */
  readonly #running = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #active = new Set<Promise<void>>();
  readonly #crons = new Map<string, Cron>();
  readonly #intervals = new Map<string, NodeJS.Timeout>();
  #handlers: QueueHandlers | undefined;
  #concurrency = 1;
  #closed = false;

  async enqueue(job: RunJob, opts: { delayMs?: number; isNew?: boolean; waitingHint?: number } = {}): Promise<void> {
    if (this.#closed) return;
    if (opts.delayMs && opts.delayMs > 0) {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#push(job);
      }, Math.min(opts.delayMs, 2 ** 31 - 1));
      this.#timers.add(timer);
      return;
    }
    this.#push(job);
  }

  #push(job: RunJob): void {
    if (this.#queued.has(job.runId) || this.#running.has(job.runId)) return;
    this.#queued.add(job.runId);
    let list = this.#byOwner.get(job.ownerId);
    if (!list) {
      list = [];
      this.#byOwner.set(job.ownerId, list);
      this.#owners.push(job.ownerId);
    }
    list.push(job);
    this.#pump();
  }

  #next(): RunJob | undefined {
    const owner = this.#owners.shift();
    if (owner === undefined) return undefined;
    const list = this.#byOwner.get(owner)!;
    const job = list.shift()!;
    if (list.length > 0) this.#owners.push(owner);
    else this.#byOwner.delete(owner);
    this.#queued.delete(job.runId);
    return job;
  }

  #pump(): void {
    while (this.#handlers && !this.#closed && this.#active.size < this.#concurrency) {
      const job = this.#next();
      if (!job) return;
      this.#running.add(job.runId);
      const p: Promise<void> = this.#handlers.run(job)
        .catch(() => undefined)
        .finally(() => {
          this.#running.delete(job.runId);
          this.#active.delete(p);
          this.#pump();
        });
      this.#active.add(p);
    }
  }

  process(handlers: QueueHandlers, opts: { concurrency: number }): void {
    this.#handlers = handlers;
    this.#concurrency = opts.concurrency;
    this.#pump();
  }

  async pending(ownerId: string): Promise<number> {
    return this.#byOwner.get(ownerId)?.length ?? 0;
  }

  /** A timer per schedule, in its time zone; one process, so one firing per tick. */
  async upsertSchedule(spec: ScheduleSpec): Promise<void> {
    if (spec.everyMs) return this.#upsertInterval(spec, spec.everyMs);
    const id = scheduleId(spec.workflowId, spec.nodeId);
    this.#crons.get(id)?.stop();
    const cron = new Cron(spec.cron, { timezone: spec.timezone, protect: true }, async () => {
      await this.#handlers?.tick(spec, new Date()).catch(() => undefined);
    });
    this.#crons.set(id, cron);
  }

  /** A polling trigger's interval; a tick still running when the next is due skips that one. */
  #upsertInterval(spec: ScheduleSpec, everyMs: number): void {
    const id = pollScheduleId(spec.workflowId, spec.nodeId);
    clearInterval(this.#intervals.get(id));
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.#closed) return;
      busy = true;
      void (this.#handlers?.tick(spec, new Date()) ?? Promise.resolve()).catch(() => undefined).finally(() => (busy = false));
    }, everyMs);
    timer.unref();
    this.#intervals.set(id, timer);
  }

  async removeSchedule(workflowId: string, nodeId: string): Promise<void> {
    const pollId = pollScheduleId(workflowId, nodeId);
    clearInterval(this.#intervals.get(pollId));
    this.#intervals.delete(pollId);
    const id = scheduleId(workflowId, nodeId);
    this.#crons.get(id)?.stop();
    this.#crons.delete(id);
  }

  async close(opts: { graceMs?: number } = {}): Promise<void> {
    this.#closed = true;
    for (const c of this.#crons.values()) c.stop();
    this.#crons.clear();
    for (const t of this.#intervals.values()) clearInterval(t);
    this.#intervals.clear();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, opts.graceMs ?? 10_000).unref());
    await Promise.race([Promise.allSettled([...this.#active]), grace]);
  }

  async counts(): Promise<{ waiting: number; active: number; delayed: number }> {
    return { waiting: this.#queued.size, active: this.#active.size, delayed: this.#timers.size };
  }

  async ping(): Promise<boolean> {
    return !this.#closed;
  }
}
