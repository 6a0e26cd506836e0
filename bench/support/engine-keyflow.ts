// Keyflow under load in both deployments: queue mode (server + one worker + Postgres + Redis)
// and embedded mode (`start`: PGlite, in-process queue and worker). Each gets its own fresh
// database; the persisted runs are counted afterwards to prove every request left its rows.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '@keyflow/engine';
import { createPostgresDatabase } from '@keyflow/engine/testing';
import { onCleanup } from './cleanup.ts';
import { measureCrashRecovery, type CrashResult } from './engine-crash.ts';
import { EMBEDDED_RATE, RATED, runScenarioSet, type ScenarioSet, type ServicePids } from './engine-measure.ts';
import { pidsNamed } from './engine-proc-stats.ts';
import { BENCH_HOOK_RATE_PER_MINUTE, freePort, spawnKeyflow, waitForHttp, type KeyflowProcess } from './engine-process.ts';
import { memoryAtEnd, sampleRss, type MemoryAtEnd, type RssSamples } from './engine-memory.ts';
import type { MetricsSource } from './engine-metrics.ts';
import { flushBenchDb } from './engine-redis.ts';
import { chainGraph, createHookPool, poolSizeFor } from './engine-workflows.ts';
import { signupAndToken } from './signup-and-token.ts';

/** A Redis database index of the bench's own, flushed before and after (tests use db 0). */
export const REDIS_DB = 9;
export const CRASH_LOCK_MS = 2_000;

export interface Persisted {
  requests2xx: number;
  runs: number;
  succeeded: number;
  steps: number;
}

export interface ModeResult {
  set: ScenarioSet;
  rss: { label: string; bytes: number | undefined; memory?: MemoryAtEnd }[];
  /** The processes' summed RSS sampled from the first workflow's creation to the end of the last window. */
  rssDuringLoad?: RssSamples;
  persisted: Persisted;
  crash?: CrashResult | { error: string };
}

type Progress = (msg: string) => void;

export async function countPersisted(db: Db, workflowIds: string[], requests2xx: number): Promise<Persisted> {
  const runs = await db.selectFrom('runs').select(['status']).select((eb) => eb.fn.countAll<number>().as('n')).where('workflow_id', 'in', workflowIds).groupBy('status').execute();
  const steps = await db.selectFrom('run_steps').innerJoin('runs', 'runs.id', 'run_steps.run_id').select((eb) => eb.fn.countAll<number>().as('n')).where('runs.workflow_id', 'in', workflowIds).executeTakeFirstOrThrow();
  const total = runs.reduce((s, r) => s + Number(r.n), 0);
  return { requests2xx, runs: total, succeeded: Number(runs.find((r) => r.status === 'succeeded')?.n ?? 0), steps: Number(steps.n) };
}

