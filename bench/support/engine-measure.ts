// The load scenarios every system under test goes through (Keyflow in either mode, Node-RED):
// warm-up, max throughput on the 1-step and the 20-step flow with the CPU the system's own
// processes spent per request, and optionally a fixed open-loop rate.
import { processCpuMs } from './engine-proc-stats.ts';
import type { PacedResult } from './engine-paced-load.ts';
import { runPacedLoad } from './engine-run-paced.ts';
import type { LoadResult } from './load-types.ts';
import { runLoad } from './run-load.ts';

export const CONNECTIONS = 10;
export const WARMUP_S = 2;
export const MAX_S = 10;
export const RATED = { rate: 200, durationS: 10, warmupS: 2 };
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
  procs: CpuSource[];
  services?: ServicePids;
  progress(msg: string): void;
}

export interface ScenarioSet {
  max1: Measured;
  max20: Measured;
  rated?: PacedResult;
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
export async function measureCpu(procs: CpuSource[], run: () => Promise<LoadResult>, services?: ServicePids): Promise<Measured> {
  const svc0 = await serviceCpu(services);
  const cpu0 = cpuTotal(procs);
  const load = await run();
  const cpu = cpuTotal(procs) - cpu0;
  const svc1 = await serviceCpu(services);
  // A backend opened during the window counts from its start; one closed during it is lost (rare: pools keep theirs).
  let svc = 0;
  for (const [pid, ms] of svc1) svc += ms - (svc0.get(pid) ?? 0);
  const done = Math.max(1, load.total);
  return { load, cpuMsPerReq: cpu / done, stackCpuMsPerReq: (cpu + svc) / done };
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
  const max1 = await measureCpu(t.procs, () => runLoad(maxSpec(t, '1 step, max', t.paths1, MAX_S)), t.services);
  let rated: PacedResult | undefined;
  if (t.ratedPaths) {
    t.progress(`${t.label}: 1 step at ${RATED.rate} req/s (paced) ${RATED.warmupS} + ${RATED.durationS} s`);
    rated = await runPacedLoad({ title: `1 step @${RATED.rate}/s`, origin: t.origin, paths: t.ratedPaths, body: BODY, rate: RATED.rate, durationS: RATED.durationS, warmupS: RATED.warmupS, maxInFlight: CONNECTIONS });
  }
  t.progress(`${t.label}: 20 steps, max throughput ${MAX_S} s`);
  const max20 = await measureCpu(t.procs, () => runLoad(maxSpec(t, '20 steps, max', t.paths20, MAX_S)), t.services);
  return { max1, max20, ...(rated ? { rated } : {}) };
}

/** CPU ms per extra step: (20-step − 1-step) / 19. */
export function perStepMs(set: Pick<ScenarioSet, 'max1' | 'max20'>, pick: (m: Measured) => number = (m) => m.cpuMsPerReq): number {
  return (pick(set.max20) - pick(set.max1)) / 19;
}

export const failures = (r: LoadResult) => r.errors + r.timeouts + r.non2xx;
