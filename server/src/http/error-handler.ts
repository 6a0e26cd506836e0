// The one place typed errors become HTTP responses. Unknown errors are logged with the request
// id and answered as a bare 500: no stack, no message that could carry a secret.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, Invalid, TooManyRequests } from '@keyflow/engine';
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
  log?.error({ err: { name: err.name, message: err.message, stack: err.stack } }, 'unhandled error');
  return c.json(errorBody('internal', `internal error (request ${c.get('requestId') ?? 'unknown'})`), 500);
}
