// Load worker: `node bench/support/load.ts '<LoadSpec JSON>'` runs autocannon and prints one
// line of JSON (a LoadResult). It is its own process so the load generator never competes with
// the server, or with the bench's bookkeeping, for one event loop.
import { createRequire } from 'node:module';
import { isLoadSpec, type LoadResult, type LoadSpec } from './load-types.ts';

interface Percentiles {
  average: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  total?: number;
}
interface AutocannonResult {
  latency: Percentiles;
  requests: Percentiles & { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  statusCodeStats?: Record<string, { count: number }>;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

// autocannon is CommonJS without type declarations; this is the one place its shape is assumed.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export async function runSpec(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: spec.headers ?? {},
    ...(spec.body !== undefined ? { body: spec.body, idReplacement: spec.idReplacement ?? false } : {}),
    // Each connection walks the list in order, so reads spread over every seeded row.
    ...(spec.paths?.length ? { requests: spec.paths.map((path) => ({ path })) } : {}),
    connections: spec.connections,
    duration: spec.durationS,
    // autocannon's coordinated-omission correction passes ceil(1 / rate) — seconds — as the
    // expected interval of millisecond samples (i.e. 1 ms), which back-fills every slow
    // response with one fake sample per millisecond and inflates the tail. Use raw latencies.
    ...(spec.overallRate ? { overallRate: spec.overallRate, ignoreCoordinatedOmission: true } : {}),
    ...(spec.warmupS ? { warmup: { duration: spec.warmupS } } : {}),
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count;
  return {
    title: spec.title,
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    durationS: result.duration,
  };
}

if (import.meta.main) {
  const raw = process.argv[2];
  const spec: unknown = raw ? JSON.parse(raw) : undefined;
  if (!isLoadSpec(spec)) {
    process.stderr.write('usage: node bench/support/load.ts \'{"title","url","connections","durationS",…}\'\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await runSpec(spec))}\n`);
}
