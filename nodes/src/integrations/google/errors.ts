// Google's failures, classified. Every Google API answers errors in one envelope:
//   { error: { code, message, status, errors: [{ reason, message, domain }] } }
// (`errors[]` is the legacy list Drive/Calendar/Gmail still send; Sheets sends `status` and
// sometimes `details[].reason`). The OAuth token endpoint answers RFC 6749's { error, error_description }.
//   rateLimitExceeded, userRateLimitExceeded, RESOURCE_EXHAUSTED, 429   → rate_limited (Retry-After)
//   insufficientPermissions, ACCESS_TOKEN_SCOPE_INSUFFICIENT, 403 PERMISSION_DENIED with a scope → scope
//   notFound, 404                                                        → not_found
//   authError, 401, invalid_grant/invalid_client at the token endpoint  → auth
//   backendError, internalError, 5xx                                     → server
//   other 4xx (badRequest, invalid, INVALID_ARGUMENT, forbidden)         → validation (Google's message)
import { callService, retryAfterMs, ServiceProblemError, type ServiceCall, type ServiceProblem } from '../framework/index.ts';
import { loadGoogleSdk } from './sdk.ts';
import { googleSubject } from './spec.ts';

const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'dailyLimitExceeded', 'sharingRateLimitExceeded', 'RATE_LIMIT_EXCEEDED', 'RESOURCE_EXHAUSTED']);
const SCOPE_REASONS = new Set(['insufficientPermissions', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', 'insufficientScopes']);
const AUTH_REASONS = new Set(['authError', 'unauthorized', 'UNAUTHENTICATED', 'ACCESS_TOKEN_EXPIRED', 'CREDENTIALS_MISSING', 'invalid_grant', 'invalid_client', 'unauthorized_client', 'invalid_token']);
const SERVER_REASONS = new Set(['backendError', 'internalError', 'INTERNAL', 'UNAVAILABLE', 'serviceUnavailable']);

interface GaxiosLike {
  response?: { status?: number; data?: unknown; headers?: unknown };
  status?: number;
  code?: string | number;
  name?: string;
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (typeof headers === 'object' && headers !== null) {
    const v = (headers as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

/** The reasons and message of Google's error envelope (or a token endpoint's error), whatever the body type. */
export function googleErrorBody(data: unknown): { reasons: string[]; message: string | undefined; status: string | undefined } {
  let body = data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return { reasons: [], message: undefined, status: undefined };
    }
  }
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    try {
      body = JSON.parse(Buffer.from(body as ArrayBuffer).toString('utf8'));
    } catch {
      return { reasons: [], message: undefined, status: undefined };
    }
  }
  if (typeof body !== 'object' || body === null) return { reasons: [], message: undefined, status: undefined };
  const b = body as Record<string, unknown>;
  // OAuth token endpoint: { error: 'invalid_grant', error_description }
  if (typeof b.error === 'string') return { reasons: [b.error], message: typeof b.error_description === 'string' ? `${b.error}: ${b.error_description}` : b.error, status: undefined };
  const e = b.error as Record<string, unknown> | undefined;
  if (typeof e !== 'object' || e === null) return { reasons: [], message: undefined, status: undefined };
  const reasons: string[] = [];
  for (const item of Array.isArray(e.errors) ? e.errors : []) if (typeof (item as { reason?: unknown }).reason === 'string') reasons.push((item as { reason: string }).reason);
  for (const d of Array.isArray(e.details) ? e.details : []) if (typeof (d as { reason?: unknown }).reason === 'string') reasons.push((d as { reason: string }).reason);
  const status = typeof e.status === 'string' ? e.status : undefined;
  if (status) reasons.push(status);
  return { reasons, message: typeof e.message === 'string' ? e.message : undefined, status };
}

/** A Google/gaxios error as a ServiceProblem; `what` names the target for not-found messages (e.g. 'spreadsheet 1AbC'). */
export function googleProblem(err: unknown, what?: string, now: Date = new Date()): ServiceProblem | undefined {
  if (err instanceof ServiceProblemError) return err.problem;
  if (typeof err !== 'object' || err === null) return undefined;
  const g = err as GaxiosLike;
  const status = g.response?.status ?? g.status;
  if (status === undefined) {
    if (g.name === 'AbortError' || g.name === 'TimeoutError' || g.code === 'ETIMEDOUT') return { kind: 'network', message: 'the request timed out' };
    if (typeof g.code === 'string' && /^E[A-Z]+$/.test(g.code)) return { kind: 'network', message: `the connection failed (${g.code})` };
    if (g.name === 'GaxiosError' || g.name === 'TypeError') return { kind: 'network', message: 'the connection failed' };
    return undefined;
  }
  const { reasons, message: googleMessage } = googleErrorBody(g.response?.data);
  const reason = reasons[0];
  const message = googleMessage ?? `HTTP ${status}`;
  const base = { message, status, ...(reason ? { code: reason } : {}) };
  const has = (set: Set<string>) => reasons.some((r) => set.has(r));
  if (status === 429 || has(RATE_REASONS)) return { ...base, kind: 'rate_limited', retryAfterMs: retryAfterMs(headerOf(g.response?.headers, 'retry-after'), now) };
  if (has(SCOPE_REASONS)) return { ...base, kind: 'scope', message: `${message} (the connection lacks a permission: reconnect Google under Connections to grant it)` };
  if (status === 401 || has(AUTH_REASONS)) return { ...base, kind: 'auth' };
  if (status === 404 || reasons.includes('notFound') || reasons.includes('NOT_FOUND')) return { ...base, kind: 'not_found', ...(what ? { what } : {}) };
  if (status >= 500 || has(SERVER_REASONS)) return { ...base, kind: 'server' };
  if (status === 403 && /not have permission|forbidden|does not have/i.test(message)) return { ...base, kind: 'validation', message: `${message} (share it with the connected account or service-account email)` };
  return { ...base, kind: 'validation' };
}

/** Re-throws a Google error as a classified ServiceProblemError (others unchanged). */
export function rethrowGoogle(err: unknown, what?: string): never {
  if (err instanceof ServiceProblemError) throw err;
  const problem = googleProblem(err, what);
  if (problem) throw new ServiceProblemError(problem, { cause: err });
  throw err;
}

/**
 * One Google call with the framework's rules: Google's failures classified, one token refresh
 * on a refused OAuth token, then the engine's error classes. `fn` builds its client from `c`
 * (after a refresh, `c.credential.reveal()` answers the new token).
 */
export async function callGoogle<T>(call: ServiceCall, what: string | undefined, fn: (c: ServiceCall) => Promise<T>): Promise<T> {
  await loadGoogleSdk();
  return callService(call, googleSubject, async (c) => {
    try {
      return await fn(c);
    } catch (err) {
      rethrowGoogle(err, what);
    }
  });
}
