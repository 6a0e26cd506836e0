// Faults survived under load (issue 14 item 7): real server and worker processes in queue mode,
// a private Redis (AOF, restartable on its port) and a fresh test database, a steady load of
// webhook runs (HTTP call → delay → HTTP call) going on while the fault happens. Each test logs
// runs accepted / finished / lost and duplicated steps, and requires 0 lost and 0 duplicated.
// A duplicated step is a second execution of a run's node with a *different* idempotency key;
// the step in flight at the fault may run again, but only with its own key.
// A request arriving while the database is unreachable (503 + Retry-After) is covered by
// server/test/database-outage.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrations } from '@keyflow/migrations';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as webhooks from '../src/store/webhooks.repo.ts';
import * as workflows from '../src/store/workflows.repo.ts';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.ts';
import { ProcessGroup, waitUntil, type ManagedProcess } from './support/processes.ts';

const LOCK_MS = 2_000;
/** Child processes connect with this application_name, so the test can kill exactly their sessions. */
const APP_NAME = 'kf_fault_proc';
const LOAD = { perSecond: 20, seconds: 10 };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A Redis of this file alone, persisted to an AOF fsynced on every write, restartable on its port. */
interface PrivateRedis {
  url: string;
  start(): Promise<void>;
  kill(sig: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kf-fault-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const ping = async () => {
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
    r.on('error', () => undefined);
    try {
      await r.connect();
      return (await r.ping()) === 'PONG' ? true : undefined;
    } catch {
      return undefined;
    } finally {
      r.disconnect();
    }
  };
  const kill = async (sig: NodeJS.Signals) => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    url,
    async start() {
      const c = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], { stdio: 'ignore' });
      child = c;
      exited = new Promise((resolve) => c.once('exit', () => resolve()));
      await waitUntil(`private Redis on port ${port}`, ping, 10_000, 50);
    },
    kill,
    async stop() {
      await kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Loopback API: records, per path, each call's idempotency key (which starts with the run id). */
interface FakeApi {
  base: string;
  /** Executions beyond the first that carried a different key, summed over run × path, for `runIds`. */
  duplicated(runIds: Iterable<string>): number;
  /** Runs in `runIds` for which `path` was never called. */
  missing(path: string, runIds: Iterable<string>): string[];
  /**
   * Runs whose call to `path` was cut by the caller before the answer (its process died with the
   * call in flight). A URL with `?hold=<ms>` is answered only after that long, so calls are in flight.
   */
  cut(path: string): Set<string>;
  /** Calls to `path` waiting for their answer now. */
  inFlight(path: string): number;
  close(): Promise<void>;
}

async function startFakeApi(): Promise<FakeApi> {
  const keys = new Map<string, Set<string>[]>(); // `${runId} ${path}` → distinct keys (as one set)
  const cutBy = new Map<string, Set<string>>(); // path → run ids whose call was cut
  const open = new Map<string, number>(); // path → calls in flight
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const hold = Number(url.searchParams.get('hold') ?? 0);
    const key = String(req.headers['idempotency-key'] ?? '');
    const runId = key.split(':')[0]!;
    const id = `${runId} ${path}`;
    const entry = keys.get(id) ?? [new Set<string>()];
    entry[0]!.add(key);
    keys.set(id, entry);
    open.set(path, (open.get(path) ?? 0) + 1);
    let answered = false;
    res.on('close', () => {
      open.set(path, (open.get(path) ?? 1) - 1);
      if (answered) return;
      const set = cutBy.get(path) ?? new Set<string>();
      set.add(runId);
      cutBy.set(path, set);
    });
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        if (res.destroyed) return;
        answered = true;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ path }));
      }, hold);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    duplicated(runIds) {
      let n = 0;
      for (const runId of runIds) for (const path of ['/a', '/b']) n += Math.max(0, (keys.get(`${runId} ${path}`)?.[0]?.size ?? 0) - 1);
      return n;
    },
    missing: (path, runIds) => [...runIds].filter((r) => !keys.has(`${r} ${path}`)),
    cut: (path) => new Set(cutBy.get(path) ?? []),
    inFlight: (path) => open.get(path) ?? 0,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface LoadResult {
  sent: number;
  /** Run ids of the requests answered 2xx. */
  accepted: Set<string>;
  refused: number;
}

