import { ProviderError, type ProviderErrorKind, type ProviderId } from '../types.ts';
import type { CallDeadline } from './call-deadline.ts';
import { scrubSecret } from './scrub-secret.ts';

/** What a provider adapter could read from its SDK's error, with no SDK types attached. */
export interface ErrorFacts {
  status?: number;
  /** The provider's error type or status word: `rate_limit_error`, `RESOURCE_EXHAUSTED`. */
  type?: string;
  message?: string;
  retryAfterMs?: number;
  /** The SDK reported its own timeout or a failed connection. */
  timeout?: boolean;
  connection?: boolean;
}

const labels: Record<ProviderId, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  deepseek: 'DeepSeek',
  gemini: 'Gemini',
  azure_openai: 'Azure OpenAI',
};

// Error types that arrive without an HTTP status (mid-stream error events) still say what happened.
const typeKinds: Record<string, ProviderErrorKind> = {
  rate_limit_error: 'rate_limited',
  rate_limit_exceeded: 'rate_limited',
  insufficient_quota: 'rate_limited',
  requests: 'rate_limited',
  tokens: 'rate_limited',
  RESOURCE_EXHAUSTED: 'rate_limited',
  overloaded_error: 'server',
  api_error: 'server',
  server_error: 'server',
  INTERNAL: 'server',
  UNAVAILABLE: 'server',
  DEADLINE_EXCEEDED: 'timeout',
  timeout_error: 'timeout',
  invalid_request_error: 'bad_request',
  request_too_large: 'bad_request',
  INVALID_ARGUMENT: 'bad_request',
  FAILED_PRECONDITION: 'bad_request',
  authentication_error: 'auth',
  permission_error: 'auth',
  billing_error: 'auth',
  UNAUTHENTICATED: 'auth',
  PERMISSION_DENIED: 'auth',
  API_KEY_INVALID: 'auth',
  not_found_error: 'not_found',
  NOT_FOUND: 'not_found',
};

/** HTTP status → kind. 402 (DeepSeek: balance exhausted) counts as the key's problem: `auth`. */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server';
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 400 || status === 413 || status === 422) return 'bad_request';
  return 'other';
}

const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const timeoutCodes = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The first system error code in the cause chain (fetch wraps it as `TypeError: fetch failed`). */
export function networkCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (connectionCodes.has(code) || timeoutCodes.has(code))) return code;
    const inner = (current as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.length > 0) {
      const found = networkCode(inner[0]);
      if (found) return found;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function kindOf(facts: ErrorFacts | undefined, code: string | undefined): ProviderErrorKind {
  if (facts?.timeout) return 'timeout';
  if (facts?.type === 'API_KEY_INVALID') return 'auth';
  if (facts?.status !== undefined) return kindForStatus(facts.status);
  const byType = facts?.type === undefined ? undefined : typeKinds[facts.type];
  if (byType) return byType;
  if (code && timeoutCodes.has(code)) return 'timeout';
  if (code || facts?.connection) return 'connection';
  return 'other';
}

const describe: Record<ProviderErrorKind, string> = {
  rate_limited: 'rate limited',
  server: 'server error',
  timeout: 'timed out',
  connection: 'connection failed',
  bad_request: 'bad request',
  auth: 'key rejected',
  not_found: 'not found',
  other: 'failed',
};

/**
 * Turns whatever an SDK threw into a ProviderError whose message is built here, never copied
 * from the SDK, and scrubbed of the key. No `cause` is kept: SDK errors carry bodies and
 * headers that a logger would print. A caller's abort is returned as the caller's own reason.
 */
export function toProviderError(provider: ProviderId, err: unknown, secret: string, deadline: CallDeadline, facts: ErrorFacts | undefined): unknown {
  if (err instanceof ProviderError) return err;
  if (deadline.callerAborted()) return deadline.callerReason() ?? new DOMException('The operation was aborted', 'AbortError');
  const code = networkCode(err);
  const kind = deadline.timedOut() ? 'timeout' : kindOf(facts, code);
  const parts = [labels[provider]];
  if (facts?.status !== undefined) parts.push(String(facts.status));
  parts.push(describe[kind]);
  let message = parts.join(' ');
  const detail = [facts?.type, facts?.message?.trim()].filter((s) => s !== undefined && s !== '').join(': ');
  if (detail) message += ` (${detail})`;
  else if (code) message += ` (${code})`;
  message = scrubSecret(message, secret);
  if (message.length > 500) message = `${message.slice(0, 497)}...`;
  return new ProviderError(provider, kind, message, { status: facts?.status, retryAfterMs: kind === 'rate_limited' || kind === 'server' ? facts?.retryAfterMs : undefined });
}
