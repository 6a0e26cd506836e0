// Google's wire shapes for the fake's handlers: the error envelope and JSON answers.
import type { ServerResponse } from 'node:http';

const STATUS_NAMES: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ALREADY_EXISTS', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

/** Google's error envelope. */
export function googleErrorEnvelope(status: number, reason: string, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN', errors: [{ message, domain: reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded' ? 'usageLimits' : 'global', reason }], ...extra } };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Answers Google's error envelope. */
export function googleError(res: ServerResponse, status: number, reason: string, message: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): void {
  sendJson(res, status, googleErrorEnvelope(status, reason, message, extra), headers);
}

