// The one Trello client (Trello publishes no SDK): REST over the framework's fetch, towards the
// operator's base URL only (KEYFLOW_TRELLO_BASE_URL, default https://api.trello.com). Trello
// authenticates with `key` and `token` in the query string, so the request URL is a secret: it
// is built here, handed to fetch, and never logged, returned or put into an error or its cause.
// Parameters travel as a JSON body on writes (Trello's REST API takes either form; a body keeps
// user text such as a card description out of URLs and their length limits).
import { apiUrl, keyAndToken, ServiceProblemError, type ServiceCall, type ServiceProblem } from '../framework/index.ts';
import { classifyTrelloFailure, type TrelloFailureContext } from './errors.ts';

export type TrelloMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type TrelloParam = string | number | boolean | readonly string[] | null | undefined;

export interface TrelloRequest {
  method: TrelloMethod;
  /** Below the API version, e.g. 'cards' or `cards/${id}`: ids must come through trelloPath(). */
  path: string;
  params?: Record<string, TrelloParam>;
  /** What a 404 means, for the message: e.g. 'card 5abbe4b7ddc1b351ef961414'. */
  what?: string;
}

function encodeParam(value: Exclude<TrelloParam, undefined>): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

function paramsToQuery(params: Record<string, TrelloParam>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = encodeParam(v);
  return out;
}

function paramsToBody(params: Record<string, TrelloParam>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

/** A short description of a network failure that cannot contain the URL (and so the token). */
function networkReason(err: unknown): string {
  if (err instanceof Error && err.name === 'AbortError') return 'the request was aborted (timeout or cancellation)';
  if (err instanceof Error && err.name === 'TimeoutError') return 'the request timed out';
  const code = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? `network error ${code}` : 'network error';
}

// Plain segments only: no '.', '..', '//' or scheme can turn an id into another path or host.
const SAFE_PATH = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_%-]+)*\/?$/;

export class TrelloClient {
  readonly #call: ServiceCall;

  constructor(call: ServiceCall) {
    this.#call = call;
  }

  /** Sends one request; rejects with a ServiceProblemError (classified, not yet worded). */
  async request<T = unknown>(req: TrelloRequest): Promise<T> {
    if (!SAFE_PATH.test(req.path)) throw new ServiceProblemError({ kind: 'validation', message: 'refused: a Trello API path is made of plain segments (the credential is only sent to the Trello API)' });
    const { key, token } = keyAndToken(this.#call.credential);
    const params = req.params ?? {};
    const hasBody = req.method === 'POST' || req.method === 'PUT';
    const query = hasBody ? {} : paramsToQuery(params);
    const url = apiUrl(this.#call.baseUrl, `1/${req.path}`, { ...query, key, token });
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (hasBody) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(paramsToBody(params));
    }
    const failure: TrelloFailureContext = { method: req.method, what: req.what, now: new Date() };

    let res: Response;
    try {
      res = await this.#call.fetch(url, { method: req.method, headers, body, signal: this.#call.signal, redirect: 'error' });
    } catch (err) {
      // Deliberately no `cause`: fetch errors may quote the URL, which holds the key and token.
      throw new ServiceProblemError({ kind: 'network', message: networkReason(err) });
    }
    const text = await res.text().catch(() => '');
    if (res.status >= 400) throw new ServiceProblemError(classifyTrelloFailure(res.status, text, res.headers, failure));
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      const problem: ServiceProblem = { kind: 'server', status: res.status, message: 'Trello answered with something that is not JSON' };
      throw new ServiceProblemError(problem);
    }
  }
}

const TRELLO_ID = /^[0-9a-fA-F]{24}$/;

/** An id for a URL path: Trello ids are 24 hex digits, so anything else is refused before sending. */
export function trelloPath(id: string, field: string): string {
  if (!TRELLO_ID.test(id)) throw new ServiceProblemError({ kind: 'validation', message: `${field} must be a Trello id (24 hexadecimal characters)` });
  return id;
}
