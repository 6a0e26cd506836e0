// An Engine on a fresh database with either dispatch mode, plus test-only nodes whose
// behaviour the tests script (flaky, blocking, counting), and helpers to run a graph.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { z } from 'zod';
import { coreNodes } from '@keyflow/nodes';
import { createNodeRegistry, defineNode, NodeError, NonRetriableNodeError, type SafeFetch } from '@keyflow/nodes/contract';
import { Engine } from '../../src/engine/engine.ts';
import { nodeFetch } from '../../src/engine/node-fetch.ts';
import { InProcessEventBus, type EventBus, type RunEvent } from '../../src/events/event-bus.ts';
import { RedisEventBus } from '../../src/events/redis-event-bus.ts';
import { createSafeFetch, parseAllowList } from '../../src/net/index.ts';
import { BullRunQueue } from '../../src/queue/bullmq-queue.ts';
import { InProcessQueue } from '../../src/queue/in-process-queue.ts';
import * as runs from '../../src/store/runs.repo.ts';
import * as workflows from '../../src/store/workflows.repo.ts';
import { createPgliteDatabase, createPostgresDatabase, type TestDatabase } from './postgres.ts';
import { dropQueue, requireRedis, redisUrl, testQueueName } from './redis.ts';
import { traceLog } from './trace-log.ts';

/** Calls per idempotency key, and scripted behaviour, shared with the test nodes. */
export const probe = {
  calls: new Map<string, number>(),
  failTimes: new Map<string, number>(),
  barriers: new Map<string, { wait: Promise<void>; release: () => void }>(),
  /** Ordered trace: test.trace nodes push `start:<label>`; tests may push their own entries. */
  log: traceLog,
  reset() {
    this.calls.clear();
    this.log.length = 0;
    this.failTimes.clear();
    this.barriers.clear();
  },
  barrier(name: string) {
    let release!: () => void;
    const wait = new Promise<void>((r) => (release = r));
    const b = { wait, release };
    this.barriers.set(name, b);
    return b;
  },
};

const fast = { initialDelayMs: 5, maxDelayMs: 20 };

export const testNodes = [
  defineNode({
    type: 'test.count', version: 1, title: 'Count', description: 'Counts calls', category: 'core', kind: 'action',
    config: z.strictObject({ label: z.string().default('') }), retry: fast,
    async run(ctx) {
      probe.calls.set(ctx.idempotencyKey, (probe.calls.get(ctx.idempotencyKey) ?? 0) + 1);
      return { output: { label: ctx.config.label, input: ctx.input, attempt: ctx.attempt } };
    },
  }),
  defineNode({
    type: 'test.trace', version: 1, title: 'Trace', description: 'Records that it started', category: 'core', kind: 'action',
    config: z.strictObject({ label: z.string() }),
    async run(ctx) {
      probe.log.push(`start:${ctx.config.label}`);
      return { output: { label: ctx.config.label } };
    },
  }),
  defineNode({
    type: 'test.flaky', version: 1, title: 'Flaky', description: 'Fails N times', category: 'core', kind: 'action',
    config: z.strictObject({ key: z.string(), fatal: z.boolean().default(false) }), retry: { ...fast, maxAttempts: 4 },
    async run(ctx) {
      const left = probe.failTimes.get(ctx.config.key) ?? 0;
      if (left > 0) {
        probe.failTimes.set(ctx.config.key, left - 1);
        if (ctx.config.fatal) throw new NonRetriableNodeError('bad input, will not retry');
        throw new NodeError(`transient failure (${left} left)`);
      }
      return { output: { ok: true, attempt: ctx.attempt } };
    },
  }),
  defineNode({
    type: 'test.block', version: 1, title: 'Block', description: 'Waits on a barrier', category: 'core', kind: 'action',
    config: z.strictObject({ name: z.string() }), retry: { maxAttempts: 1 }, timeoutMs: 2_000,
    async run(ctx) {
      probe.calls.set(`block:${ctx.config.name}`, (probe.calls.get(`block:${ctx.config.name}`) ?? 0) + 1);
      const b = probe.barriers.get(ctx.config.name);
      await new Promise<void>((resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
        (b?.wait ?? new Promise<never>(() => undefined)).then(resolve, reject);
      });
      return { output: { released: ctx.config.name } };
    },
  }),
  defineNode({
    type: 'test.big', version: 1, title: 'Big', description: 'Huge output', category: 'core', kind: 'action',
    config: z.strictObject({ bytes: z.int() }),
    async run(ctx) {
      return { output: 'x'.repeat(ctx.config.bytes) };
    },
  }),
  defineNode({
    type: 'test.sink', version: 1, title: 'Sink', description: 'Takes any config, answers its size', category: 'core', kind: 'action',
    config: z.strictObject({ data: z.unknown() }),
    async run(ctx) {
      return { output: { bytes: JSON.stringify(ctx.config.data ?? null).length } };
    },
  }),
  defineNode({
    type: 'test.fail_big', version: 1, title: 'Fail big', description: 'Fails with huge details', category: 'core', kind: 'action',
    config: z.strictObject({ bytes: z.int() }), retry: { maxAttempts: 1 },
    async run(ctx) {
      throw new NonRetriableNodeError('failed with a lot to say', { details: { text: 'y'.repeat(ctx.config.bytes) } });
    },
  }),
];

