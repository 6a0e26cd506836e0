// One JSON request towards a service's API, for integrations without an SDK (Typeform, Cal.com,
// Webflow, Telegram). The URL may hold the credential (Telegram puts the bot token in the path),
// so a network failure is described without the URL or the fetch error as `cause`, and every
// failure is handed to the service's own classifier as a ServiceProblemError.
import { ServiceProblemError, type ServiceProblem } from './errors.ts';
import type { ServiceCall } from './types.ts';

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /** Sent as JSON when present. */
  body?: unknown;
}

/** The service's answer to a failed request: status, body text (may be empty), headers. */
export type FailureClassifier = (failure: { status: number; text: string; json: unknown; headers: Headers }) => ServiceProblem;

/** A short description of a network failure that cannot contain the URL (and so a token in it). */
export function networkReason(err: unknown): string {
  if (err instanceof Error && err.name === 'AbortError') return 'the request was aborted (timeout or cancellation)';
  if (err instanceof Error && err.name === 'TimeoutError') return 'the request timed out';
  const code = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? `network error ${code}` : 'network error';
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Sends `req`; resolves with the parsed JSON (undefined for an empty body), rejects with a classified ServiceProblemError. */
export async function requestJson(call: ServiceCall, req: JsonRequest, classify: FailureClassifier, title: string): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await call.fetch(req.url, { method: req.method, headers, body: req.body === undefined ? undefined : JSON.stringify(req.body), signal: call.signal, redirect: 'error' });
  } catch (err) {
    // Deliberately no `cause`: fetch errors may quote the URL.
    throw new ServiceProblemError({ kind: 'network', message: networkReason(err) });
  }
  const text = await res.text().catch(() => '');
  const json = parse(text);
  if (res.status >= 400) throw new ServiceProblemError(classify({ status: res.status, text, json, headers: res.headers }));
  if (text !== '' && json === undefined) throw new ServiceProblemError({ kind: 'server', status: res.status, message: `${title} answered with something that is not JSON` });
  return json;
}
