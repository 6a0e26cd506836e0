// "A server never dies because of a run", with real processes: a run that keeps killing its
// process is failed as poison after KEYFLOW_MAX_RUN_CRASHES executions (embedded restart
// recovery and BullMQ stalled-job recovery); an embedded server keeps answering while a
// 10,000-item loop runs, listens before it resumes interrupted runs, and survives a template
// that names its trigger a thousand times.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.ts';
import { InProcessEventBus } from '../src/events/event-bus.ts';
import { BullRunQueue } from '../src/queue/bullmq-queue.ts';
import { openDatabase } from '../src/store/database.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import * as runs from '../src/store/runs.repo.ts';
import * as workflows from '../src/store/workflows.repo.ts';
import { createPostgresDatabase } from './support/postgres.ts';
import { ProcessGroup, waitUntil, type ManagedProcess } from './support/processes.ts';
import { dropQueue, redisUrl, requireRedis, testQueueName } from './support/redis.ts';

const pos = { x: 0, y: 0 };
const crashGraph = {
  nodes: [{ id: 'start', type: 'core.manual', version: 1, config: {}, position: pos }, { id: 'boom', type: 'test.crash', version: 1, config: {}, position: pos }],
  edges: [{ id: 'e1', source: 'start', target: 'boom' }],
};
const CRASH_WORKER = 'engine/test/support/crash-worker.ts';

const procs = new ProcessGroup();
const dirs: string[] = [];
afterEach(() => procs.killAll());
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyflow-crash-'));
  dirs.push(dir);
  return dir;
}

/**
 * Starts crash workers one after another (each replaces the last one's death, as a supervisor
 * would) until one reports the run finished; returns that status and how many died first.
 */
async function superviseUntilFinished(label: string, env: Record<string, string>, runId: string): Promise<{ status: string; crashes: number; survivor: ManagedProcess }> {
  for (let crashes = 0; crashes < 6; crashes++) {
    const w = procs.spawnNode(`${label} #${crashes + 1}`, [CRASH_WORKER], env);
    const finished = w.waitForOutput(new RegExp(`finished ${runId} \\w+`), 30_000).then(() => 'finished' as const);
    const outcome = await Promise.race([finished, w.exited.then(() => 'exited' as const)]);
    if (outcome === 'finished') {
      const status = new RegExp(`finished ${runId} (\\w+)`).exec(w.output())![1]!;
      return { status, crashes, survivor: w };
    }
    expect((await w.exited).signal).toBe('SIGKILL');
  }
  throw new Error('the run was resumed more than 6 times');
}

