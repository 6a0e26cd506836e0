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

export function securityHeaders(config: Pick<Config, 'publicUrl' | 'webhookUrl'>): MiddlewareHandler<AppEnv> {
  const common = secureHeaders({ xFrameOptions: 'DENY', referrerPolicy: 'no-referrer' });
  return async (c, next) => {
    await common(c, next);
    // set(), not append(): one policy per response, whatever a respond node put in its headers.
    // A hosted trigger page (core.form, core.chat) sets its own, still sandboxed, policy.
    c.res.headers.set('Content-Security-Policy', isWebhookRequest(c, config) ? (c.get('hostedCsp') ?? WEBHOOK_CSP) : appCsp(c, config.publicUrl));
    // A sandboxed page has an opaque origin, which no agent cluster can be keyed to: Chromium
    // warns on every hosted page that asks for it (the header means nothing there).
    if (c.get('hostedCsp') !== undefined) c.res.headers.delete('Origin-Agent-Cluster');
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  };
}
