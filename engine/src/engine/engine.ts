// The engine as the server and the worker use it: start runs, execute them from the queue,
// wait for a webhook's response, cancel, re-run, keep schedules, and sweep up runs whose job
// was lost. One class because it holds resources (queue, bus, timers).
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { defaultRegistry } from '@keyflow/nodes';
import type { NodeRegistry, ServiceSettings } from '@keyflow/nodes/contract';
import { AppError, Conflict, NotFound, TooManyRequests } from '../errors.ts';
import { NodeError } from '@keyflow/nodes/contract';
import { LIMITS } from '../expr/index.ts';
import type { EventBus, RunEvent } from '../events/event-bus.ts';
import { executeClaimedRun, executeRun } from '../executor/execute-run.ts';
import { isDatabaseInterruption } from '../executor/types.ts';
import { GraphCache } from '../executor/graph-cache.ts';
import { RunWriter } from '../executor/run-writer.ts';
import { StepWriter } from '../executor/step-writer.ts';
import type { AiFactory, CredentialLender, ExecutorDeps } from '../executor/types.ts';
import { indexGraph, successors, type Graph } from '../graph/index.ts';
import type { SafeFetch as NodeSafeFetch } from '@keyflow/nodes/contract';
import type { QueueHandlers, RunQueue, ScheduleSpec } from '../queue/run-queue.ts';
import type { Db } from '../store/database.ts';
import * as runs from '../store/runs.repo.ts';
import { clearRateLimited, recordHealth } from '../store/credential-health.repo.ts';
import * as webhooks from '../store/webhooks.repo.ts';
import { DuplicateDelivery } from '../webhooks/duplicate-delivery.ts';
import { ensurePollState, pollNodesOf, pollOnce, type PollDeps, type PollOutcome } from './poll-triggers.ts';

export interface EngineOptions {
  db: Db;
  /** For step checkpoints and claims (an asynchronous-commit pool in Postgres mode). */
  checkpointDb?: Db;
  /** Closes what the caller opened for this engine (e.g. the checkpoint pool). */
  onClose?: () => Promise<void>;
  queue: RunQueue;
  bus: EventBus;
  log: Logger;
  fetch: NodeSafeFetch;
  credentials: CredentialLender;
  /** Operator settings for integrations (KEYFLOW_<SERVICE>_BASE_URL), handed to nodes as ctx.services. */
  services?: ServiceSettings;
  ai?: AiFactory;
  registry?: NodeRegistry;
  /** A step output larger than this (as JSON) fails its step (default 1 MiB). */
  maxOutputBytes?: number;
  /** Stored inputs, errors and run outputs larger than this become truncation markers (default: maxOutputBytes). */
  maxStoredBytes?: number;
  runTimeoutMs?: number;
  /** Step rows one run may write, attempts included (default 100,000). */
  maxRunSteps?: number;
  /** Bytes of step outputs one run may hold at once (default 64 MiB). */
  maxRunBytes?: number;
  /** Bytes the expressions of one node's config may build (default 8 MiB). */
  maxBuildBytes?: number;
  /** Executions in a row that died with their process before the run is failed (default 3). */
  maxCrashes?: number;
  /** How long a run may sit queued before the sweeper re-enqueues it. */
  orphanAfterMs?: number;
  /**
   * Webhook "wait" runs this process executes itself, at most this many at once (0: none, all go
   * through the queue). Saves the queue and pub/sub hops on the caller's critical path; each holds
   * a lease of `inlineLeaseMs`, so if this process dies the sweeper hands the run to a worker.
   * `null`: no lease (embedded mode: this is the only process that executes runs, and
   * recoverEmbedded resumes its runs left 'running' at the next start, as it does the queue's).
   */
  inlineRuns?: number;
  inlineLeaseMs?: number | null;
  /** Most runs one owner may have waiting; more are refused with 429 (default 10,000). */
  maxQueuedPerOwner?: number;
  /** Retention applied by workers every 10 minutes; 0 or absent: keep. */
  retention?: { days?: number; keepPerWorkflow?: number };
  /** The fetch polling triggers' service clients use (default: global fetch; each checks its hosts). */
  serviceFetch?: typeof globalThis.fetch;
  now?: () => Date;
  /** Told (not awaited) of every run that ended here: the alerts. */
  onRunFinished?: ExecutorDeps['onRunFinished'];
}

