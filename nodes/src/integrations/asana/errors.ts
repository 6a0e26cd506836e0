// Asana's failures, classified for the framework (which words them and picks the engine's error
// class). Asana answers every error as { errors: [{ message, help?, phrase? }] }:
// 400 invalid request, 401 no or bad token, 402 a premium feature, 403 no access or (OAuth) a
// missing scope, 404 unknown object, 429 rate limited with Retry-After (seconds), 5xx retry.
import { retryAfterMs, type ServiceProblem } from '../framework/index.ts';

export interface AsanaFailureContext {
  /** What a 404 is about, e.g. 'task 1200…'. */
  what: string | undefined;
  now: Date;
}

/** The messages in Asana's error envelope, or the first line of whatever came instead. */
export function asanaErrorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { errors?: Array<{ message?: unknown }> };
    const messages = (parsed.errors ?? []).map((e) => e?.message).filter((m): m is string => typeof m === 'string' && m !== '');
    if (messages.length > 0) return messages.join('; ');
  } catch {
    // not JSON (a proxy's page): its first line
  }
  const line = text.trim().split('\n')[0] ?? '';
  return line === '' ? 'no message' : line.slice(0, 300);
}

// "… requires the tasks:write scope", "Required scopes: tasks:write": Asana's scope names are resource:action.
const SCOPE_NAME = /\b([a-z_]+:(?:read|write|delete))\b/;

/** One failed Asana answer as a ServiceProblem. */
export function classifyAsanaFailure(status: number, text: string, headers: Headers, ctx: AsanaFailureContext): ServiceProblem {
  const message = asanaErrorMessage(text);
  const base = { status, message };
  if (status === 429) return { ...base, kind: 'rate_limited', retryAfterMs: retryAfterMs(headers.get('retry-after'), ctx.now, 30_000) };
  if (status === 401) return { ...base, kind: 'auth' };
  if (status === 403) {
    const scope = SCOPE_NAME.exec(message)?.[1];
    return { ...base, kind: 'scope', ...(scope ? { scope } : {}) };
  }
  if (status === 404) return { ...base, kind: 'not_found', what: ctx.what ?? 'the requested Asana object' };
  if (status === 408 || status >= 500) return { ...base, kind: 'server' };
  // 400 and 402 (a premium-only feature): the request must change.
  return { ...base, kind: 'validation' };
}
