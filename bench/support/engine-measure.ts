// The load scenarios every system under test goes through (Keyflow in either mode, Node-RED):
// warm-up, max throughput on the 1-step and the 20-step flow with the CPU the system's own
// processes spent per request, and optionally a fixed open-loop rate.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { scrape, windowCounters, type MetricsSource, type WindowCounters } from './engine-metrics.ts';
import { processCpuMs } from './engine-proc-stats.ts';
import { countRedisCommands } from './engine-redis.ts';
import type { PacedResult } from './engine-paced-load.ts';
import { runPacedLoad } from './engine-run-paced.ts';
import type { LoadResult } from './load-types.ts';
import { runLoad } from './run-load.ts';

export const CONNECTIONS = 10;
export const WARMUP_S = 2;
export const MAX_S = 10;
export const RATED = { rate: 200, durationS: 10, warmupS: 2 };
/** Embedded mode's paced rate (issue 15: p99 under 100 ms at 100 req/s). */
export const EMBEDDED_RATE = 100;
export const BODY = JSON.stringify({ name: 'x' });

export interface CpuSource {
  cpuMs(): number | undefined;
}

export interface Measured {
  load: LoadResult;
  /** CPU of the system's processes (server + worker, or the one process) per completed request. */
  cpuMsPerReq: number;
  /** The same plus the services it needs (Postgres backends of its database, Redis); equal when it needs none. */
  stackCpuMsPerReq: number;
  /** From the processes' /metrics over the window (Keyflow only). */
  counters?: WindowCounters;
}

/** Pids of the services behind the system (listed at both ends of the window: backends come and go). */
export type ServicePids = () => Promise<number[]>;

export interface LoadTarget {
  label: string;
  origin: string;
  warmPaths: string[];
  paths1: string[];
  paths20: string[];
  /** Present when the fixed-rate scenario should run. */
  ratedPaths?: string[];
  /** Requests per second of the paced scenario (default RATED.rate). */
  ratedRate?: number;
  procs: CpuSource[];
  services?: ServicePids;
  /** The processes' /metrics (Keyflow): statements, GC and event-loop delay per window. */
  metrics?: MetricsSource[];
  /** The bench's Redis database (queue mode): its commands per run are counted in a short window of their own. */
  redisUrl?: string;
  progress(msg: string): void;
}

/** Redis commands per run from MONITOR, in a short paced window of its own (MONITOR costs Redis CPU). */
export interface RedisPerRun {
  perRun: number;
  byCommand: [string, number][];
  runs: number;
}

export interface ScenarioSet {
  max1: Measured;
  max20: Measured;
  rated?: PacedResult;
  ratedCounters?: WindowCounters;
  redis?: RedisPerRun;
}

function cpuTotal(procs: CpuSource[]): number {
  return procs.reduce((sum, p) => {
    const ms = p.cpuMs();
    if (ms === undefined) throw new Error('a process under test exited during the load');
    return sum + ms;
  }, 0);
}

async function serviceCpu(services: ServicePids | undefined): Promise<Map<number, number>> {
  const byPid = new Map<number, number>();
  for (const pid of services ? await services() : []) {
    const ms = processCpuMs(pid);
    if (ms !== undefined) byPid.set(pid, ms);
  }
  return byPid;
}

/** CPU per completed request over one load run (the window also holds the load process's start-up, when the system is idle). */
export async function measureCpu(procs: CpuSource[], run: () => Promise<LoadResult>, services?: ServicePids, metrics?: MetricsSource[]): Promise<Measured> {
  const m0 = metrics ? await scrape(metrics) : undefined;
  const svc0 = await serviceCpu(services);
  const cpu0 = cpuTotal(procs);
  const load = await run();
  const cpu = cpuTotal(procs) - cpu0;
  const svc1 = await serviceCpu(services);
  const m1 = metrics ? await scrape(metrics) : undefined;
  // A backend opened during the window counts from its start; one closed during it is lost (rare: pools keep theirs).
  let svc = 0;
  for (const [pid, ms] of svc1) svc += ms - (svc0.get(pid) ?? 0);
  const done = Math.max(1, load.total);
  return { load, cpuMsPerReq: cpu / done, stackCpuMsPerReq: (cpu + svc) / done, ...(m0 && m1 ? { counters: windowCounters(m0, m1, load.total) } : {}) };
}