export interface StartRun {
  ownerId: string;
  workflowId: string;
  version: number;
  trigger: 'manual' | 'webhook' | 'schedule' | 'poll' | 'rerun' | 'test';
  payload: unknown;
  rerunOf?: string;
  /**
   * A webhook delivery key, taken in the same transaction that writes the run: a refused or
   * failed start leaves no key behind, and a key already taken throws DuplicateDelivery.
   */
  delivery?: { webhookId: string; deliveryId: string; ttlSeconds: number };
}

export type Outcome =
  | { kind: 'response'; runId: string; response: { status: number; headers: Record<string, string>; body: unknown } }
  | { kind: 'finished'; runId: string; status: string; output?: unknown; error?: unknown }
  | { kind: 'timeout'; runId: string };

export const DEFAULT_MAX_RUN_STEPS = 100_000;
export const DEFAULT_MAX_RUN_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_RUN_CRASHES = 3;

export class Engine {
  readonly db: Db;
  readonly queue: RunQueue;
  readonly bus: EventBus;
  readonly registry: NodeRegistry;
  readonly #deps: ExecutorDeps;
  readonly #log: Logger;
  readonly #onClose: (() => Promise<void>) | undefined;
  readonly #waiters = new Map<string, (e: RunEvent) => void>();
  readonly #orphanAfterMs: number;
  readonly #maxQueuedPerOwner: number;
  readonly #inlineLimit: number;
  readonly #inlineLeaseMs: number | undefined;
  readonly #inline = new Set<Promise<void>>();
  #unsubscribe: (() => void)[] = [];
  #sweeper: NodeJS.Timeout | undefined;
  #pruner: NodeJS.Timeout | undefined;
  readonly #retention: { days?: number; keepPerWorkflow?: number };
  readonly #polls: PollDeps;

