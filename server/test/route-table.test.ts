// The isolation and bad-input walks are driven by the route registry that `route()` fills. A
// handler registered straight on Hono (app.get, app.on, a sub-app) would escape both, so the
// app's real route table must match the registry, apart from a short list of routes that are
// outside it on purpose, each with its reason.
import { afterAll, describe, expect, it } from 'vitest';
import { routeRegistry } from '../src/http/route.ts';
import { createTestApp, type TestApp } from './support.ts';

const t: TestApp = await createTestApp('pglite');
afterAll(() => t.close());

const hookMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
/** Routes outside `route()`, and why. */
const outside = new Set([
  // Middleware (request id, security headers, webhook origin, URL guard, auth, API headers).
  'ALL /*',
  'ALL /api/*',
  // Probes and metrics: no owner, no body; /metrics has its own bearer check (input-hardening).
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  // Built from the registry itself.
  'GET /api/openapi.json',
  // The editor's static files and SPA fallback.
  'GET /*',
  // Public webhooks: raw bodies, tested in webhooks/webhook-delivery/webhook-origin tests.
  ...hookMethods.flatMap((m) => [`${m} /hooks/:path`, `${m} /hooks/test/:path`]),
  // The hosted chat page's static script (hosted-triggers tests); OPTIONS above is its chat's CORS preflight.
  'GET /hooks/static/chat-v1.js',
]);

describe('route table', () => {
  const table = t.app.routes.map((r) => `${r.method} ${r.path}`);
  const registered = routeRegistry.map((r) => `${r.method.toUpperCase()} ${r.path}`);

  it('every route the app serves is in the registry or on the allow-list', () => {
    const escaped = [...new Set(table)].filter((k) => !outside.has(k) && !registered.includes(k));
    expect(escaped, 'declare these with route() so the isolation and bad-input walks cover them').toEqual([]);
  });

  it('every registry entry is served by the app (the registry is not stale)', () => {
    expect(registered.filter((k) => !table.includes(k))).toEqual([]);
  });

  it('every allow-listed route exists (so the allow-list does not grow stale either)', () => {
    expect([...outside].filter((k) => !table.includes(k))).toEqual([]);
  });
});
