// A Bearer-token JSON request with the common error shape (Cal.com, Webflow): 401 → auth,
// 403 → scope, 404 → not_found, 429 → rate_limited (Retry-After), 5xx → server, else validation.
// The message is the body's `message` / `error.message` / `description`, or its first line.
import { callService } from './call.ts';
import { retryAfterMs } from './errors.ts';
import { apiUrl } from './base-url.ts';
import { requestJson, type FailureClassifier, type JsonRequest } from './json-request.ts';
import type { ServiceCall } from './types.ts';

function messageOf(json: unknown, text: string, status: number): string {
  const b = (json ?? {}) as { message?: unknown; description?: unknown; error?: unknown };
  const nested = typeof b.error === 'object' && b.error !== null ? (b.error as { message?: unknown }).message : b.error;
  for (const m of [b.message, nested, b.description]) if (typeof m === 'string' && m !== '') return m;
  return text.trim().split('\n')[0]?.slice(0, 300) || `HTTP ${status}`;
}

export function bearerFailure(what: string | undefined, scope: string | undefined): FailureClassifier {
  return ({ status, json, text, headers }) => {
    const code = (json as { code?: unknown } | undefined)?.code;
    const base = { status, message: messageOf(json, text, status), ...(typeof code === 'string' ? { code } : {}) };
    if (status === 429) return { ...base, kind: 'rate_limited', retryAfterMs: retryAfterMs(headers.get('retry-after'), new Date(), 1_000) };
    if (status === 401) return { ...base, kind: 'auth' };
    if (status === 403) return { ...base, kind: 'scope', ...(scope ? { scope } : {}) };
    if (status === 404) return { ...base, kind: 'not_found', what: what ?? 'the requested object' };
    if (status >= 500) return { ...base, kind: 'server' };
    return { ...base, kind: 'validation' };
  };
}

/** One request with `Authorization: Bearer <credential>`, failures mapped for the engine. */
export function bearerRequest(call: ServiceCall, subject: { title: string; fixAuth: string }, req: Omit<JsonRequest, 'url'> & { path: string; what?: string; scope?: string }): Promise<unknown> {
  return callService(call, subject, (c) =>
    requestJson(c, { method: req.method, url: apiUrl(c.baseUrl, req.path), headers: { authorization: `Bearer ${c.credential.reveal()}`, ...req.headers }, body: req.body }, bearerFailure(req.what, req.scope), subject.title),
  );
}