  constructor(opts: EngineOptions) {
    this.db = opts.db;
    this.queue = opts.queue;
    this.bus = opts.bus;
    this.registry = opts.registry ?? defaultRegistry;
    this.#log = opts.log;
    this.#onClose = opts.onClose;
    this.#orphanAfterMs = opts.orphanAfterMs ?? 30_000;
    this.#maxQueuedPerOwner = opts.maxQueuedPerOwner ?? 10_000;
    this.#inlineLimit = opts.inlineRuns ?? 0;
    this.#inlineLeaseMs = opts.inlineLeaseMs === null ? undefined : (opts.inlineLeaseMs ?? 15_000);
    this.#retention = { ...(opts.retention?.days ? { days: opts.retention.days } : {}), ...(opts.retention?.keepPerWorkflow ? { keepPerWorkflow: opts.retention.keepPerWorkflow } : {}) };
    const isLoop = (type: string, version: number) => this.registry.get(type, version)?.kind === 'loop';
    const maxOutputBytes = opts.maxOutputBytes ?? 1024 * 1024;
    this.#deps = {
      db: opts.db, ...(opts.checkpointDb ? { checkpointDb: opts.checkpointDb } : {}), registry: this.registry, bus: opts.bus, graphs: new GraphCache(isLoop), fetch: opts.fetch, credentials: opts.credentials,
      ...(opts.services ? { services: opts.services } : {}),
      credentialHealth: (ownerId, credentialId, update) => (update.health === 'recovered' ? clearRateLimited(opts.db, ownerId, credentialId) : recordHealth(opts.db, ownerId, credentialId, update)),
      ...(opts.ai ? { ai: opts.ai } : {}), log: opts.log,
      steps: new StepWriter(opts.checkpointDb ?? opts.db),
      runRows: new RunWriter(opts.db),
      limits: {
        maxOutputBytes, maxStoredBytes: opts.maxStoredBytes ?? maxOutputBytes, runTimeoutMs: opts.runTimeoutMs ?? 15 * 60_000,
        maxRunSteps: opts.maxRunSteps ?? DEFAULT_MAX_RUN_STEPS, maxRunBytes: opts.maxRunBytes ?? DEFAULT_MAX_RUN_BYTES,
        maxBuildBytes: opts.maxBuildBytes ?? LIMITS.maxBuildBytes, maxCrashes: opts.maxCrashes ?? DEFAULT_MAX_RUN_CRASHES,
      },
      ...(opts.now ? { now: opts.now } : {}), active: new Map(),
      ...(opts.onRunFinished ? { onRunFinished: opts.onRunFinished } : {}),
      waitsHere: (runId) => this.#waiters.has(runId),
    };
    this.#polls = { db: opts.db, credentials: opts.credentials, log: opts.log, ...(this.#deps.credentialHealth ? { credentialHealth: this.#deps.credentialHealth } : {}), ...(opts.services ? { services: opts.services } : {}), ...(opts.serviceFetch ? { fetch: opts.serviceFetch } : {}) };
  }

  /** Listens for outcomes (webhook "wait" callers) and cancellations. Call once at start. */
  async init(): Promise<void> {
    this.#unsubscribe.push(await this.bus.subscribeOutcomes((e) => this.#waiters.get(e.runId)?.(e)));
    this.#unsubscribe.push(await this.bus.subscribeCancel((runId) => this.#deps.active.get(runId)?.abort()));
  }

  /** Consumes the queue: runs, wake-ups after delays, schedule ticks; and sweeps orphans. */
  startWorker(concurrency: number): void {
    const handlers: QueueHandlers = {
      run: async (job) => {
        let outcome: Awaited<ReturnType<typeof executeRun>>;
        try {
          outcome = await executeRun(this.#deps, job.runId);
        } catch (err) {
          if (!isDatabaseInterruption(err)) throw err;
          // The database connection broke under the run: resume it from its checkpoints in a second.
          this.#log.warn({ runId: job.runId, err: String(err) }, 'run interrupted by a database connection error; resuming it shortly');
          await this.queue.enqueue(job, { delayMs: 1_000 });
          return;
        }
        if (outcome.kind === 'parked') await this.queue.enqueue(job, { delayMs: Math.max(0, outcome.resumeAt.getTime() - Date.now()) });
      },
      tick: async (spec, firedAt) => {
        if (spec.poll) await this.pollNow(spec.ownerId, spec.workflowId, spec.nodeId);
        else await this.#fireSchedule(spec, firedAt);
      },
    };
    this.queue.process(handlers, { concurrency });
    this.#sweeper = setInterval(() => void this.sweep().catch((err: unknown) => this.#log.warn({ err: String(err) }, 'sweep failed')), Math.max(1000, Math.floor(this.#orphanAfterMs / 3)));
    this.#sweeper.unref();
    if (this.#retention.days || this.#retention.keepPerWorkflow) {
      const prune = () => void runs.pruneRuns(this.db, this.#retention).catch((err: unknown) => this.#log.warn({ err: String(err) }, 'retention failed'));
      prune();
      this.#pruner = setInterval(prune, 10 * 60_000);
      this.#pruner.unref();
    }
  }

  readonly #pendingSeen = new Map<string, { count: number; at: number }>();

  /**
   * The per-owner queue quota: a flood is refused before it writes anything. The queue's count
   * is read at most once a second per owner (plus what this process added since), so the check
   * costs no round trip on the hot path.
   */
  async #checkQuota(ownerId: string): Promise<number> {
    const now = Date.now();
    let seen = this.#pendingSeen.get(ownerId);
    if (!seen || now - seen.at > 1000) {
      seen = { count: await this.queue.pending(ownerId), at: now };
      if (this.#pendingSeen.size > 10_000) this.#pendingSeen.clear();
      this.#pendingSeen.set(ownerId, seen);
    }
    if (seen.count >= this.#maxQueuedPerOwner) throw new TooManyRequests(`more than ${this.#maxQueuedPerOwner} runs are waiting to start; try again later`, 5);
    return seen.count++;
  }

  /** Writes the run row, then enqueues it. If the process dies in between, sweep() enqueues it later. */
  async startRun(start: StartRun): Promise<string> {
    const waitingHint = await this.#checkQuota(start.ownerId);
    const runId = await this.#insertRun(start.delivery, { ownerId: start.ownerId, workflowId: start.workflowId, workflowVersion: start.version, trigger: start.trigger, triggerPayload: start.payload, ...(start.rerunOf ? { rerunOf: start.rerunOf } : {}) });
    await this.queue.enqueue({ runId, ownerId: start.ownerId }, { isNew: true, waitingHint });
    return runId;
  }

  /** Starts a run and waits for its respond node (or its end), at most `timeoutMs`. */
  async startAndWait(start: StartRun, timeoutMs: number): Promise<Outcome> {
    const waitingHint = await this.#checkQuota(start.ownerId);
    const runId = randomUUID();
    const outcome = new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => finish({ kind: 'timeout', runId }), timeoutMs);
      const finish = (o: Outcome) => {
        clearTimeout(timer);
        this.#waiters.delete(runId);
        resolve(o);
      };
      this.#waiters.set(runId, (e) => {
        if (e.type === 'run.response') finish({ kind: 'response', runId, response: e.response });
        else if (e.type === 'run.finished') finish({ kind: 'finished', runId, status: e.status, ...(e.output !== undefined ? { output: e.output } : {}), ...(e.error !== undefined ? { error: e.error } : {}) });
      });
    });
    try {
      const row = { id: runId, ownerId: start.ownerId, workflowId: start.workflowId, workflowVersion: start.version, trigger: start.trigger, triggerPayload: start.payload };
      if (this.#inline.size < this.#inlineLimit) {
        // Executed here at once: the row is written already claimed (one statement, not an insert
        // and a claim). Nobody can watch a run before its row exists: it starts unwatched (the
        // executor asks again within 500 ms, and SSE fills any gap in its steps from the rows).
        const claimed = await this.#insertRun(start.delivery, row, { leaseMs: this.#inlineLeaseMs });
        this.#runInline(claimed as runs.RunRecord & { fresh: true; crashes: 0 }, false);
      } else {
        await this.#insertRun(start.delivery, row);
        await this.queue.enqueue({ runId, ownerId: start.ownerId }, { isNew: true, waitingHint });
      }
    } catch (err) {
      this.#waiters.get(runId)?.({ type: 'run.finished', runId, seq: 0, status: 'failed', costMicros: 0 });
      throw err;
    }
    return outcome;
  }

  /**
   * The run row, with the webhook delivery key when there is one (both or neither). With
   * `claim` it is written claimed by this process, under a lease of `claim.leaseMs` if given (see insertClaimedRun).
   */
  async #insertRun(delivery: StartRun['delivery'], run: runs.NewRun & { id?: string }): Promise<string>;
  async #insertRun(delivery: StartRun['delivery'], run: runs.NewRun & { id: string }, claim: { leaseMs: number | undefined }): Promise<runs.RunRecord>;
  async #insertRun(delivery: StartRun['delivery'], run: runs.NewRun, claim?: { leaseMs: number | undefined }): Promise<string | runs.RunRecord> {
    const write = (db: Db) => (claim === undefined ? runs.insertRun(db, run) : runs.insertClaimedRun(db, { ...run, id: run.id! }, claim.leaseMs));
    // Without a delivery key to take in the same transaction, a claimed run's insert is grouped
    // with other runs' inserts in flight (RunWriter).
    if (!delivery) return claim === undefined ? write(this.db) : this.#deps.runRows.insertClaimed({ ...run, id: run.id! }, claim.leaseMs);
    return this.db.transaction().execute(async (trx) => {
      if (!(await webhooks.takeDelivery(trx, delivery.webhookId, delivery.deliveryId, delivery.ttlSeconds))) throw new DuplicateDelivery(delivery.deliveryId);
      return write(trx);
    });
  }

  /** Executes a run claimed by this process, under its lease; a park (delay) goes to the queue like any other. */
  #runInline(run: runs.RunRecord & { fresh: true; crashes: 0 }, watched: boolean): void {
    const job = { runId: run.id, ownerId: run.ownerId };
    const p: Promise<void> = executeClaimedRun(this.#deps, run, watched, this.#inlineLeaseMs, { waitedHere: true })
      .then(async (outcome) => {
        if (outcome.kind === 'parked') await this.queue.enqueue(job, { delayMs: Math.max(0, outcome.resumeAt.getTime() - Date.now()) });
      })
      .catch((err: unknown) => this.#log.error({ runId: job.runId, err: String(err) }, 'inline run failed; its lease will lapse and a worker resumes it'))
      .finally(() => this.#inline.delete(p));
    this.#inline.add(p);
  }

  async cancel(ownerId: string, runId: string): Promise<runs.RunRecord> {
    const run = await runs.requestCancel(this.db, ownerId, runId);
    if (run.status === 'cancelled' && run.finishedAt) this.bus.publishRun({ type: 'run.finished', runId, seq: 0, status: 'cancelled', costMicros: run.costMicros });
    this.bus.publishCancel(runId);
    return run;
  }

  /**
   * A new run of the same version and payload. With `fromNodeId`, the steps that finished
   * before that node are carried over as checkpoints, so only it and what follows run again.
   * Everything is checked (the node, the owner's quota) before anything is written, and the
   * run and its copied steps are written in one transaction.
   */
  async rerun(ownerId: string, runId: string, fromNodeId?: string): Promise<string> {
    const old = await runs.getRun(this.db, ownerId, runId);
    if (!runs.TERMINAL.includes(old.status)) throw new Conflict(`run is ${old.status}; wait for it to finish or cancel it first`);
    let carried: runs.StepRecord[] = [];
    if (fromNodeId) {
      const g = await this.#deps.graphs.get(this.db, ownerId, old.workflowId, old.workflowVersion);
      if (!g.index.nodes.has(fromNodeId)) throw new NotFound(`node ${fromNodeId}`);
      const downstream = reachableFrom(g.graph, fromNodeId);
      carried = (await runs.loadSteps(this.db, runId)).filter((s) => s.status === 'succeeded' && !downstream.has(s.nodeId));
    }
    const waitingHint = await this.#checkQuota(ownerId);
    const newId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await runs.insertRun(trx, { id: newId, ownerId, workflowId: old.workflowId, workflowVersion: old.workflowVersion, trigger: 'rerun', triggerPayload: old.triggerPayload, rerunOf: old.id });
      if (!fromNodeId) return;
      await runs.insertSteps(trx, carried.map((s) => ({ runId: newId, ownerId, nodeId: s.nodeId, scope: s.scope, attempt: s.attempt, status: 'succeeded', input: s.input, output: s.output, error: undefined, costMicros: 0, seq: s.seq, startedAt: s.startedAt, finishedAt: s.finishedAt, branch: s.branch })));
      // Marks the run as started, so the executor loads the copied checkpoints.
      await trx.updateTable('runs').set({ started_at: new Date() }).where('id', '=', newId).execute();
    });
    await this.queue.enqueue({ runId: newId, ownerId }, { isNew: true, waitingHint });
    return newId;
  }

  /** Re-enqueues runs left 'queued' (lost enqueue) or parked past their wake-up time. */
  async sweep(): Promise<number> {
    const orphans = await runs.findOrphanedRuns(this.db, new Date(Date.now() - this.#orphanAfterMs));
    for (const o of orphans) await this.queue.enqueue({ runId: o.id, ownerId: o.ownerId });
    return orphans.length;
  }

  async #fireSchedule(spec: ScheduleSpec, firedAt: Date): Promise<void> {
    const wf = await this.db.selectFrom('workflows').select(['active', 'active_version']).where('id', '=', spec.workflowId).where('owner_id', '=', spec.ownerId).executeTakeFirst();
    if (!wf?.active || wf.active_version === null) return;
    await this.db.updateTable('schedules').set({ last_fired_at: firedAt }).where('workflow_id', '=', spec.workflowId).where('node_id', '=', spec.nodeId).execute();
    await this.startRun({ ownerId: spec.ownerId, workflowId: spec.workflowId, version: wf.active_version, trigger: 'schedule', payload: { firedAt: firedAt.toISOString(), cron: spec.cron, timezone: spec.timezone } });
  }

  /**
   * Makes the queue's schedules and polling triggers match the workflow's active version (none
   * when inactive). A new polling trigger asks its service where to start (activation); when
   * that fails, the error is thrown after the version's other triggers were left in place.
   */
  async syncSchedules(ownerId: string, workflowId: string): Promise<void> {
    const wf = await this.db.selectFrom('workflows').select(['active', 'active_version']).where('id', '=', workflowId).where('owner_id', '=', ownerId).executeTakeFirst();
    const existing = await this.db.selectFrom('schedules').select(['node_id']).where('workflow_id', '=', workflowId).execute();
    const existingPolls = await this.db.selectFrom('poll_triggers').select(['node_id']).where('workflow_id', '=', workflowId).execute();
    let wanted: ScheduleSpec[] = [];
    let polls: ReturnType<typeof pollNodesOf> = [];
    if (wf?.active && wf.active_version !== null) {
      const g = await this.#deps.graphs.get(this.db, ownerId, workflowId, wf.active_version);
      wanted = g.graph.nodes
        .filter((n) => n.type === 'core.schedule' && !n.disabled)
        .map((n) => {
          const c = n.config as { cron: string; timezone?: string };
          return { workflowId, nodeId: n.id, ownerId, cron: c.cron, timezone: c.timezone ?? 'UTC' };
        });
      polls = pollNodesOf(g.graph.nodes);
    }
    for (const e of existing) if (!wanted.some((w) => w.nodeId === e.node_id)) {
      await this.queue.removeSchedule(workflowId, e.node_id);
      await this.db.deleteFrom('schedules').where('workflow_id', '=', workflowId).where('node_id', '=', e.node_id).execute();
    }
    for (const e of existingPolls) if (!polls.some((p) => p.node.id === e.node_id)) {
      await this.queue.removeSchedule(workflowId, e.node_id);
      await this.db.deleteFrom('poll_triggers').where('workflow_id', '=', workflowId).where('node_id', '=', e.node_id).execute();
    }
    for (const w of wanted) {
      await this.db.insertInto('schedules').values({ workflow_id: w.workflowId, node_id: w.nodeId, owner_id: ownerId, cron: w.cron, timezone: w.timezone }).onConflict((oc) => oc.columns(['workflow_id', 'node_id']).doUpdateSet({ cron: w.cron, timezone: w.timezone })).execute();
      await this.queue.upsertSchedule(w);
    }
    for (const p of polls) {
      let spec: ScheduleSpec;
      try {
        spec = await ensurePollState(this.#polls, ownerId, workflowId, p);
      } catch (err) {
        const message = err instanceof NodeError ? err.message : `${p.integration.title} could not be reached`;
        throw new AppError('trigger_activation_failed', 502, `trigger "${p.node.id}" could not start polling: ${message}`, { cause: err });
      }
      await this.queue.upsertSchedule(spec);
    }
  }

  /**
   * Polls one polling trigger of an active workflow now (the queue's ticks call this; tests
   * too) and enqueues the runs it wrote. A lost enqueue is caught by the sweeper.
   */
  async pollNow(ownerId: string, workflowId: string, nodeId: string): Promise<PollOutcome> {
    const wf = await this.db.selectFrom('workflows').select(['active', 'active_version']).where('id', '=', workflowId).where('owner_id', '=', ownerId).executeTakeFirst();
    if (!wf?.active || wf.active_version === null) return { runIds: [], skipped: 'inactive' };
    const g = await this.#deps.graphs.get(this.db, ownerId, workflowId, wf.active_version);
    const entry = pollNodesOf(g.graph.nodes).find((p) => p.node.id === nodeId);
    if (!entry) return { runIds: [], skipped: 'no_state' };
    // Over the owner's quota: poll later rather than write runs that would be refused.
    await this.#checkQuota(ownerId);
    const outcome = await pollOnce(this.#polls, { ownerId, workflowId, version: wf.active_version, node: entry.node });
    for (const runId of outcome.runIds) await this.queue.enqueue({ runId, ownerId }, { isNew: true });
    return outcome;
  }

  /**
   * Embedded mode after a restart: the in-memory queue is empty, and a run left 'running' was
   * running in this very process when it stopped. Enqueue those (and 'queued' ones) again;
   * the executor resumes each from its checkpoints.
   */
  async recoverEmbedded(): Promise<number> {
    const rows = await this.db.selectFrom('runs').select(['id', 'owner_id']).where('status', 'in', ['running', 'queued']).execute();
    for (const r of rows) await this.queue.enqueue({ runId: r.id, ownerId: r.owner_id });
    return rows.length;
  }

  /** Before a workflow is deleted: its schedules leave the queue (rows go with the workflow). */
  async removeSchedules(ownerId: string, workflowId: string): Promise<void> {
    const rows = await this.db.selectFrom('schedules').select('node_id').where('owner_id', '=', ownerId).where('workflow_id', '=', workflowId).execute();
    for (const r of rows) await this.queue.removeSchedule(workflowId, r.node_id);
    const polls = await this.db.selectFrom('poll_triggers').select('node_id').where('owner_id', '=', ownerId).where('workflow_id', '=', workflowId).execute();
    for (const r of polls) await this.queue.removeSchedule(workflowId, r.node_id);
  }

  /** Embedded mode keeps timers in memory: re-register every stored schedule and polling trigger at start. */
  async restoreSchedules(): Promise<void> {
    const rows = await this.db.selectFrom('schedules').selectAll().execute();
    for (const r of rows) await this.queue.upsertSchedule({ workflowId: r.workflow_id, nodeId: r.node_id, ownerId: r.owner_id, cron: r.cron, timezone: r.timezone });
    const polls = await this.db.selectFrom('poll_triggers').selectAll().execute();
    for (const r of polls) await this.queue.upsertSchedule({ workflowId: r.workflow_id, nodeId: r.node_id, ownerId: r.owner_id, cron: '', timezone: 'UTC', everyMs: r.interval_ms, poll: true });
  }

  async close(opts: { graceMs?: number } = {}): Promise<void> {
    // Inline runs finish within the grace period; past it their leases lapse and workers resume them.
    if (this.#inline.size) await Promise.race([Promise.allSettled([...this.#inline]), new Promise((r) => setTimeout(r, opts.graceMs ?? 10_000).unref())]);
    clearInterval(this.#sweeper);
    clearInterval(this.#pruner);
    await this.queue.close(opts);
    // Runs still going after the grace period are handed back, not crashed: whoever resumes
    // them must not count this stop towards failing them as poison.
    await runs.releaseClaims(this.db, [...this.#deps.active.keys()]).catch((err: unknown) => this.#log.warn({ err: String(err) }, 'could not hand back unfinished runs'));
    for (const u of this.#unsubscribe) u();
    await this.bus.close();
    await this.#onClose?.();
  }
}

/** The node and everything downstream of it (forward edges). */
function reachableFrom(graph: Graph, start: string): Set<string> {
  const index = indexGraph(graph);
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length) for (const next of successors(index, stack.pop()!)) if (!seen.has(next)) (seen.add(next), stack.push(next));
  return seen;
}
