// Scale-out (issue 15 item 6): queue mode, one server and 1, 2 or 4 worker processes against one
// Postgres database and a Redis of the bench's own (a private redis-server on a free port, so
// INFO commandstats counts nothing but Keyflow's commands). For each worker count the server
// first takes `runs` webhook requests ("accepted": every run goes through the queue) with the
// workers stopped, then the workers start and drain the queue: runs/s is what they finished over
// the span from the first start to the last finish. Postgres transactions, rows and WAL bytes
// and Redis commands are counted over the whole (accept + execute) and divided by the runs.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase } from '@keyflow/engine/testing';
import { onCleanup } from './cleanup.ts';
import { freePort, spawnKeyflow, waitForHttp, type KeyflowProcess } from './engine-process.ts';
import { machineBusyMs, processCpuMs } from './engine-proc-stats.ts';
import { chainGraph, createHookWorkflow } from './engine-workflows.ts';
import { signupAndToken } from './signup-and-token.ts';
import { timedRequest } from './scale-http.ts';
import { connectPg, STATS_FLUSH_MS, type BenchPg } from './scale-pg.ts';

async function startRedis(): Promise<{ port: number; pid: number }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'keyflow-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  onCleanup(async () => {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 50; i++) {
    try {
      if (execFileSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'PONG') return { port, pid: child.pid! };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis-server did not answer on port ${port}`);
}

function redisCalls(port: number): Map<string, number> {
  const text = execFileSync('redis-cli', ['-p', String(port), 'info', 'commandstats'], { encoding: 'utf8' });
  const calls = new Map<string, number>();
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(m[1]!, Number(m[2]));
  return calls;
}

interface PgCounters {
  commits: number;
  otherCommits: number;
  inserted: number;
  updated: number;
  deleted: number;
  walBytes: number;
}

async function pgCounters(pg: BenchPg): Promise<PgCounters> {
  await pg.query('select pg_stat_clear_snapshot()');
  const { rows } = await pg.query(`select
      (select xact_commit from pg_stat_database where datname = current_database())::int8 as c,
      (select sum(xact_commit) from pg_stat_database where datname <> current_database())::int8 as o,
      (select tup_inserted from pg_stat_database where datname = current_database())::int8 as i,
      (select tup_updated from pg_stat_database where datname = current_database())::int8 as u,
      (select tup_deleted from pg_stat_database where datname = current_database())::int8 as d,
      pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::int8 as w`);
  const r = rows[0]!;
  return { commits: Number(r.c), otherCommits: Number(r.o), inserted: Number(r.i), updated: Number(r.u), deleted: Number(r.d), walBytes: Number(r.w) };
}

const diff = (a: PgCounters, b: PgCounters): PgCounters => ({
  commits: b.commits - a.commits, otherCommits: b.otherCommits - a.otherCommits, inserted: b.inserted - a.inserted, updated: b.updated - a.updated, deleted: b.deleted - a.deleted, walBytes: b.walBytes - a.walBytes,
});

async function backendPids(pg: BenchPg): Promise<number[]> {
  const { rows } = await pg.query('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
  return rows.map((r) => Number(r.pid));
}

interface ScaleOutRow {
  workers: number;
  runs: number;
  runsPerS: number;
  acceptPerS: number;
  machineBusy: number;
  cpuMsPerRun: number;
  pgAccept: PgCounters;
  pgExecute: PgCounters;
  redisAccept: number;
  redisExecute: number;
  topRedis: string;
  failed: { n: number; error: string };
  load: string;
}

export async function measureScaleOut(progress: (m: string) => void): Promise<void> {
  const runsPer = Number(process.env.KEYFLOW_BENCH_SCALE_OUT_RUNS ?? 3000);
  const counts = (process.env.KEYFLOW_BENCH_SCALE_WORKERS ?? '1,2,4').split(',').map(Number);
  const db = await createPostgresDatabase();
  onCleanup(() => db.drop());
  const pg = await connectPg(db.url!);
  onCleanup(() => pg.end());
  const redis = await startRedis();
  const redisUrl = `redis://127.0.0.1:${redis.port}/0`;
  const dataDir = mkdtempSync(join(tmpdir(), 'keyflow-bench-scaleout-'));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: db.url!, REDIS_URL: redisUrl, KEYFLOW_QUEUE_NAME: `kf-scale-${randomUUID().slice(0, 8)}`, KEYFLOW_DATA_DIR: dataDir,
    KEYFLOW_ENCRYPTION_KEYS: randomBytes(32).toString('base64url'), PORT: String(port), KEYFLOW_PUBLIC_URL: origin, KEYFLOW_RUN_RETENTION_DAYS: '0',
  };
  const server = spawnKeyflow({ label: 'server', command: 'server', env });
  await waitForHttp(server, `${origin}/healthz`);
  const { token } = await signupAndToken(origin);
  // webhook → 3 transforms → respond: the same 5-step run the data part measures.
  const hook = await createHookWorkflow(origin, token, 'scale-out', chainGraph(3, 'accepted'));
  const { rows: wfRows } = await pg.query('select workflow_id from webhooks limit 1');
  const workflowId = String(wfRows[0]!.workflow_id);
  const rows: ScaleOutRow[] = [];
  for (const n of counts) {
    await pg.query('delete from runs where workflow_id = $1', [workflowId]);
    progress(`scale-out: ${n} worker(s): accepting ${runsPer} runs with no worker running`);
    const c0 = await pgCounters(pg);
    const r0 = redisCalls(redis.port);
    const tA = performance.now();
    let next = 0;
    const poster = async () => {
      while (next < runsPer) {
        next++;
        await timedRequest(origin, { path: hook.path, method: 'POST', body: '{"name":"x"}' });
      }
    };
    await Promise.all(Array.from({ length: 16 }, poster));
    const acceptPerS = runsPer / ((performance.now() - tA) / 1000);
    await new Promise((r) => setTimeout(r, STATS_FLUSH_MS));
    const c1 = await pgCounters(pg);
    const r1 = redisCalls(redis.port);

    const workers: KeyflowProcess[] = Array.from({ length: n }, (_, i) => spawnKeyflow({ label: `worker${i + 1}`, command: 'worker', env }));
    const busy0 = machineBusyMs();
    const t0 = performance.now();
    let done = 0;
    let procCpu0: number | undefined;
    let backends: number[] = [];
    while (done < runsPer) {
      await new Promise((r) => setTimeout(r, 250));
      const { rows: d } = await pg.query(`select count(*) filter (where status in ('succeeded', 'failed'))::int as done, count(*) filter (where status = 'failed')::int as failed from runs where workflow_id = $1`, [workflowId]);
      done = Number(d[0]!.done);
      if (procCpu0 === undefined && done > 0) {
        backends = await backendPids(pg);
        procCpu0 = [...workers.map((w) => w.cpuMs() ?? 0), ...backends.map((p) => processCpuMs(p) ?? 0), processCpuMs(redis.pid) ?? 0].reduce((a, b) => a + b, 0);
      }
      if (performance.now() - t0 > 300_000) throw new Error(`scale-out: ${n} workers finished ${done} of ${runsPer} runs in 5 minutes`);
    }
    const wallMs = performance.now() - t0;
    // A failed run is reported with its error, not hidden: the figures still count it as executed.
    const { rows: failedRows } = await pg.query(`select count(*)::int as n, min(error::text) as e from runs where workflow_id = $1 and status = 'failed'`, [workflowId]);
    const failed = { n: Number(failedRows[0]!.n), error: String(failedRows[0]!.e ?? '').slice(0, 300) };
    const busy = (machineBusyMs() - busy0) / (wallMs * cpus().length);
    const procCpu1 = [...workers.map((w) => w.cpuMs() ?? 0), ...backends.map((p) => processCpuMs(p) ?? 0), processCpuMs(redis.pid) ?? 0].reduce((a, b) => a + b, 0);
    const { rows: span } = await pg.query(`select extract(epoch from max(finished_at) - min(started_at)) as s, count(*)::int as n from runs where workflow_id = $1`, [workflowId]);
    const spanS = Number(span[0]!.s);
    const spanRunsPerS = Number(span[0]!.n) / spanS;
    await new Promise((r) => setTimeout(r, STATS_FLUSH_MS));
    const c2 = await pgCounters(pg);
    const r2 = redisCalls(redis.port);
    await Promise.all(workers.map((w) => w.stop()));
    const sum = (m: Map<string, number>, base: Map<string, number>) => [...m].reduce((s, [k, v]) => s + v - (base.get(k) ?? 0), 0);
    const top = [...r2].map(([k, v]) => [k, (v - (r1.get(k) ?? 0)) / runsPer] as const).filter(([, v]) => v > 0.05).sort((a, b) => b[1] - a[1]).slice(0, 8);
    rows.push({
      workers: n, runs: runsPer, runsPerS: spanRunsPerS, acceptPerS, machineBusy: busy,
      cpuMsPerRun: procCpu0 === undefined ? Number.NaN : (procCpu1 - procCpu0) / runsPer,
      pgAccept: diff(c0, c1), pgExecute: diff(c1, c2), redisAccept: sum(r1, r0), redisExecute: sum(r2, r1),
      failed,
      topRedis: top.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '), load: loadavg().map((l) => l.toFixed(1)).join(' '),
    });
    progress(`scale-out: ${n} worker(s): ${spanRunsPerS.toFixed(0)} runs/s, machine ${(busy * 100).toFixed(0)} % busy${failed.n ? `, ${failed.n} runs failed: ${failed.error}` : ''}`);
  }
  await server.stop();
  printScaleOut(rows);
}

