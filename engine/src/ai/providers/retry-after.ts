interface HeaderReader {
  get(name: string): string | null;
}

/**
 * Milliseconds to wait, from `retry-after-ms` (Azure, OpenAI) or `retry-after` (seconds or an
 * HTTP date). Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: HeaderReader | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.round(n);
  }
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Google's `RetryInfo.retryDelay` is a protobuf Duration in JSON: "20s", "1.5s". */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return m?.[1] === undefined ? undefined : Math.round(Number(m[1]) * 1000);
}
