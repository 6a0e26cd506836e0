// Queue mode with real worker processes: a worker killed mid-step hands its run to another,
// which resumes from the checkpoints (only the in-flight step runs again, with the same
// idempotency key); a run whose enqueue was lost is picked up by the sweeper; and SIGTERM lets
// an active run finish before the worker exits.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.ts';
import { InProcessEventBus } from '../src/events/event-bus.ts';
import { BullRunQueue } from '../src/queue/bullmq-queue.ts';
import * as runs from '../src/store/runs.repo.ts';
import * as webhooks from '../src/store/webhooks.repo.ts';
import * as workflows from '../src/store/workflows.repo.ts';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.ts';
import { ProcessGroup, waitUntil, type ManagedProcess } from './support/processes.ts';
import { dropQueue, redisUrl, requireRedis, testQueueName } from './support/redis.ts';

const LOCK_MS = 2_000;

/** A loopback API that records each call's idempotency key and can hold one request open. */
interface FakeApi {
  base: string;
  /** The idempotency keys of the calls to `path` made for run `runId`, in arrival order. */
  keys(path: string, runId: string): string[];
  /** The next call to `path` gets no answer until `release()`; `seen` resolves when it arrives. */
  holdNext(path: string): { seen: Promise<number>; release(): void };
  close(): Promise<void>;
}

