// Per-operation timing for micro-benchmarks: every call is timed on its own (hrtime), so the
// result is a distribution (p50/p99) rather than one average that hides GC pauses.

export interface Timing {
  iterations: number;
  p50Us: number;
  p99Us: number;
  meanUs: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

export function summarise(samplesNs: readonly number[]): Timing {
  const us = samplesNs.map((n) => n / 1000).sort((a, b) => a - b);
  const mean = us.reduce((a, b) => a + b, 0) / Math.max(1, us.length);
  return { iterations: us.length, p50Us: percentile(us, 50), p99Us: percentile(us, 99), meanUs: mean };
}

// Only a promise is awaited: an await on a plain value would add a microtask turn to every sample.
const settle = (v: unknown) => (v instanceof Promise ? v : undefined);

/** Runs `op(i)` `warmup` times unmeasured (JIT, caches), then `iterations` times measured. */
export async function timeOp(op: (i: number) => unknown, opts: { iterations: number; warmup: number }): Promise<Timing> {
  for (let i = 0; i < opts.warmup; i++) await settle(op(i));
  const samples = new Array<number>(opts.iterations);
  for (let i = 0; i < opts.iterations; i++) {
    const start = process.hrtime.bigint();
    const pending = settle(op(i));
    if (pending) await pending;
    samples[i] = Number(process.hrtime.bigint() - start);
  }
  return summarise(samples);
}