describe('poison runs', () => {
  it('embedded: a run that kills its process 3 times is failed on the next restart, which stays up', async () => {
    const dataDir = tempDir();
    const store = await openDatabase({ dataDir });
    await migrateToLatest(store.db);
    const ownerId = randomUUID();
    await store.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@test.local`, password_hash: 'x' }).execute();
    const wf = await workflows.createWorkflow(store.db, ownerId, { name: 'poison', graph: crashGraph });
    const runId = await runs.insertRun(store.db, { ownerId, workflowId: wf.id, workflowVersion: 1, trigger: 'manual', triggerPayload: {} });
    // PGlite admits one process at a time: the workers open the folder after this closes it.
    await store.close();

    const { status, crashes, survivor } = await superviseUntilFinished('embedded worker', { KEYFLOW_DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '' }, runId);
    expect(status).toBe('failed');
    expect(crashes).toBe(3);
    survivor.signal('SIGTERM');
    expect(await survivor.waitForExit(10_000)).toEqual({ code: 0, signal: null });

    const after = await openDatabase({ dataDir });
    try {
      const run = await runs.getRun(after.db, ownerId, runId);
      expect(run.status).toBe('failed');
      expect(JSON.stringify(run.error)).toContain('this run crashed its worker 3 times in a row');
    } finally {
      await after.close();
    }
  }, 90_000);

  it('queue mode: a run that kills every worker that takes it is failed by the 4th, which stays up', async () => {
    await requireRedis();
    const db = await createPostgresDatabase();
    const queueName = testQueueName('poison');
    const queue = new BullRunQueue({ url: redisUrl, name: queueName, lockDurationMs: 1_000 });
    try {
      const ownerId = randomUUID();
      await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@test.local`, password_hash: 'x' }).execute();
      const wf = await workflows.createWorkflow(db.db, ownerId, { name: 'poison', graph: crashGraph });
      // This process only produces the run; the crash workers execute it.
      const producer = new Engine({ db: db.db, queue, bus: new InProcessEventBus(), log: pino({ level: 'silent' }), fetch: () => Promise.reject(new Error('unused')), credentials: async () => undefined });
      const runId = await producer.startRun({ ownerId, workflowId: wf.id, version: 1, trigger: 'manual', payload: {} });

      const env = { DATABASE_URL: db.url!, REDIS_URL: redisUrl, KEYFLOW_QUEUE_NAME: queueName, KEYFLOW_QUEUE_LOCK_MS: '1000' };
      const { status, crashes, survivor } = await superviseUntilFinished('queue worker', env, runId);
      expect(status).toBe('failed');
      expect(crashes).toBe(3);
      const run = await runs.getRun(db.db, ownerId, runId);
      expect(JSON.stringify(run.error)).toContain('this run crashed its worker 3 times in a row');
      survivor.signal('SIGTERM');
      expect(await survivor.waitForExit(10_000)).toEqual({ code: 0, signal: null });
      await producer.close({ graceMs: 100 });
    } finally {
      await dropQueue(queueName);
      await db.drop();
    }
  }, 90_000);
});

/** An embedded `keyflow start` on a free port, with a signed-up user's API token. */
async function startEmbedded(dataDir: string, label: string, extraArgs: string[] = []): Promise<{ proc: ManagedProcess; base: string }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const proc = procs.spawnNode(label, [...extraArgs, 'server/src/cli.ts', 'start'], {
    DATABASE_URL: '', REDIS_URL: '', KEYFLOW_DATA_DIR: dataDir, KEYFLOW_ENCRYPTION_KEYS: encryptionKey, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info',
  });
  await proc.waitForOutput(/Keyflow is running/, 30_000);
  return { proc, base: `http://127.0.0.1:${port}` };
}
const encryptionKey = randomBytes(32).toString('base64url');

async function api(base: string, path: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; json: unknown; headers: Headers }> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
}

async function tokenFor(base: string): Promise<string> {
  const signup = await api(base, '/api/auth/signup', { method: 'POST', body: { email: `crash-${randomUUID().slice(0, 8)}@example.test`, password: randomBytes(18).toString('base64url') } });
  expect(signup.status).toBe(201);
  const cookie = signup.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = (signup.json as { csrfToken: string }).csrfToken;
  const created = await api(base, '/api/tokens', { method: 'POST', body: { name: 'test' }, headers: { cookie, 'x-csrf-token': csrf } });
  expect(created.status).toBe(201);
  return (created.json as { token: string }).token;
}

async function startRun(base: string, token: string, graph: unknown, payload: unknown): Promise<{ workflowId: string; runId: string }> {
  const wf = await api(base, '/api/workflows', { method: 'POST', token, body: { name: `crash ${randomUUID().slice(0, 8)}`, graph } });
  expect(wf.status).toBe(201);
  const workflowId = (wf.json as { id: string }).id;
  const started = await api(base, `/api/workflows/${workflowId}/run`, { method: 'POST', token, body: { payload } });
  expect(started.status).toBe(202);
  return { workflowId, runId: (started.json as { runId: string }).runId };
}

async function runStatus(base: string, token: string, workflowId: string, runId: string): Promise<{ status: string; error?: unknown }> {
  const list = await api(base, `/api/runs?workflowId=${workflowId}`, { token });
  return (list.json as { items: { id: string; status: string; error?: unknown }[] }).items.find((r) => r.id === runId)!;
}

