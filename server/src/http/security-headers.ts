// Security headers for every response. Two policies: the app's (editor and API), whose scripts
// come only from the editor's build assets, and the webhooks' (a tenant's content), which is
// sandboxed into an opaque origin that can run nothing and load nothing.
import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from '@keyflow/engine';
import { isWebhookRequest, requestHost } from './webhook-origin.ts';
import type { AppEnv } from './types.ts';

/** Whatever a webhook answers: no script, no subresource, no access to Keyflow's origin or cookies. */
export const WEBHOOK_CSP = "sandbox; default-src 'none'";

// Vite writes the editor's scripts under /assets/. A path-restricted source, because 'self' would
// also admit /hooks/* — the very thing a tenant controls. Only a host name or IP (and port) goes
// into the header, so no request can add a directive through its Host.
const ASSETS = '/assets/';
const SAFE_HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

// The service worker (editor/public/sw.js) must live at the root for its scope to cover the app,
// so it gets its own exact-path source rather than widening script-src.
const SERVICE_WORKER = '/sw.js';

/**
 * Sources for `path` on the configured origin and on the host the browser used (127.0.0.1 or
 * localhost or a LAN name). An http source also matches the https URL behind a TLS proxy (CSP3
 * scheme upgrade). `path` must be Keyflow's own (never request text).
 */
export function ownSources(c: Context, configured: string, path: string): string {
  const origins = new Set([configured]);
  const host = requestHost(c);
  if (SAFE_HOST.test(host)) origins.add(`${new URL(c.req.url).protocol}//${host}`);
  return [...origins].map((o) => `${o}${path}`).join(' ');
}

function appCsp(c: Context, publicUrl: string): string {
  const sources = (path: string) => ownSources(c, publicUrl, path);
  return [
    "default-src 'self'",
    `script-src ${sources(ASSETS)}`,
    `worker-src ${sources(SERVICE_WORKER)}`,
    "manifest-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

const COMMON_OPTIONS = { xFrameOptions: 'DENY', referrerPolicy: 'no-referrer' } as const;

// Responses built complete by sealedWebhookResponse: the middlewares below leave them alone.
const sealed = new WeakSet<Response>();

/** True for a response that already carries every header (see sealedWebhookResponse). */
export function isSealed(res: Response): boolean {
  return sealed.has(res);
}

// The common headers (secureHeaders' own list with our options, X-Powered-By removed), taken once
// from the middleware itself on an empty response, then set from that list on every response.
let commonHeaders: [string, string][] | undefined;
const commonReady: Promise<[string, string][]> = (async () => {
  const headers = new Headers();
  const probe = { res: { headers }, get: () => undefined, set: () => undefined };
  await (secureHeaders(COMMON_OPTIONS) as unknown as (c: unknown, next: () => Promise<void>) => Promise<void>)(probe, async () => undefined);
  return (commonHeaders = [...headers]);
})();

/**
 * Every security header of a response, after the common ones: [name, value], or [name, undefined]
 * for one that must go. The middleware and sealedWebhookResponse both apply this one list.
 * set (never append): one policy per response, whatever a respond node put in its headers. A
 * hosted trigger page (core.form, core.chat) has its own, still sandboxed, policy; a sandboxed
 * page has an opaque origin, which no agent cluster can be keyed to, so Chromium warns on every
 * hosted page that asks for one (the header means nothing there).
 */
function policyHeaders(csp: string, hosted: boolean): [string, string | undefined][] {
  return [['x-powered-by', undefined], ['content-security-policy', csp], ...(hosted ? [['origin-agent-cluster', undefined] as [string, undefined]] : []), ['x-content-type-options', 'nosniff']];
}

/**
 * A webhook's answer with all its headers at once (a plain record, the respond node's first, then
 * the same security headers the middleware below would set, and the request id), so no fetch
 * Headers is built, validated and copied per request. Undefined when the middleware must do it
 * (a hosted page's own CSP, or before the common headers are known).
 */
export function sealedWebhookResponse(c: Context<AppEnv>, body: string | null, status: number, headers: Record<string, string>): Response | undefined {
  if (!commonHeaders || c.get('hostedCsp') !== undefined) return undefined;
  for (const [k, v] of commonHeaders) headers[k] = v;
  for (const [k, v] of policyHeaders(WEBHOOK_CSP, false)) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  const requestId = c.get('requestId');
  if (requestId) headers['x-request-id'] = requestId;
  const res = new Response(body, { status, headers });
  sealed.add(res);
  return res;
}

export function securityHeaders(config: Pick<Config, 'publicUrl' | 'webhookUrl'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (sealed.has(c.res)) return;
    const headers = c.res.headers;
    for (const [k, v] of commonHeaders ?? (await commonReady)) headers.set(k, v);
    const hosted = c.get('hostedCsp');
    const csp = isWebhookRequest(c, config) ? (hosted ?? WEBHOOK_CSP) : appCsp(c, config.publicUrl);
    for (const [k, v] of policyHeaders(csp, hosted !== undefined)) {
      if (v === undefined) headers.delete(k);
      else headers.set(k, v);
    }
  };
}