function maxSpec(t: LoadTarget, title: string, paths: string[], durationS: number) {
  return {
    title, url: `${t.origin}${paths[0]!}`, paths, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: BODY,
    connections: CONNECTIONS, durationS,
  };
}

export async function runScenarioSet(t: LoadTarget): Promise<ScenarioSet> {
  t.progress(`${t.label}: warm-up ${WARMUP_S} s`);
  await runLoad(maxSpec(t, 'warm-up', t.warmPaths, WARMUP_S));
  t.progress(`${t.label}: 1 step, max throughput ${MAX_S} s, ${CONNECTIONS} connections`);
  const max1 = await measureCpu(t.procs, () => runLoad(maxSpec(t, '1 step, max', t.paths1, MAX_S)), t.services, t.metrics);
  let rated: PacedResult | undefined;
  let ratedCounters: WindowCounters | undefined;
  if (t.ratedPaths) {
    const rate = t.ratedRate ?? RATED.rate;
    t.progress(`${t.label}: 1 step at ${rate} req/s (paced) ${RATED.warmupS} + ${RATED.durationS} s`);
    const m0 = t.metrics ? await scrape(t.metrics) : undefined;
    // The control: this (idle) bench process's own event-loop delay over the same window. When
    // it is as bad as the server's, the delay is the machine's (CPU run queue), not the server's work.
    const control = monitorEventLoopDelay({ resolution: 10 });
    control.enable();
    rated = await runPacedLoad({ title: `1 step @${rate}/s`, origin: t.origin, paths: t.ratedPaths, body: BODY, rate, durationS: RATED.durationS, warmupS: RATED.warmupS, maxInFlight: CONNECTIONS });
    control.disable();
    if (m0 && t.metrics) ratedCounters = { ...windowCounters(m0, await scrape(t.metrics), Math.round((RATED.durationS + RATED.warmupS) * rate) - rated.dropped), controlLoopP99Ms: control.percentile(99) / 1e6, controlLoopMaxMs: control.max / 1e6 };
  }
  t.progress(`${t.label}: 20 steps, max throughput ${MAX_S} s`);
  const max20 = await measureCpu(t.procs, () => runLoad(maxSpec(t, '20 steps, max', t.paths20, MAX_S)), t.services, t.metrics);
  const redis = t.redisUrl ? await countRedisPerRun(t, t.redisUrl) : undefined;
  return { max1, max20, ...(rated ? { rated } : {}), ...(ratedCounters ? { ratedCounters } : {}), ...(redis ? { redis } : {}) };
}

const REDIS_WINDOW = { rate: 50, durationS: 2 };

async function countRedisPerRun(t: LoadTarget, redisUrl: string): Promise<RedisPerRun> {
  t.progress(`${t.label}: Redis commands per run (MONITOR, 1 step at ${REDIS_WINDOW.rate} req/s for ${REDIS_WINDOW.durationS} s)`);
  const monitor = await countRedisCommands(redisUrl);
  // The warm-up pool: its runs are not among those counted in the database afterwards.
  const load = await runPacedLoad({ title: 'redis count', origin: t.origin, paths: t.warmPaths, body: BODY, rate: REDIS_WINDOW.rate, durationS: REDIS_WINDOW.durationS, maxInFlight: CONNECTIONS });
  // Let the last runs' trailing commands (the finished event, the job's cleanup) arrive.
  await new Promise((r) => setTimeout(r, 300));
  const { total, byCommand } = await monitor.stop();
  const runs = Math.max(1, load.total);
  return { perRun: total / runs, byCommand: [...byCommand].map(([k, v]) => [k, v / runs] as [string, number]).sort((a, b) => b[1] - a[1]), runs: load.total };
}

/** CPU ms per extra step: (20-step − 1-step) / 19. */
export function perStepMs(set: Pick<ScenarioSet, 'max1' | 'max20'>, pick: (m: Measured) => number = (m) => m.cpuMsPerReq): number {
  return (pick(set.max20) - pick(set.max1)) / 19;
}

export const failures = (r: LoadResult) => r.errors + r.timeouts + r.non2xx;