/** Posts to the hook URLs (round-robin) at a steady rate; `fault` runs once, halfway through. */
async function steadyLoad(urls: () => string[], fault: () => Promise<void>): Promise<LoadResult> {
  const accepted = new Set<string>();
  let refused = 0;
  const pending: Promise<void>[] = [];
  const total = LOAD.perSecond * LOAD.seconds;
  const gap = 1000 / LOAD.perSecond;
  const started = Date.now();
  let faultDone: Promise<void> = Promise.resolve();
  for (let i = 0; i < total; i++) {
    if (i === Math.floor(total / 2)) faultDone = fault();
    const targets = urls();
    const url = targets[i % targets.length]!;
    pending.push(
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }), signal: AbortSignal.timeout(60_000) })
        .then(async (res) => {
          const body = (await res.json().catch(() => ({}))) as { runId?: string };
          if (res.ok && body.runId) accepted.add(body.runId);
          else refused++;
        })
        .catch(() => {
          refused++;
        }),
    );
    const wait = started + (i + 1) * gap - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await faultDone;
  await Promise.all(pending);
  return { sent: total, accepted, refused };
}

const pos = { x: 0, y: 0 };
const http = (id: string, url: string) => ({ id, type: 'core.http', version: 1, config: { method: 'POST', url, body: { step: id }, timeoutMs: 20_000 }, position: pos });

