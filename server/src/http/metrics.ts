// Prometheus text metrics: request counts by method and status, a latency summary, memory.
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
