// Notion's failures, classified. Notion answers errors as { object: "error", status, code,
// message }: 401 unauthorized, 403 restricted_resource (the integration lacks a capability),
// 404 object_not_found (missing, or not shared with the integration), 400 validation_error and
// friends, 409 conflict_error (retry), 429 rate_limited with Retry-After, 5xx.
import { APIErrorCode, APIResponseError, ClientErrorCode, isNotionClientError, UnknownHTTPResponseError } from '@notionhq/client';
import { NodeError } from '../../contract/index.ts';
import { retryAfterMs, ServiceProblemError, type ServiceProblem } from '../framework/index.ts';

/** What the failing call was about, so a message names it. */
export interface NotionTarget {
  /** e.g. "database 1a2b…" */
  what?: string;
  /** The capability the call needs: 'read content', 'update content' or 'insert content'. */
  capability?: string;
}

/** The SDK types response headers as unknown: a fetch Headers object or a plain record. */
function header(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name && typeof v === 'string') return v;
  return undefined;
}

const SERVER: ReadonlySet<string> = new Set([APIErrorCode.InternalServerError, APIErrorCode.ServiceOverload, APIErrorCode.ServiceUnavailable, APIErrorCode.GatewayTimeout, APIErrorCode.ConflictError]);

function byStatus(status: number, message: string, target: NotionTarget, retryAfter: () => number): ServiceProblem {
  if (status === 401) return { kind: 'auth', message, status };
  if (status === 403) return { kind: 'scope', message, status, ...(target.capability ? { scope: target.capability } : {}) };
  if (status === 404) return { kind: 'not_found', message, status, ...(target.what ? { what: target.what } : {}) };
  if (status === 429) return { kind: 'rate_limited', message, status, retryAfterMs: retryAfter() };
  if (status === 409 || status >= 500) return { kind: 'server', message, status };
  return { kind: 'validation', message, status };
}

/** A Notion SDK error as a ServiceProblem; undefined for anything else. */
export function notionProblem(err: unknown, target: NotionTarget = {}, now = new Date()): ServiceProblem | undefined {
  if (APIResponseError.isAPIResponseError(err) || UnknownHTTPResponseError.isUnknownHTTPResponseError(err)) {
    const retryAfter = () => retryAfterMs(header(err.headers, 'retry-after'), now);
    const code = err.code === ClientErrorCode.ResponseError ? undefined : err.code;
    const message = code ? err.message : `HTTP ${err.status}`;
    const problem = byStatus(err.status, message, target, retryAfter);
    if (code && SERVER.has(code)) return { kind: 'server', message, status: err.status, code };
    return code ? { ...problem, code } : problem;
  }
  if (isNotionClientError(err) && err.code === ClientErrorCode.RequestTimeout) return { kind: 'network', message: 'the request timed out' };
  if (isNotionClientError(err)) return { kind: 'validation', message: err.message };
  if (err instanceof NodeError) return undefined;
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) return { kind: 'network', message: 'the request was cancelled or timed out' };
  if (err instanceof TypeError || (err instanceof Error && 'code' in err)) return { kind: 'network', message: 'the connection failed' };
  return undefined;
}

/** True for Notion's 404 object_not_found (used to tell a database id from a data source id). */
export function isNotFound(err: unknown): boolean {
  return APIResponseError.isAPIResponseError(err) && err.code === APIErrorCode.ObjectNotFound;
}

/** Re-throws a Notion SDK error as a classified ServiceProblemError (others unchanged). */
export function rethrowNotion(err: unknown, target?: NotionTarget): never {
  const problem = notionProblem(err, target);
  if (problem) throw new ServiceProblemError(problem, { cause: err });
  throw err;
}

/** Runs one SDK call, classifying its failure. */
export async function notionCall<T>(target: NotionTarget, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    rethrowNotion(err, target);
  }
}
