// Latency sampling through the HTTP API: one request at a time (no queueing in the client),
// each checked for its status, with p50/p99/max over the samples.
export interface Latency {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

export function latencyOf(ms: number[]): Latency {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
  return { samples: s.length, p50: at(0.5), p99: at(0.99), max: s.at(-1) ?? Number.NaN };
}

export interface Probe {
  path: string;
  token?: string;
  method?: 'GET' | 'POST';
  body?: string;
  /** Text the answer must contain (a wrong answer fast is not a pass). */
  expect?: string;
}

/** One timed request; throws on a status other than 2xx or a missing `expect`. */
export async function timedRequest(origin: string, p: Probe): Promise<number> {
  const headers: Record<string, string> = {};
  if (p.token) headers.authorization = `Bearer ${p.token}`;
  if (p.body !== undefined) headers['content-type'] = 'application/json';
  const t0 = performance.now();
  const res = await fetch(`${origin}${p.path}`, { method: p.method ?? 'GET', headers, ...(p.body !== undefined ? { body: p.body } : {}), signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status < 200 || res.status > 299) throw new Error(`${p.method ?? 'GET'} ${p.path}: ${res.status} ${text.slice(0, 300)}`);
  if (p.expect !== undefined && !text.includes(p.expect)) throw new Error(`${p.method ?? 'GET'} ${p.path}: the answer lacks ${JSON.stringify(p.expect)}: ${text.slice(0, 300)}`);
  return ms;
}

export const fmtMs = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(1)) : '—');
