import type { Dispatcher } from 'undici';
import { EMPTY_ALLOW_LIST } from './allow-list.ts';
import type { AllowList } from './allow-list.ts';
import { createGuardedConnector, refuseHostname, systemResolver } from './guarded-connector.ts';
import type { Resolver } from './guarded-connector.ts';
import { findOutboundError, OutboundRequestError } from './outbound-request-error.ts';
import { Agent, request } from './undici-core.ts';

export type SafeFetchOptions = {
  allow?: AllowList;
  /** Whole request, redirects and body included. Default 30 s. */
  timeoutMs?: number;
  /** Default 10 MiB. */
  maxResponseBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Replaces DNS; tests use it to make a name resolve to a private address. */
  lookup?: Resolver;
  userAgent?: string;
};

export type SafeFetchInit = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
  /** Default true; when false a 3xx is returned as is. */
  followRedirects?: boolean;
};

export type SafeResponse = {
  status: number;
  headers: Record<string, string>;
  /** The URL of the last hop. */
  url: string;
  body: Buffer;
  text(): string;
  json(): unknown;
};

export type SafeFetch = {
  (url: string, init?: SafeFetchInit): Promise<SafeResponse>;
  /** Closes the pooled connections. */
  close(): Promise<void>;
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/**
 * Creates the only way Keyflow code may call a user-supplied URL: http(s) only, every
 * connection's resolved address checked against the SSRF policy, redirects followed by hand
 * and re-checked, with a total timeout and a response size cap.
 * @example const safeFetch = createSafeFetch({ allow: parseAllowList(env.KEYFLOW_HTTP_ALLOW) });
 */
export function createSafeFetch(opts: SafeFetchOptions = {}): SafeFetch {
  const allow = opts.allow ?? EMPTY_ALLOW_LIST;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxResponseBytes ?? 10 * 1024 * 1024;
  const maxRedirects = opts.maxRedirects ?? 5;
  const userAgent = opts.userAgent ?? 'Keyflow';
  const agent = new Agent({
    connect: createGuardedConnector({ allow, resolver: opts.lookup ?? systemResolver, connectTimeoutMs: Math.min(timeoutMs, 10_000) }),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

  const safeFetch = async (url: string, init: SafeFetchInit = {}): Promise<SafeResponse> => {
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(), timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timer.signal]) : timer.signal;
    let host: string | undefined;
    try {
      let current = parseUrl(url);
      let method = (init.method ?? 'GET').toUpperCase();
      let body = init.body;
      let headers = prepareHeaders(init.headers ?? {}, userAgent);
      for (let hop = 0; ; hop++) {
        host = current.hostname;
        checkTarget(current, allow);
        const res = await request(current, agent, { method: method as Dispatcher.HttpMethod, headers, body: body ?? null, signal });
        const location = headerValue(res.headers.location);
        if (init.followRedirects === false || !REDIRECTS.has(res.statusCode) || location === undefined) {
          const buf = await readCapped(res.body, maxBytes, headerValue(res.headers['content-length']), current.hostname);
          return makeResponse(res.statusCode, res.headers, current.href, buf);
        }
        // Drained rather than destroyed, so the pooled connection can carry the next hop.
        await res.body.dump({ signal, limit: 64 * 1024 }).catch(() => undefined);
        if (hop >= maxRedirects) {
          throw new OutboundRequestError('too_many_redirects', `more than ${maxRedirects} redirects from ${new URL(url).hostname}`, { host });
        }
        const next = parseUrl(location, current);
        if (next.origin !== current.origin) headers = without(headers, CREDENTIAL_HEADERS);
        // Same rewrite as browsers: 303 always, and 301/302 for POST, become a bodiless GET.
        if (res.statusCode === 303 ? method !== 'HEAD' : (res.statusCode === 301 || res.statusCode === 302) && method === 'POST') {
          method = 'GET';
          body = undefined;
          headers = without(headers, BODY_HEADERS);
        }
        current = next;
      }
    } catch (err) {
      throw normaliseError(err, host, { timedOut: timer.signal.aborted, aborted: init.signal?.aborted === true });
    } finally {
      clearTimeout(handle);
    }
  };

  return Object.assign(safeFetch, { close: () => agent.close() });
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch {
    throw new OutboundRequestError('invalid_url', base ? `invalid redirect location from ${base.hostname}` : 'invalid URL');
  }
}

function checkTarget(url: URL, allow: AllowList): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundRequestError('blocked_scheme', `refused scheme ${url.protocol} (only http: and https: are allowed)`, {
      host: url.hostname,
    });
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials in the URL would be sent on and leak into logs of the final URL.
    throw new OutboundRequestError('invalid_url', `credentials in the URL for ${url.hostname} are not supported; use a header`, {
      host: url.hostname,
    });
  }
  // The connector checks again at connect time; this gives a clear error before any pooling.
  const refusal = refuseHostname(url.hostname, allow);
  if (refusal) throw refusal;
}

function prepareHeaders(input: Record<string, string>, userAgent: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    const key = name.toLowerCase();
    if (!TOKEN.test(key) || /[\r\n\0]/.test(value)) {
      throw new OutboundRequestError('invalid_request', `invalid header ${JSON.stringify(name.slice(0, 64))}`);
    }
    // The Host must be the host that was checked, and undici sets it from the URL.
    if (key === 'host') continue;
    out[key] = value;
  }
  out['user-agent'] ??= userAgent;
  return out;
}

function without(headers: Record<string, string>, names: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !names.has(k)));
}

async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number, declared: string | undefined, host: string): Promise<Buffer> {
  const tooLarge = () => new OutboundRequestError('response_too_large', `response from ${host} exceeds ${maxBytes} bytes`, { host });
  if (declared !== undefined && Number(declared) > maxBytes) {
    discard(body);
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += buf.length;
    if (total > maxBytes) {
      discard(body);
      throw tooLarge();
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total);
}

function discard(body: Dispatcher.ResponseData['body']): void {
  // undici's body emits an AbortError when destroyed early; nobody is left to hear it.
  body.on('error', () => undefined);
  body.destroy();
}

function makeResponse(status: number, raw: Dispatcher.ResponseData['headers'], url: string, body: Buffer): SafeResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status, headers, url, body, text: () => body.toString('utf8'), json: () => JSON.parse(body.toString('utf8')) as unknown };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function normaliseError(err: unknown, host: string | undefined, state: { timedOut: boolean; aborted: boolean }): OutboundRequestError {
  const known = findOutboundError(err);
  if (known) return known;
  const target = host ?? 'the target';
  if (state.aborted) return new OutboundRequestError('aborted', `request to ${target} was aborted`, { host, cause: err });
  const code = err instanceof Error && 'code' in err ? String(err.code) : '';
  if (state.timedOut || code.endsWith('_TIMEOUT') || code === 'ETIMEDOUT') {
    return new OutboundRequestError('timeout', `request to ${target} timed out`, { host, cause: err });
  }
  return new OutboundRequestError('connection_failed', `request to ${target} failed${code ? ` (${code})` : ''}`, { host, cause: err });
}
