// Prometheus text metrics: request counts by method and status, a latency summary, memory.
// Served only to a scraper holding KEYFLOW_METRICS_TOKEN: traffic figures are not public.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Handler } from 'hono';
import { NotFound, Unauthorized } from '@keyflow/engine';
import type { AppEnv } from './types.ts';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** GET /metrics: 404 when no token is configured, 401 without `Authorization: Bearer <token>`. */
export function serveMetrics(metrics: Metrics, token: string | undefined): Handler<AppEnv> {
  const expected = token === undefined ? undefined : digest(token);
  return (c) => {
    if (!expected) throw new NotFound('metrics'); // not configured: as if there were no such route
    const m = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '');
    // Equal-length digests: the comparison time says nothing about the token.
    if (!m || !timingSafeEqual(digest(m[1]!), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new Unauthorized('metrics need Authorization: Bearer <KEYFLOW_METRICS_TOKEN>');
    }
    return c.text(metrics.render(), 200, { 'Content-Type': 'text/plain; version=0.0.4', 'Cache-Control': 'no-store' });
  };
}

export class Metrics {
  readonly #counts = new Map<string, number>();
  #latencySum = 0;
  #latencyCount = 0;

  observe(method: string, status: number, ms: number): void {
    const key = `method="${method}",status="${status}"`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#latencySum += ms / 1000;
    this.#latencyCount += 1;
  }

  render(): string {
    const lines = ['# TYPE keyflow_http_requests_total counter'];
    for (const [k, v] of this.#counts) lines.push(`keyflow_http_requests_total{${k}} ${v}`);
    lines.push('# TYPE keyflow_http_request_seconds summary', `keyflow_http_request_seconds_sum ${this.#latencySum}`, `keyflow_http_request_seconds_count ${this.#latencyCount}`);
    const mem = process.memoryUsage();
    lines.push('# TYPE keyflow_process_resident_memory_bytes gauge', `keyflow_process_resident_memory_bytes ${mem.rss}`);
    return `${lines.join('\n')}\n`;
  }
}
