// A minimal JSON client for setting up bench data through the public API (not for load).
export interface ApiCall {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Expected status; anything else throws with the response text. */
  expect?: number;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  json: unknown;
}

export async function apiCall(baseUrl: string, path: string, call: ApiCall = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...call.headers };
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method: call.method ?? 'GET',
    headers,
    ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  const expected = call.expect ?? 200;
  if (res.status !== expected) throw new Error(`${call.method ?? 'GET'} ${path}: expected ${expected}, got ${res.status}: ${text.slice(0, 300)}`);
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Reads a string field of a JSON object, or throws naming what was missing. */
export function stringField(value: unknown, key: string, what: string): string {
  const field = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  if (typeof field !== 'string') throw new Error(`${what}: the response has no string "${key}"`);
  return field;
}