function printScaleOut(rows: ScaleOutRow[]): void {
  const per = (v: number, n: number) => (v / n).toFixed(2);
  console.log('\n## Scale-out: queue mode, one server, N workers, one Postgres, one Redis (this 2-core machine)\n');
  console.log('| workers | runs | runs/s (first start → last finish) | machine busy (all cores) | CPU ms/run (workers + Postgres backends + Redis) | load average after |');
  console.log('| ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) console.log(`| ${r.workers} | ${r.runs} | ${r.runsPerS.toFixed(0)} | ${(r.machineBusy * 100).toFixed(0)} % | ${r.cpuMsPerRun.toFixed(2)} | ${r.load} |`);
  for (const r of rows) if (r.failed.n > 0) console.log(`${r.workers} workers: ${r.failed.n} runs FAILED, e.g. ${r.failed.error}`);
  console.log('\nPer run (5-step webhook run, "accepted"), accept (server) + execute (worker):\n');
  console.log('| workers | Postgres commits | rows inserted | rows updated | WAL bytes | Redis commands | top Redis commands per run (execute) |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    const n = r.runs;
    console.log(`| ${r.workers} | ${per(r.pgAccept.commits, n)} + ${per(r.pgExecute.commits, n)} | ${per(r.pgAccept.inserted, n)} + ${per(r.pgExecute.inserted, n)} | ${per(r.pgAccept.updated, n)} + ${per(r.pgExecute.updated, n)} | ${(r.pgAccept.walBytes / n).toFixed(0)} + ${(r.pgExecute.walBytes / n).toFixed(0)} | ${per(r.redisAccept, n)} + ${per(r.redisExecute, n)} | ${r.topRedis} |`);
  }
  console.log('\nWAL is counted cluster-wide (pg_current_wal_lsn): other databases written in the same window add to it; the smallest row is the closest to Keyflow\'s own.');
}
