// Open-loop load at a fixed rate: `node bench/support/engine-paced-load.ts '<PacedSpec JSON>'`
// prints one line of JSON (a PacedResult). Requests leave at even intervals (autocannon's
// overallRate releases each second's quota at once); latency counts from the moment a request
// was due, so a stalled server cannot hide its queue (no coordinated omission). At most
// `maxInFlight` requests are open; the rest wait in a backlog, and past one second of backlog
// requests are dropped and counted.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadResult } from './load-types.ts';

export interface PacedSpec {
  title: string;
  /** http://host:port */
  origin: string;
  /** Paths to cycle through, one per request. */
  paths: string[];
  /** POST (default) with this JSON body, or GET when `method` says so. */
  body: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  rate: number;
  durationS: number;
  warmupS?: number;
  maxInFlight: number;
}

export interface PacedResult extends LoadResult {
  /** Requests that waited for a free connection before leaving. */
  late: number;
  /** Requests never sent because the backlog held more than a second of load. */
  dropped: number;
}

const REQUEST_TIMEOUT_MS = 10_000;

export function isPacedSpec(v: unknown): v is PacedSpec {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return typeof s.title === 'string' && typeof s.origin === 'string' && Array.isArray(s.paths) && s.paths.length > 0 && typeof s.body === 'string'
    && typeof s.rate === 'number' && s.rate > 0 && typeof s.durationS === 'number' && typeof s.maxInFlight === 'number' && s.maxInFlight > 0;
}

/** Nearest-rank percentile of ascending `sorted` values (0 when empty). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function runPaced(spec: PacedSpec): Promise<PacedResult> {
  const url = new URL(spec.origin);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.maxInFlight });
  const intervalMs = 1000 / spec.rate;
  // Counted in requests, not milliseconds, so float rounding never moves one across a boundary.
  const warmupCount = Math.round((spec.warmupS ?? 0) * spec.rate);
  const totalCount = warmupCount + Math.round(spec.durationS * spec.rate);
  const dueAt = (i: number) => start + i * intervalMs;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0, timeouts = 0, non2xx = 0, late = 0, dropped = 0, inFlight = 0, sent = 0, next = 0;
  const backlog: number[] = [];
  const start = performance.now();

  return new Promise((resolve) => {
    let scheduling = true;
    const maybeDone = () => {
      if (scheduling || inFlight > 0 || backlog.length > 0) return;
      agent.destroy();
      latencies.sort((a, b) => a - b);
      const measuredMs = spec.durationS * 1000;
      resolve({
        title: spec.title, requestsPerSecond: round1((latencies.length * 1000) / measuredMs), total: latencies.length,
        latencyMs: { p50: round1(percentile(latencies, 50)), p90: round1(percentile(latencies, 90)), p99: round1(percentile(latencies, 99)), max: round1(latencies.at(-1) ?? 0) },
        errors, timeouts, non2xx, statusCodes, durationS: spec.durationS, late, dropped,
      });
    };
    const fire = (i: number) => {
      const measured = i >= warmupCount;
      const path = spec.paths[sent++ % spec.paths.length]!;
      inFlight++;
      let settled = false;
      const finish = (status?: number, kind?: 'error' | 'timeout') => {
        if (settled) return;
        settled = true;
        inFlight--;
        if (measured) {
          if (kind === 'timeout') timeouts++;
          else if (kind === 'error') errors++;
          else if (status !== undefined) {
            statusCodes[status] = (statusCodes[status] ?? 0) + 1;
            if (status < 200 || status > 299) non2xx++;
            latencies.push(performance.now() - dueAt(i));
          }
        }
        pump();
        maybeDone();
      };
      const method = spec.method ?? 'POST';
      const headers = method === 'POST' ? { ...spec.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(spec.body)) } : { ...spec.headers };
      const req = request({ host: url.hostname, port: url.port, path, method, agent, headers }, (res) => {
        res.resume();
        res.once('end', () => finish(res.statusCode));
        res.once('error', () => finish(undefined, 'error'));
      });
      req.setTimeout(REQUEST_TIMEOUT_MS, () => {
        req.destroy();
        finish(undefined, 'timeout');
      });
      req.once('error', () => finish(undefined, 'error'));
      req.end(method === 'POST' ? spec.body : undefined);
    };
    const pump = () => {
      while (backlog.length > 0 && inFlight < spec.maxInFlight) {
        const i = backlog.shift()!;
        if (i >= warmupCount) late++;
        fire(i);
      }
    };
    const tick = () => {
      const now = performance.now();
      while (next < totalCount && dueAt(next) <= now) {
        const i = next++;
        if (inFlight < spec.maxInFlight && backlog.length === 0) fire(i);
        else if (backlog.length < spec.rate) backlog.push(i);
        else if (i >= warmupCount) dropped++;
      }
      if (next < totalCount) setTimeout(tick, Math.max(0, dueAt(next) - performance.now()));
      else {
        scheduling = false;
        maybeDone();
      }
    };
    tick();
  });
}

if (import.meta.main) {
  const raw = process.argv[2];
  const spec: unknown = raw ? JSON.parse(raw) : undefined;
  if (!isPacedSpec(spec)) {
    process.stderr.write('usage: node bench/support/engine-paced-load.ts \'{"title","origin","paths","body","rate","durationS","maxInFlight"}\'\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await runPaced(spec))}\n`);
}
