// What one read costs the server, beside its latency: CPU milliseconds of the server process per
// request (from /proc, so a loaded machine stretches the latency but not this) and database
// statements per request (the server's own keyflow_db_statements_total, by statement).
import { scrape, type MetricsSource } from './engine-metrics.ts';
import { latencyOf, timedRequest, type Latency, type Probe } from './scale-http.ts';

export interface ReadCost {
  latency: Latency;
  /** Server CPU ms per request (its background work in the window included: the sweeper, a few ms a second). */
  cpuMsPerRequest: number;
  statementsPerRequest: number;
  /** Statements per request by name, largest first. */
  statements: [string, number][];
}

export interface ServerGauge {
  origin: string;
  cpuMs: () => number | undefined;
  metrics: MetricsSource;
}

/** `warmup` unmeasured requests, then `samples` measured one at a time, with the server's CPU and statements over those. */
export async function measureRead(server: ServerGauge, make: (i: number) => Probe, samples: number, warmup = Math.ceil(samples / 10)): Promise<ReadCost> {
  for (let i = 0; i < warmup; i++) await timedRequest(server.origin, make(samples + i));
  const before = await scrape([server.metrics]);
  const cpu0 = server.cpuMs() ?? Number.NaN;
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) ms.push(await timedRequest(server.origin, make(i)));
  const cpu1 = server.cpuMs() ?? Number.NaN;
  const after = await scrape([server.metrics]);
  const statements: [string, number][] = [];
  for (const [name, n] of after.statements) {
    const d = n - (before.statements.get(name) ?? 0);
    if (d > 0) statements.push([name, d / samples]);
  }
  statements.sort((a, b) => b[1] - a[1]);
  return { latency: latencyOf(ms), cpuMsPerRequest: (cpu1 - cpu0) / samples, statementsPerRequest: statements.reduce((s, [, n]) => s + n, 0), statements };
}
