// Trello's failures, classified for the framework (which words them and picks the engine's
// error class). Trello answers errors as plain text ("invalid token"), sometimes as JSON
// ({"message": …} or, on 429, {"error":"API_TOKEN_LIMIT_EXCEEDED","message":…}); its rate limit
// carries no Retry-After, only x-rate-limit-*-interval-ms (the window that must pass).
import { retryAfterMs, type ServiceProblem } from '../framework/index.ts';

export interface TrelloFailureContext {
  method: string;
  /** e.g. 'list 5abb…': what a 404 is about. */
  what: string | undefined;
  now: Date;
}

/** Trello's rate windows are 10 s (per token and per key): wait one window when nothing better is said. */
const DEFAULT_RATE_WINDOW_MS = 10_000;

// Wordings of a refused credential, as opposed to a token that is fine but may not do this.
const AUTH_MESSAGES = /^(invalid (key|token|app key)|expired token|token (not found|expired|revoked)|missing scopes)$/i;

/** The message and code in Trello's body, whatever form it took. */
function readBody(text: string): { message: string; code?: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { message?: unknown; error?: unknown };
      const message = typeof parsed.message === 'string' ? parsed.message : typeof parsed.error === 'string' ? parsed.error : trimmed;
      return { message, ...(typeof parsed.error === 'string' ? { code: parsed.error } : {}) };
    } catch {
      // not JSON after all: the text is the message
    }
  }
  // An HTML error page from a proxy says nothing useful past its first line.
  return { message: trimmed === '' ? 'no message' : trimmed.split('\n')[0]!.slice(0, 300) };
}

function rateLimitDelay(headers: Headers, now: Date): number {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) return retryAfterMs(retryAfter, now, DEFAULT_RATE_WINDOW_MS);
  const windows = ['x-rate-limit-api-token-interval-ms', 'x-rate-limit-api-key-interval-ms', 'x-rate-limit-member-interval-ms']
    .map((h) => Number(headers.get(h)))
    .filter((n) => Number.isFinite(n) && n > 0);
  return windows.length > 0 ? Math.min(Math.max(...windows), 15 * 60_000) : DEFAULT_RATE_WINDOW_MS;
}

/** One failed Trello answer as a ServiceProblem. */
export function classifyTrelloFailure(status: number, text: string, headers: Headers, ctx: TrelloFailureContext): ServiceProblem {
  const { message, code } = readBody(text);
  const base = { status, message, ...(code ? { code } : {}) };
  if (status === 429) return { ...base, kind: 'rate_limited', retryAfterMs: rateLimitDelay(headers, ctx.now) };
  if (status === 401 || status === 403) {
    if (AUTH_MESSAGES.test(message)) return { ...base, kind: 'auth' };
    // "unauthorized permission requested", "unauthorized card permission requested": the token
    // works but was issued without the scope this call needs (or the member may not see the board).
    const scope = ctx.method === 'GET' ? 'read' : 'write';
    return { ...base, kind: 'scope', scope };
  }
  if (status === 404) return { ...base, kind: 'not_found', what: ctx.what ?? 'the requested Trello object' };
  if (status === 408 || status >= 500) return { ...base, kind: 'server' };
  return { ...base, kind: 'validation' };
}
