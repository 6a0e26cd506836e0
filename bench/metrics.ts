// `npm run bench -- metrics` (needs Redis on 127.0.0.1:6379; about 20 s): what issue 14's
// observability and shared limits add per request, measured in-process.
// (a) Metric updates on the hot paths (HTTP request, step, run end, AI call): ns per update,
//     p50/p99 over batches of 1,000. (b) A scrape: rendering the exposition with a realistic
//     number of series. (c) One log-in limit check (check + count) in memory and in Redis (one Lua
//     script, one round trip): µs p50/p99 over sequential calls, and throughput with 64 in flight.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { MemoryLimitStore, metrics, RedisLimitStore, type Limit } from '@keyflow/engine';
import { formatTable } from './support/format-table.ts';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

function perOp(label: string, op: (i: number) => void, batches = 300, size = 1000): string[] {
  for (let i = 0; i < 20_000; i++) op(i); // warm-up
  const ns: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < size; i++) op(i);
    ns.push(Number(process.hrtime.bigint() - t0) / size);
  }
  return [label, pct(ns, 50).toFixed(0), pct(ns, 99).toFixed(0)];
}

const routes = Array.from({ length: 60 }, (_, i) => `/api/r${i}/:id`);
const statuses = ['200', '201', '204', '400', '401', '404', '422', '429'];
const usage = { inputTokens: 120, outputTokens: 40, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

function removeKeys(url: string, pattern: string): void {
  const keys = execFileSync('redis-cli', ['-u', url, '--scan', '--pattern', pattern], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (let i = 0; i < keys.length; i += 500) execFileSync('redis-cli', ['-u', url, 'unlink', ...keys.slice(i, i + 500)]);
}

export async function runMetricsBench(): Promise<void> {
  console.log(`${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}. A shared machine: compare figures only within one run.\n`);
  // Before issue 14: one Map entry per method+status, a latency sum (what /metrics kept then), for comparison.
  const before = new Map<string, number>();
  let sum = 0;
  const rows = [
    perOp('before: HTTP request (Map counter + sum)', (i) => {
      const key = `method="GET",status="${statuses[i % 8]}"`;
      before.set(key, (before.get(key) ?? 0) + 1);
      sum += 0.004;
    }),
    perOp('HTTP request (histogram, 3 labels)', (i) => metrics.httpDuration.observe({ method: 'GET', route: routes[i % 60]!, status: statuses[i % 8]! }, 0.004)),
    perOp('step finished (histogram, 2 labels)', (i) => metrics.stepDuration.observe({ node_type: i % 2 ? 'core.transform' : 'ai.complete', status: 'succeeded' }, 0.02)),
    perOp('run finished (counter, 2 labels)', () => metrics.runsFinished.inc({ trigger: 'webhook', status: 'succeeded' })),
    perOp('AI call (histogram + 2 counters)', () => metrics.observeProviderCall('openai', 'ok', 420, usage, 37)),
  ];
  console.log(formatTable(['metric update', 'p50 ns', 'p99 ns'], rows));

  const renders: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    bytes = (await metrics.renderMetrics()).body.length;
    renders.push(performance.now() - t0);
  }
  console.log(`\nscrape: ${bytes} bytes of exposition (${routes.length * statuses.length} HTTP series + defaults), render p50 ${pct(renders, 50).toFixed(2)} ms, p99 ${pct(renders, 99).toFixed(2)} ms`);

  const queue = `kf-bench-limits-${randomUUID().slice(0, 8)}`;
  const stores: [string, MemoryLimitStore | RedisLimitStore][] = [['memory (embedded)', new MemoryLimitStore()], ['Redis (queue mode)', new RedisLimitStore(process.env.KEYFLOW_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', queue)]];
  const limitRows: string[][] = [];
  for (const [label, store] of stores) {
    const limits = (i: number): Limit[] => [
      { kind: 'backoff', name: 'login-pair', key: `10.0.${i % 250}.1\nuser${i % 1000}@example.test`, free: 5, baseMs: 1000, maxMs: 900_000 },
      { kind: 'window', name: 'login-client', key: `10.0.${i % 250}.1`, windowMs: 900_000, max: 1_000_000 },
    ];
    for (let i = 0; i < 500; i++) await store.attempt(limits(i));
    const us: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t0 = performance.now();
      await store.attempt(limits(i));
      us.push((performance.now() - t0) * 1000);
    }
    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 64 }, async () => {
      while (next < 20_000) await store.attempt(limits(next++));
    }));
    const perSec = 20_000 / ((performance.now() - t0) / 1000);
    limitRows.push([label, pct(us, 50).toFixed(0), pct(us, 99).toFixed(0), perSec.toFixed(0)]);
    // Its keys (under kf:{kf-bench-limits-…}) would expire within 30 minutes; until then they
    // would slow every key scan of a shared Redis (the canary test's), so they go now.
    if (store instanceof RedisLimitStore) removeKeys(process.env.KEYFLOW_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', `kf:{${queue}}:*`);
    await store.close();
  }
  console.log(`\n${formatTable(['log-in limit check (2 limits)', 'p50 µs', 'p99 µs', 'checks/s (64 in flight)'], limitRows)}`);
}
