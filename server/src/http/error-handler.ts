// The one place typed errors become HTTP responses. Unknown errors are logged with the request
// id and answered as a bare 500: no stack, no message that could carry a secret. An unreachable
// database is 503 with Retry-After instead.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, Invalid, TooManyRequests } from '@keyflow/engine';
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from './database-unavailable.ts';
import type { AppEnv } from './types.ts';

export function errorBody(code: string, message: string, issues?: { path: (string | number)[]; message: string }[]) {
  return { error: { code, message, ...(issues && issues.length > 0 ? { issues } : {}) } };
}

export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof AppError) {
    if (err instanceof TooManyRequests) c.header('Retry-After', String(err.retryAfterSeconds));
    const issues = err instanceof Invalid ? err.issues : undefined;
    return c.json(errorBody(err.code, err.message, issues), err.status as 400);
  }
  if (err instanceof HTTPException) {
    return c.json(errorBody('http_error', err.message || 'request failed'), err.status);
  }
  const log = c.get('log');
  if (isDatabaseUnavailable(err)) {
    // Not a bug of this request: say so, and when to come back (webhook senders retry on 5xx).
    log?.warn({ err: { name: err.name, code: (err as { code?: unknown }).code } }, 'database unreachable');
    c.header('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    return c.json(errorBody('unavailable', 'the database is unreachable; try again shortly'), 503);
  }
  log?.error({ err: { name: err.name, message: err.message, stack: err.stack } }, 'unhandled error');
  return c.json(errorBody('internal', `internal error (request ${c.get('requestId') ?? 'unknown'})`), 500);
}