/** Probes /healthz one request at a time until `done()` says so; returns the slowest answer. */
async function slowestHealthz(base: string, done: () => Promise<boolean>): Promise<{ slowest: number; probes: number }> {
  let slowest = 0;
  let probes = 0;
  let lastCheck = 0;
  for (;;) {
    const t0 = performance.now();
    const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(60_000) });
    await res.text();
    slowest = Math.max(slowest, performance.now() - t0);
    probes += 1;
    if (Date.now() - lastCheck > 500) {
      lastCheck = Date.now();
      if (await done()) return { slowest, probes };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const loopGraph = {
  nodes: [
    { id: 'start', type: 'core.manual', version: 1, config: {}, position: pos },
    { id: 'each', type: 'core.loop', version: 1, config: { items: '{{ $trigger.items }}' }, position: pos },
    { id: 'double', type: 'core.transform', version: 1, config: { fields: [{ name: 'v', value: '{{ $item * 2 }}' }] }, position: pos },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'each' },
    { id: 'e2', source: 'each', sourceHandle: 'item', target: 'double' },
    { id: 'e3', source: 'double', target: 'each', targetHandle: 'next' },
  ],
};
const items = Array.from({ length: 10_000 }, (_, i) => i);

describe('an embedded server under one heavy run', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = tempDir();
  });

  it('answers /healthz within a second throughout a 10,000-item loop, and again after kill -9 and a restart', async () => {
    const first = await startEmbedded(dataDir, 'embedded server');
    const token = await tokenFor(first.base);
    const a = await startRun(first.base, token, loopGraph, { items });
    const during = await slowestHealthz(first.base, async () => (await runStatus(first.base, token, a.workflowId, a.runId)).status === 'succeeded');
    expect(during.slowest).toBeLessThan(1_000);

    // Interrupted mid-loop, the run must not keep the restarted server from coming up.
    const b = await startRun(first.base, token, loopGraph, { items });
    await waitUntil('the second run to be running', async () => ((await runStatus(first.base, token, b.workflowId, b.runId)).status === 'running' ? true : undefined), 10_000);
    await new Promise((r) => setTimeout(r, 500));
    first.proc.signal('SIGKILL');
    await first.proc.waitForExit(5_000);

    const second = await startEmbedded(dataDir, 'embedded server (restarted)');
    await second.proc.waitForOutput(/resuming runs interrupted/, 10_000);
    const out = second.proc.output();
    expect(out.indexOf('Keyflow is running')).toBeLessThan(out.indexOf('resuming runs interrupted'));
    const resumed = await slowestHealthz(second.base, async () => (await runStatus(second.base, token, b.workflowId, b.runId)).status === 'succeeded');
    expect(resumed.slowest).toBeLessThan(1_000);
  }, 180_000);

  it('survives three fields that each name the trigger a thousand times, failing the run instead', async () => {
    const server = await startEmbedded(tempDir(), 'embedded server (amplification)', ['--max-old-space-size=512']);
    const token = await tokenFor(server.base);
    const payload = { rows: Array.from({ length: 5_000 }, (_, i) => ({ id: i, name: `customer ${i}`, tags: ['x'] })) };
    const amplify = `{{ [${Array.from({ length: 1_000 }, () => '$trigger').join(',')}] }}`;
    const graph = {
      nodes: [{ id: 'start', type: 'core.manual', version: 1, config: {}, position: pos }, { id: 'shape', type: 'core.transform', version: 1, config: { fields: ['a', 'b', 'c'].map((name) => ({ name, value: amplify })) }, position: pos }],
      edges: [{ id: 'e1', source: 'start', target: 'shape' }],
    };
    const run = await startRun(server.base, token, graph, payload);
    const ended = await waitUntil('the run to end', async () => {
      const r = await runStatus(server.base, token, run.workflowId, run.runId);
      return runs.TERMINAL.includes(r.status as runs.RunStatus) ? r : undefined;
    }, 60_000, 200);
    expect(ended.status).toBe('failed');
    expect(JSON.stringify(ended.error)).toMatch(/bytes of built data/);
    expect((await api(server.base, '/healthz')).status).toBe(200);
  }, 90_000);
});
