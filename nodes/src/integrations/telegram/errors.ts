// Telegram's failures as ServiceProblems. The answer is `{ ok: false, error_code, description,
// parameters?: { retry_after, migrate_to_chat_id } }` with the HTTP status equal to error_code:
// 401 "Unauthorized" (a revoked or wrong token; 404 "Not Found" is what a malformed token path
// gets), 400 "Bad Request: chat not found", 403 "Forbidden: bot was blocked by the user",
// 429 "Too Many Requests: retry after N" with parameters.retry_after in seconds.
import { z } from 'zod';
import type { FailureClassifier, ServiceProblem } from '../framework/index.ts';

const failure = z.looseObject({
  ok: z.literal(false).optional(),
  error_code: z.number().optional(),
  description: z.string().optional(),
  parameters: z.looseObject({ retry_after: z.number().optional() }).optional(),
});

/** Telegram's own default pause when it names none. */
const DEFAULT_RETRY_MS = 1_000;

export function telegramFailure(what: string | undefined): FailureClassifier {
  return ({ status, json, text }): ServiceProblem => {
    const parsed = failure.safeParse(json);
    const body = parsed.success ? parsed.data : {};
    const message = body.description ?? (text.trim().split('\n')[0]?.slice(0, 300) || `HTTP ${status}`);
    const base = { status, message, ...(body.error_code !== undefined ? { code: String(body.error_code) } : {}) };
    if (status === 429) {
      const seconds = body.parameters?.retry_after;
      return { ...base, kind: 'rate_limited', retryAfterMs: seconds !== undefined && seconds >= 0 ? Math.min(seconds * 1000, 15 * 60_000) : DEFAULT_RETRY_MS };
    }
    if (status === 401 || status === 404) return { ...base, kind: 'auth' };
    if (status === 400 && /chat not found|user not found/i.test(message)) return { ...base, kind: 'not_found', what: what ?? 'the chat' };
    if (status >= 500) return { ...base, kind: 'server' };
    // 400 bad parameters, 403 blocked by the user / not a member, 409 conflicts: the request, not the moment.
    return { ...base, kind: 'validation' };
  };
}