export const testRegistry = createNodeRegistry([...coreNodes, ...testNodes]);

export type Mode = 'embedded' | 'queue';

export interface TestEngine {
  engine: Engine;
  db: TestDatabase;
  bus: EventBus;
  ownerId: string;
  /** The queue (and event-bus namespace) name, in queue mode. */
  queueName: string | undefined;
  /** Saves the graph as a workflow and returns its id and version. */
  save(graph: unknown): Promise<{ workflowId: string; version: number }>;
  /** Runs a graph by hand and waits for the run to end. */
  run(graph: unknown, payload?: unknown, opts?: { timeoutMs?: number; trigger?: 'manual' | 'webhook' | 'schedule' | 'rerun' | 'test' }): Promise<runs.RunRecord & { steps: runs.StepRecord[] }>;
  waitFor(runId: string, predicate: (e: RunEvent) => boolean, timeoutMs?: number): Promise<RunEvent>;
  close(): Promise<void>;
}

export interface TestEngineOptions {
  runTimeoutMs?: number;
  maxOutputBytes?: number;
  maxStoredBytes?: number;
  maxRunSteps?: number;
  maxRunBytes?: number;
  fetch?: SafeFetch;
  concurrency?: number;
  lockDurationMs?: number;
  /** Webhook "wait" runs executed by the engine itself (as servers do; under a lease in queue mode, none embedded). */
  inlineRuns?: number;
}

export async function createTestEngine(mode: Mode, opts: TestEngineOptions = {}): Promise<TestEngine> {
  const db = mode === 'queue' ? await createPostgresDatabase() : await createPgliteDatabase();
  let bus: EventBus;
  let queue;
  let queueName: string | undefined;
  if (mode === 'queue') {
    await requireRedis();
    const name = (queueName = testQueueName('engine'));
    bus = new RedisEventBus(redisUrl, name);
    queue = new BullRunQueue({ url: redisUrl, name, lockDurationMs: opts.lockDurationMs ?? 5_000 });
  } else {
    bus = new InProcessEventBus();
    queue = new InProcessQueue();
  }
  const safe = createSafeFetch({ allow: parseAllowList('127.0.0.1'), timeoutMs: 5_000 });
  const engine = new Engine({
    db: db.db, queue, bus, log: pino({ level: 'silent' }), fetch: opts.fetch ?? nodeFetch(safe), credentials: async () => undefined, registry: testRegistry,
    runTimeoutMs: opts.runTimeoutMs ?? 20_000, maxOutputBytes: opts.maxOutputBytes ?? 64 * 1024, orphanAfterMs: 3_000,
    ...(opts.maxStoredBytes ? { maxStoredBytes: opts.maxStoredBytes } : {}),
    ...(opts.maxRunSteps ? { maxRunSteps: opts.maxRunSteps } : {}),
    ...(opts.maxRunBytes ? { maxRunBytes: opts.maxRunBytes } : {}),
    ...(opts.inlineRuns ? { inlineRuns: opts.inlineRuns, inlineLeaseMs: mode === 'queue' ? 5_000 : null } : {}),
  });
  await engine.init();
  engine.startWorker(opts.concurrency ?? 10);
  const ownerId = randomUUID();
  await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@test.local`, password_hash: 'x' }).execute();

  const waitFor: TestEngine['waitFor'] = async (runId, predicate, timeoutMs = 15_000) => {
    let off: () => void = () => undefined;
    const result = new Promise<RunEvent>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for an event of run ${runId}`)), timeoutMs);
      void bus.subscribeRun(runId, (e) => {
        if (predicate(e)) {
          clearTimeout(t);
          resolve(e);
        }
      }).then((u) => (off = u));
    });
    try {
      return await result;
    } finally {
      off();
    }
  };

  const save: TestEngine['save'] = async (graph) => {
    const wf = await workflows.createWorkflow(db.db, ownerId, { name: 'test', graph });
    return { workflowId: wf.id, version: wf.currentVersion };
  };

  return {
    engine, db, bus, ownerId, queueName, save, waitFor,
    async run(graph, payload = {}, o = {}) {
      const { workflowId, version } = await save(graph);
      const runId = randomUUID();
      const done = new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('run did not finish in time')), o.timeoutMs ?? 15_000);
        void bus.subscribeRun(runId, (e) => {
          if (e.type === 'run.finished') {
            clearTimeout(t);
            resolve();
          }
        }).then(async () => {
          await runs.insertRun(db.db, { id: runId, ownerId, workflowId, workflowVersion: version, trigger: o.trigger ?? 'manual', triggerPayload: payload });
          await engine.queue.enqueue({ runId, ownerId });
        });
      });
      await done;
      return runs.getRunWithSteps(db.db, ownerId, runId);
    },
    async close() {
      await engine.close({ graceMs: 2_000 });
      await safe.close();
      if (queueName) await dropQueue(queueName);
      await db.drop();
    },
  };
}