describe('faults survived under load (queue mode, real processes)', () => {
  const procs = new ProcessGroup();
  const encryptionKey = randomBytes(32).toString('base64url');
  let db: TestDatabase;
  let redis: PrivateRedis;
  let api: FakeApi;
  let ownerId: string;
  let childDbUrl: string;

  beforeAll(async () => {
    redis = await privateRedis();
    await redis.start();
    db = await createPostgresDatabase();
    const u = new URL(db.url!);
    u.searchParams.set('application_name', APP_NAME);
    childDbUrl = u.toString();
    api = await startFakeApi();
    ownerId = randomUUID();
    await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@test.local`, password_hash: 'x' }).execute();
  }, 30_000);

  /** The processes of the current test, whose output a failure shows. */
  let started: ManagedProcess[] = [];

  afterEach(async () => {
    started = [];
    await procs.killAll();
  });

  afterAll(async () => {
    await procs.killAll();
    await api?.close();
    await db?.drop();
    await redis?.stop();
  });

  function env(queueName: string): Record<string, string> {
    return {
      DATABASE_URL: childDbUrl, REDIS_URL: redis.url, KEYFLOW_ENCRYPTION_KEYS: encryptionKey, KEYFLOW_QUEUE_NAME: queueName,
      KEYFLOW_QUEUE_LOCK_MS: String(LOCK_MS), KEYFLOW_HTTP_ALLOW: '127.0.0.1', KEYFLOW_WEBHOOK_RATE_PER_MINUTE: '10000000', LOG_LEVEL: 'warn',
    };
  }

  async function startWorker(label: string, queueName: string): Promise<ManagedProcess> {
    const w = procs.spawnNode(label, ['server/src/cli.ts', 'worker'], { ...env(queueName), KEYFLOW_WORKER_CONCURRENCY: '20', LOG_LEVEL: 'info' });
    started.push(w);
    await w.waitForOutput(/worker started/, 30_000);
    return w;
  }

  async function startServer(label: string, queueName: string, extra: Record<string, string> = {}): Promise<{ proc: ManagedProcess; port: number }> {
    const port = await freePort();
    const proc = procs.spawnNode(label, ['server/src/cli.ts', 'server'], { ...env(queueName), PORT: String(port), LOG_LEVEL: 'info', ...extra });
    started.push(proc);
    await proc.waitForOutput(/Keyflow is running/, 30_000);
    return { proc, port };
  }

  /** hook → a (HTTP, answered after `holdAMs`) → half a second's delay (parks in the queue) → b (HTTP). */
  async function hookWorkflow(responseMode: 'accepted' | 'wait', holdAMs = 0): Promise<{ workflowId: string; path: string }> {
    const graph = {
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { responseMode, timeoutMs: 60_000 }, position: pos },
        http('a', `${api.base}/a${holdAMs ? `?hold=${holdAMs}` : ''}`),
        { id: 'pause', type: 'core.delay', version: 1, config: { amount: 0.5, unit: 'seconds' }, position: pos },
        http('b', `${api.base}/b`),
      ],
      edges: [{ id: 'e1', source: 'hook', target: 'a' }, { id: 'e2', source: 'a', target: 'pause' }, { id: 'e3', source: 'pause', target: 'b' }],
    };
    const wf = await workflows.createWorkflow(db.db, ownerId, { name: `faults ${randomUUID().slice(0, 8)}`, graph });
    await webhooks.ensureWebhooks(db.db, ownerId, wf.id, ['hook']);
    await workflows.setActive(db.db, ownerId, wf.id, true);
    const [hook] = await webhooks.listWebhooks(db.db, ownerId, wf.id);
    return { workflowId: wf.id, path: hook!.path };
  }

  /**
   * Waits for every run in `runIds` to end, then logs and checks the figures: all succeeded
   * (lost 0), each called a and b, no step executed twice under different keys.
   */
  async function settle(name: string, runIds: Set<string>, load: LoadResult): Promise<void> {
    const ids = [...runIds];
    expect(ids.length).toBeGreaterThan(LOAD.perSecond * LOAD.seconds * 0.3);
    const rows = await waitUntil(`the ${ids.length} accepted runs of "${name}" to end`, async () => {
      const r = await db.db.selectFrom('runs').select(['id', 'status']).where('id', 'in', ids).execute();
      return r.length === ids.length && r.every((x) => ['succeeded', 'failed', 'cancelled'].includes(x.status)) ? r : undefined;
    }, 60_000, 250).catch(async (err: unknown) => {
      const r = await db.db.selectFrom('runs').select(['status', sql<number>`count(*)`.as('n')]).where('id', 'in', ids).groupBy('status').execute();
      const tails = started.map((m) => `--- ${m.label} (${m.pid}):\n${m.output().slice(-3000)}`).join('\n');
      throw new Error(`${String(err)}; statuses: ${JSON.stringify(r)}\n${tails}`);
    });
    const finished = rows.filter((r) => r.status === 'succeeded').length;
    const lost = ids.length - finished;
    const duplicated = api.duplicated(ids);
    if (lost > 0) {
      const bad = await db.db.selectFrom('runs').select(['id', 'status', 'error']).where('id', 'in', ids).where('status', '<>', 'succeeded').limit(5).execute();
      const steps = await db.db.selectFrom('run_steps').select(['run_id', 'node_id', 'status', 'attempt', 'error']).where('run_id', 'in', bad.map((b) => b.id)).where('status', '<>', 'succeeded').execute();
      console.log(`fault "${name}": runs not succeeded: ${JSON.stringify(bad)}; their failed steps: ${JSON.stringify(steps)}`);
    }
    console.log(`fault "${name}": sent ${load.sent}, accepted ${ids.length}, refused ${load.refused}, finished ${finished}, lost ${lost}, duplicated steps ${duplicated}`);
    expect({ lost, duplicated, missingA: api.missing('/a', ids).length, missingB: api.missing('/b', ids).length }).toEqual({ lost: 0, duplicated: 0, missingA: 0, missingB: 0 });
  }

  /** One server and `workers` workers on a fresh queue, with a webhook workflow; `url` is its hook on the server. */
  async function stack(kind: string, workers: number): Promise<{ url: string; server: ManagedProcess; workers: ManagedProcess[] }> {
    const queueName = `kf-fault-${kind}-${randomUUID().slice(0, 8)}`;
    const { path } = await hookWorkflow('accepted');
    const s = await startServer('server', queueName);
    const ws: ManagedProcess[] = [];
    for (let i = 1; i <= workers; i++) ws.push(await startWorker(`worker ${i}`, queueName));
    return { url: `http://127.0.0.1:${s.port}/hooks/${path}`, server: s.proc, workers: ws };
  }

  it('a) Redis killed and restarted on its port mid-load: servers and workers reconnect, nothing lost', async () => {
    const { url } = await stack('redis', 2);
    const load = await steadyLoad(() => [url], async () => {
      await redis.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 1_000));
      await redis.start();
    });
    await settle('Redis restart', load.accepted, load);
  }, 180_000);

  it('b) Postgres sessions of server and workers terminated mid-load: nothing lost', async () => {
    const { url } = await stack('pg', 2);
    let terminated = 0;
    const load = await steadyLoad(() => [url], async () => {
      // Three rounds, so sessions opened to replace the first victims are cut as well.
      for (let round = 0; round < 3; round++) {
        const r = await sql<{ ok: boolean }>`select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = ${APP_NAME} and pid <> pg_backend_pid()`.execute(db.db);
        terminated += r.rows.filter((x) => x.ok).length;
        await new Promise((res) => setTimeout(res, 300));
      }
    });
    console.log(`fault "Postgres sessions": ${terminated} sessions terminated`);
    expect(terminated).toBeGreaterThan(2);
    await settle('Postgres sessions terminated', load.accepted, load);
  }, 180_000);

  it('c) two of three workers killed -9 at once mid-load: the third finishes their runs', async () => {
    const { url, workers: [w1, w2] } = await stack('workers', 3);
    const load = await steadyLoad(() => [url], async () => {
      w1!.signal('SIGKILL');
      w2!.signal('SIGKILL');
      await Promise.all([w1!.waitForExit(5_000), w2!.waitForExit(5_000)]);
    });
    await settle('two workers killed', load.accepted, load);
  }, 180_000);

  // What rescues a killed server's inline runs depends on where each run was when it died:
  // - parked in the delay: its wake-up is a delayed BullMQ job already, and any worker resumes it;
  // - executing a step: the run's only record is its Postgres row ('running', under a lease that
  //   the dead server no longer renews). No job exists anywhere; only the sweeper's lapsed-lease
  //   clause (findOrphanedRuns) hands it to a worker.
  // Step a is held for 1.5 s, so the killed server has inline runs inside it; the fake API sees
  // their calls cut, and the test checks those runs had no job when the server died. Seen failing
  // (runs left 'running') with the lapsed-lease clause removed from findOrphanedRuns, and with
  // sweep() returning 0. Before step a was held, no run was ever mid-step at the kill, so the
  // test passed with the sweeper disabled.
  it('d) a server killed -9 with inline webhook runs mid-step under load: the sweeper hands its leased runs to workers, its parked runs resume from the queue, the other server carries on', async () => {
    const queueName = `kf-fault-server-${randomUUID().slice(0, 8)}`;
    const { workflowId, path } = await hookWorkflow('wait', 1_500);
    // Every "wait" run inline on its server (the default of 16 could push some to the queue).
    const inline = { KEYFLOW_INLINE_RUNS: '200' };
    const s1 = await startServer('server 1', queueName, inline);
    const s2 = await startServer('server 2', queueName, inline);
    await startWorker('worker 1', queueName);
    await startWorker('worker 2', queueName);
    let alive = [s1.port, s2.port];
    let cutAtKill = new Set<string>();
    let jobsOfCut = -1;
    const probe = new Redis(redis.url);
    try {
      const load = await steadyLoad(() => alive.map((p) => `http://127.0.0.1:${p}/hooks/${path}`), async () => {
        expect(api.inFlight('/a')).toBeGreaterThan(0);
        s1.proc.signal('SIGKILL');
        await s1.proc.waitForExit(5_000);
        alive = [s2.port];
        // The kernel closes the dead process's sockets: its calls to /a end unanswered.
        cutAtKill = await waitUntil('the killed server\'s calls to /a to be cut', async () => {
          const c = api.cut('/a');
          return c.size > 0 ? c : undefined;
        }, 5_000, 20);
        // Those runs exist only in Postgres: no BullMQ job of theirs, immediate or delayed.
        jobsOfCut = 0;
        for (const runId of cutAtKill) jobsOfCut += (await probe.keys(`bull:${queueName}:${runId}*`)).length;
      });
      console.log(`fault "server killed": ${cutAtKill.size} inline runs were cut mid-step; their BullMQ jobs at the kill: ${jobsOfCut}`);
      expect(cutAtKill.size).toBeGreaterThan(0);
      expect(jobsOfCut).toBe(0);
      // Every run a server wrote was accepted, answered or not (its caller's connection died with server 1).
      const written = await db.db.selectFrom('runs').select('id').where('workflow_id', '=', workflowId).execute();
      const all = new Set(written.map((r) => r.id));
      for (const id of load.accepted) expect(all.has(id)).toBe(true);
      for (const id of cutAtKill) expect(all.has(id)).toBe(true);
      console.log(`fault "server killed": ${all.size - load.accepted.size} runs were in flight on the killed server`);
      await settle('server killed -9 (inline runs)', all, load);
    } finally {
      probe.disconnect();
    }
  }, 180_000);

  it('e) an additive migration applied to the live database mid-load: no errors, nothing lost', async () => {
    const { url, server, workers } = await stack('migrate', 2);
    // Expand only: a nullable column and an index built CONCURRENTLY (outside a transaction), so
    // running code that knows neither keeps working. See migrations/README.md.
    const probe = {
      async up(d: typeof db.db) {
        await sql`alter table runs add column if not exists fault_probe text`.execute(d);
        await sql`create index concurrently if not exists runs_fault_probe_idx on runs (fault_probe)`.execute(d);
      },
      async down(d: typeof db.db) {
        await sql`drop index concurrently if exists runs_fault_probe_idx`.execute(d);
        await sql`alter table runs drop column if exists fault_probe`.execute(d);
      },
    };
    const migrator = new Migrator({ db: db.db, disableTransactions: true, provider: { getMigrations: async () => ({ ...migrations, m9999_fault_probe: probe as never }) } });
    let applied: string[] = [];
    const load = await steadyLoad(() => [url], async () => {
      const result = await migrator.migrateToLatest();
      if (result.error) throw result.error;
      applied = (result.results ?? []).map((r) => r.migrationName);
    });
    expect(applied).toEqual(['m9999_fault_probe']);
    await settle('migration applied live', load.accepted, load);
    for (const p of [server, ...workers]) expect(p.output()).not.toMatch(/"level":(50|60)/);
    // Leave the shared test database as the other files expect it.
    const last = Object.keys(migrations).sort().at(-1)!;
    const back = await migrator.migrateTo(last);
    if (back.error) throw back.error;
  }, 180_000);
});