async function startFakeApi(): Promise<FakeApi> {
  const calls: { path: string; key: string }[] = [];
  const holds = new Map<string, { arrived: (at: number) => void; released: Promise<void> }>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    calls.push({ path, key: String(req.headers['idempotency-key'] ?? '') });
    const hold = holds.get(path);
    holds.delete(path);
    const answer = () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path }));
    };
    req.resume();
    req.on('end', () => {
      if (!hold) return answer();
      hold.arrived(Date.now());
      void hold.released.then(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    // The step's key starts with its run id, which tells the tests' runs apart.
    keys: (path, runId) => calls.filter((c) => c.path === path && c.key.startsWith(`${runId}:`)).map((c) => c.key),
    holdNext(path) {
      let arrived!: (at: number) => void;
      let release!: () => void;
      const seen = new Promise<number>((r) => (arrived = r));
      const released = new Promise<void>((r) => (release = r));
      holds.set(path, { arrived, released });
      return { seen, release };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function within<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const pos = { x: 0, y: 0 };
const http = (id: string, url: string) => ({ id, type: 'core.http', version: 1, config: { method: 'POST', url, body: { step: id }, timeoutMs: 20_000 }, position: pos });

/** manual → a → b → c, each an HTTP call to the fake API. */
function chain(base: string, ids: string[]) {
  const nodes = [{ id: 'start', type: 'core.manual', version: 1, config: {}, position: pos }, ...ids.map((id) => http(id, `${base}/${id}`))];
  const order = ['start', ...ids];
  return { nodes, edges: order.slice(1).map((id, i) => ({ id: `e${i}`, source: order[i]!, target: id })) };
}

describe('durability with real worker processes (queue mode)', () => {
  const procs = new ProcessGroup();
  const encryptionKey = randomBytes(32).toString('base64url');
  const cleanups: (() => Promise<void>)[] = [];
  let db: TestDatabase;
  let api: FakeApi;
  let ownerId: string;

  beforeAll(async () => {
    await requireRedis();
    db = await createPostgresDatabase();
    api = await startFakeApi();
    ownerId = randomUUID();
    await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@test.local`, password_hash: 'x' }).execute();
  });

  afterEach(async () => {
    await procs.killAll();
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  afterAll(async () => {
    await procs.killAll();
    await api?.close();
    await db?.drop();
  });

  /** A fresh queue name per test, removed from Redis afterwards. */
  function isolatedQueue(): string {
    const name = testQueueName('durability');
    cleanups.push(() => dropQueue(name));
    return name;
  }

  async function startWorker(label: string, queueName: string): Promise<ManagedProcess> {
    const w = procs.spawnNode(label, ['server/src/cli.ts', 'worker'], {
      DATABASE_URL: db.url!, REDIS_URL: redisUrl, KEYFLOW_ENCRYPTION_KEYS: encryptionKey, KEYFLOW_QUEUE_NAME: queueName,
      KEYFLOW_QUEUE_LOCK_MS: String(LOCK_MS), KEYFLOW_WORKER_CONCURRENCY: '4', KEYFLOW_HTTP_ALLOW: '127.0.0.1', LOG_LEVEL: 'info',
    });
    await w.waitForOutput(/worker started/, 20_000);
    return w;
  }

  /** The test process only produces: it writes the run and enqueues it, never executes. */
  function producer(queueName: string): Engine {
    const engine = new Engine({
      db: db.db, queue: new BullRunQueue({ url: redisUrl, name: queueName, lockDurationMs: LOCK_MS }), bus: new InProcessEventBus(), log: pino({ level: 'silent' }),
      fetch: () => Promise.reject(new Error('the producer does not execute nodes')), credentials: async () => undefined,
    });
    cleanups.push(() => engine.close({ graceMs: 1_000 }));
    return engine;
  }

  async function newWorkflow(ids: string[]): Promise<string> {
    const wf = await workflows.createWorkflow(db.db, ownerId, { name: `durability ${randomUUID().slice(0, 8)}`, graph: chain(api.base, ids) });
    return wf.id;
  }

  function finished(runId: string, timeoutMs: number, what: string): Promise<runs.RunRecord> {
    return waitUntil(what, async () => {
      const run = await runs.getRun(db.db, ownerId, runId);
      return runs.TERMINAL.includes(run.status) ? run : undefined;
    }, timeoutMs, 25);
  }

  async function stepRows(runId: string) {
    return db.db.selectFrom('run_steps').select(['node_id', 'status', 'attempt']).where('run_id', '=', runId).orderBy('seq').execute();
  }

  it('resumes a run on another worker after kill -9, re-running only the step in flight', async () => {
    const queueName = isolatedQueue();
    const workflowId = await newWorkflow(['a', 'b', 'c']);
    const heldB = api.holdNext('/b');
    const w1 = await startWorker('worker W1', queueName);
    const runId = await producer(queueName).startRun({ ownerId, workflowId, version: 1, trigger: 'manual', payload: {} });

    await within('W1 to call step b', heldB.seen, 15_000);
    const killedAt = Date.now();
    w1.signal('SIGKILL');
    expect((await w1.waitForExit(5_000)).signal).toBe('SIGKILL');
    await startWorker('worker W2', queueName);
    const w2ReadyAt = Date.now();
    const run = await finished(runId, 20_000, `run ${runId} to finish on W2`);
    const doneAt = Date.now();

    console.log(`crash recovery: kill -9 → run finished on W2 in ${doneAt - killedAt} ms (W2 start-up ${w2ReadyAt - killedAt} ms, then ${doneAt - w2ReadyAt} ms; lock ${LOCK_MS} ms)`);
    expect(run.status).toBe('succeeded');
    expect(api.keys('/a', runId)).toHaveLength(1);
    expect(api.keys('/c', runId)).toHaveLength(1);
    const bKeys = api.keys('/b', runId);
    expect(bKeys).toHaveLength(2);
    expect(bKeys[1]).toBe(bKeys[0]);
    const steps = await stepRows(runId);
    for (const id of ['a', 'b', 'c']) expect(steps.filter((s) => s.node_id === id)).toEqual([{ node_id: id, status: 'succeeded', attempt: 1 }]);
  }, 45_000);

  it('resumes on a worker a webhook run its server executed inline, after kill -9 of that server', async () => {
    const queueName = isolatedQueue();
    const graph = {
      nodes: [{ id: 'hook', type: 'core.webhook', version: 1, config: { responseMode: 'wait', timeoutMs: 60_000 }, position: pos }, http('a', `${api.base}/a`), http('b', `${api.base}/b`), http('c', `${api.base}/c`), { id: 'reply', type: 'core.respond', version: 1, config: { status: 200, body: 'done' }, position: pos }],
      edges: [{ id: 'e1', source: 'hook', target: 'a' }, { id: 'e2', source: 'a', target: 'b' }, { id: 'e3', source: 'b', target: 'c' }, { id: 'e4', source: 'c', target: 'reply' }],
    };
    const wf = await workflows.createWorkflow(db.db, ownerId, { name: `inline ${randomUUID().slice(0, 8)}`, graph });
    await webhooks.ensureWebhooks(db.db, ownerId, wf.id, ['hook']);
    await workflows.setActive(db.db, ownerId, wf.id, true);
    const [hook] = await webhooks.listWebhooks(db.db, ownerId, wf.id);
    const heldB = api.holdNext('/b');
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const server = procs.spawnNode('server S', ['server/src/cli.ts', 'server'], {
      DATABASE_URL: db.url!, REDIS_URL: redisUrl, KEYFLOW_ENCRYPTION_KEYS: encryptionKey, KEYFLOW_QUEUE_NAME: queueName,
      KEYFLOW_QUEUE_LOCK_MS: String(LOCK_MS), KEYFLOW_HTTP_ALLOW: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info',
    });
    await server.waitForOutput(/Keyflow is running/, 20_000);
    await startWorker('worker W', queueName);
    // The caller's connection dies with the server; the run must not.
    void fetch(`http://127.0.0.1:${port}/hooks/${hook!.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);

    await within('the server to call step b itself', heldB.seen, 15_000);
    const running = await db.db.selectFrom('runs').select(['id', 'status', 'lease_until']).where('workflow_id', '=', wf.id).executeTakeFirstOrThrow();
    expect(running.status).toBe('running');
    expect(running.lease_until).not.toBeNull();
    server.signal('SIGKILL');
    await server.waitForExit(5_000);
    const run = await finished(running.id, 40_000, `run ${running.id} to be resumed by the worker after the lease lapsed`);
    expect(run.status).toBe('succeeded');
    expect(api.keys('/a', run.id)).toHaveLength(1);
    expect(api.keys('/c', run.id)).toHaveLength(1);
    const bKeys = api.keys('/b', run.id);
    expect(bKeys).toHaveLength(2);
    expect(bKeys[1]).toBe(bKeys[0]);
  }, 60_000);

  it('executes a run whose enqueue was lost, through the sweeper', async () => {
    const queueName = isolatedQueue();
    const workflowId = await newWorkflow(['a']);
    // A run row with no job: what a server that died between insert and enqueue leaves behind.
    const runId = await runs.insertRun(db.db, { ownerId, workflowId, workflowVersion: 1, trigger: 'manual', triggerPayload: {} });
    await db.db.updateTable('runs').set({ created_at: new Date(Date.now() - 3_600_000) }).where('id', '=', runId).execute();
    await startWorker('worker (sweeper)', queueName);

    const run = await finished(runId, 25_000, `the sweeper to re-enqueue run ${runId}`);
    expect(run.status).toBe('succeeded');
    expect(api.keys('/a', runId)).toHaveLength(1);
    const stuck = await db.db.selectFrom('runs').select('id').where('workflow_id', '=', workflowId).where('status', '=', 'queued').execute();
    expect(stuck).toEqual([]);
  }, 45_000);

  it('finishes the active run on SIGTERM and then exits 0', async () => {
    const queueName = isolatedQueue();
    const workflowId = await newWorkflow(['a', 'b', 'c']);
    const heldB = api.holdNext('/b');
    const w = await startWorker('worker (graceful)', queueName);
    const runId = await producer(queueName).startRun({ ownerId, workflowId, version: 1, trigger: 'manual', payload: {} });

    await within('the worker to call step b', heldB.seen, 15_000);
    w.signal('SIGTERM');
    await w.waitForOutput(/shutting down/, 5_000);
    heldB.release();
    const exit = await w.waitForExit(15_000);

    expect(exit).toEqual({ code: 0, signal: null });
    const run = await runs.getRun(db.db, ownerId, runId);
    expect(run.status).toBe('succeeded');
    for (const path of ['/a', '/b', '/c']) expect(api.keys(path, runId)).toHaveLength(1);
    const steps = await stepRows(runId);
    expect(steps.map((s) => `${s.node_id}:${s.status}`)).toEqual(['start:succeeded', 'a:succeeded', 'b:succeeded', 'c:succeeded']);
  }, 45_000);
});