/** Pools of webhooks for each scenario, a smoke request, then the scenarios. */
async function loadKeyflow(label: string, baseUrl: string, procs: KeyflowProcess[], progress: Progress, rated: number | undefined, extra: { services?: ServicePids; metrics: MetricsSource[]; redisUrl?: string }): Promise<{ set: ScenarioSet; max1Ids: string[] }> {
  const { token } = await signupAndToken(baseUrl);
  progress(`${label}: creating webhook workflows (per-webhook rate limit lifted for the bench)`);
  const one = chainGraph(1);
  const twenty = chainGraph(20);
  const warm = await createHookPool(baseUrl, token, 'warm', one, poolSizeFor(2 * 5000, BENCH_HOOK_RATE_PER_MINUTE));
  const max1 = await createHookPool(baseUrl, token, '1-step', one, poolSizeFor(10 * 5000, BENCH_HOOK_RATE_PER_MINUTE));
  const max20 = await createHookPool(baseUrl, token, '20-step', twenty, poolSizeFor(10 * 2500, BENCH_HOOK_RATE_PER_MINUTE));
  const ratedPool = rated ? await createHookPool(baseUrl, token, 'rated', one, poolSizeFor((RATED.durationS + RATED.warmupS) * rated * 1.1, BENCH_HOOK_RATE_PER_MINUTE)) : undefined;
  // One request through the whole pipeline before any load: a broken setup fails here, loudly.
  const smoke = await fetch(`${baseUrl}${warm.paths[0]!}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}', signal: AbortSignal.timeout(30_000) });
  const text = await smoke.text();
  if (smoke.status !== 200 || !text.includes('Hello x')) throw new Error(`${label}: the smoke request answered ${smoke.status}: ${text.slice(0, 300)}`);
  const set = await runScenarioSet({
    label, origin: baseUrl, warmPaths: warm.paths, paths1: max1.paths, paths20: max20.paths, procs, progress,
    ...(extra.services ? { services: extra.services } : {}),
    metrics: extra.metrics,
    ...(extra.redisUrl ? { redisUrl: extra.redisUrl } : {}),
    ...(ratedPool && rated ? { ratedPaths: ratedPool.paths, ratedRate: rated } : {}),
  });
  return { set, max1Ids: max1.workflowIds };
}

interface PgClient {
  connect(): Promise<void>;
  query(text: string): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
}
// pg is CommonJS and the bench has no type declarations for it; this is the shape it relies on.
const { Client } = createRequire(import.meta.url)('pg') as { Client: new (opts: { connectionString: string }) => PgClient };

/** Postgres backends serving `url`'s database (the server's and worker's pools), and redis-server. */
function queueServices(url: string): ServicePids {
  return async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
      const pids = rows.map((r) => Number((r as { pid?: unknown }).pid)).filter((n) => Number.isInteger(n));
      return [...pids, ...pidsNamed('redis-server')];
    } finally {
      await client.end();
    }
  };
}

const settle = () => new Promise((r) => setTimeout(r, 1000));

export async function runQueueMode(progress: Progress): Promise<ModeResult> {
  progress('queue mode: fresh Postgres database, Redis db index ' + REDIS_DB);
  const db = await createPostgresDatabase();
  onCleanup(() => db.drop());
  const redisUrl = `redis://127.0.0.1:6379/${REDIS_DB}`;
  await flushBenchDb(redisUrl);
  onCleanup(() => flushBenchDb(redisUrl));
  const dataDir = mkdtempSync(join(tmpdir(), 'keyflow-bench-queue-'));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const workerMetricsPort = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const metricsToken = randomBytes(24).toString('base64url');
  const env = {
    KEYFLOW_METRICS_TOKEN: metricsToken,
    DATABASE_URL: db.url!, REDIS_URL: redisUrl, KEYFLOW_QUEUE_NAME: `kf-bench-${randomUUID().slice(0, 8)}`, KEYFLOW_DATA_DIR: dataDir,
    KEYFLOW_ENCRYPTION_KEYS: randomBytes(32).toString('base64url'), PORT: String(port), KEYFLOW_PUBLIC_URL: baseUrl,
  };
  const server = spawnKeyflow({ label: 'server', command: 'server', env });
  const worker = spawnKeyflow({ label: 'worker', command: 'worker', env: { ...env, KEYFLOW_METRICS_PORT: String(workerMetricsPort) } });
  await waitForHttp(server, `${baseUrl}/healthz`);
  await waitForHttp(worker, `http://127.0.0.1:${workerMetricsPort}/metrics`, 30_000, metricsToken);
  const metrics = [{ url: `${baseUrl}/metrics`, token: metricsToken }, { url: `http://127.0.0.1:${workerMetricsPort}/metrics`, token: metricsToken }];
  const sampler = sampleRss([server.pid, worker.pid]);
  const { set, max1Ids } = await loadKeyflow('queue mode', baseUrl, [server, worker], progress, RATED.rate, { services: queueServices(db.url!), metrics, redisUrl });
  const rssDuringLoad = sampler.stop();
  const rss = await Promise.all([['server', server, metrics[0]], ['worker', worker, metrics[1]]].map(async ([label, proc, source]) => {
    const memory = await memoryAtEnd((proc as KeyflowProcess).pid, source as MetricsSource);
    return { label: label as string, bytes: memory.rssBytes, memory };
  }));
  await settle();
  const persisted = await countPersisted(db.db, max1Ids, set.max1.load.statusCodes['200'] ?? 0);

  progress(`queue mode: crash recovery (kill -9 of the worker mid-run, KEYFLOW_QUEUE_LOCK_MS=${CRASH_LOCK_MS})`);
  await worker.stop();
  let crash: CrashResult | { error: string };
  try {
    const { token } = await signupAndToken(baseUrl);
    crash = await measureCrashRecovery({
      baseUrl, token, lockMs: CRASH_LOCK_MS,
      startWorker: (label) => spawnKeyflow({ label, command: 'worker', env: { ...env, LOG_LEVEL: 'info', KEYFLOW_HTTP_ALLOW: '127.0.0.1', KEYFLOW_QUEUE_LOCK_MS: String(CRASH_LOCK_MS) } }),
    });
  } catch (err) {
    crash = { error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
  await server.stop();
  return { set, rss, ...(rssDuringLoad ? { rssDuringLoad } : {}), persisted, crash };
}

export async function runEmbeddedMode(progress: Progress): Promise<ModeResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyflow-bench-embedded-'));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const metricsToken = randomBytes(24).toString('base64url');
  progress(`embedded mode: keyflow start, PGlite in ${dataDir}`);
  const proc = spawnKeyflow({
    label: 'start', command: 'start',
    env: { KEYFLOW_METRICS_TOKEN: metricsToken, DATABASE_URL: '', REDIS_URL: '', KEYFLOW_DATA_DIR: dataDir, KEYFLOW_ENCRYPTION_KEYS: randomBytes(32).toString('base64url'), PORT: String(port), KEYFLOW_PUBLIC_URL: baseUrl },
  });
  await waitForHttp(proc, `${baseUrl}/healthz`, 60_000);
  const metrics = [{ url: `${baseUrl}/metrics`, token: metricsToken }];
  const sampler = sampleRss([proc.pid]);
  const { set, max1Ids } = await loadKeyflow('embedded mode', baseUrl, [proc], progress, EMBEDDED_RATE, { metrics });
  const rssDuringLoad = sampler.stop();
  const memory = await memoryAtEnd(proc.pid, metrics[0]);
  const rss = [{ label: 'start', bytes: memory.rssBytes, memory }];
  await settle();
  await proc.stop();
  // PGlite allows one process at a time: count once `start` has let go of the folder.
  const store = await openDatabase({ dataDir });
  try {
    const persisted = await countPersisted(store.db, max1Ids, set.max1.load.statusCodes['200'] ?? 0);
    return { set, rss, ...(rssDuringLoad ? { rssDuringLoad } : {}), persisted };
  } finally {
    await store.close();
  }
}
