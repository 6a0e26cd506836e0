// What the bench asks the load worker for, and what it gets back (JSON across processes).
export interface LoadSpec {
  title: string;
  /** Full URL; its path is used unless `paths` is given. */
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Replace `[<id>]` in the body with a fresh id per request (unique names on create). */
  idReplacement?: boolean;
  /** Paths to cycle through on the URL's origin (e.g. one per seeded row). */
  paths?: string[];
  connections: number;
  durationS: number;
  /** Warm-up seconds before measuring (same options, results discarded). */
  warmupS?: number;
  /** Requests per second over all connections; unthrottled when absent. */
  overallRate?: number;
}

export interface LoadResult {
  title: string;
  requestsPerSecond: number;
  total: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Connection errors (timeouts are counted separately). */
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  durationS: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function isLoadSpec(v: unknown): v is LoadSpec {
  return isRecord(v) && typeof v.title === 'string' && typeof v.url === 'string' && isNumber(v.connections) && isNumber(v.durationS);
}

export function isLoadResult(v: unknown): v is LoadResult {
  if (!isRecord(v) || typeof v.title !== 'string' || !isRecord(v.latencyMs) || !isRecord(v.statusCodes)) return false;
  const { latencyMs: l } = v;
  return [v.requestsPerSecond, v.total, v.errors, v.timeouts, v.non2xx, v.durationS, l.p50, l.p90, l.p99, l.max].every(isNumber);
}
