// The Hono app: middleware, every resource's routes, health, OpenAPI, metrics, the editor.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { authenticate } from './auth/authenticate.ts';
import { errorBody, handleError } from './http/error-handler.ts';
import { buildOpenApi } from './http/openapi.ts';
import { routeRegistry } from './http/route.ts';
import type { AppEnv, Services } from './http/types.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { workflowRoutes } from './routes/workflows.routes.ts';
import { generateRoutes } from './routes/generate.routes.ts';
import { n8nImportRoutes } from './routes/n8n-import.routes.ts';
import { credentialRoutes } from './routes/credentials.routes.ts';
import { connectionRoutes } from './routes/connections.routes.ts';
import { settingsRoutes } from './routes/settings.routes.ts';
import { alertRoutes } from './routes/alerts.routes.ts';
import { usageRoutes } from './routes/usage.routes.ts';
import { accountRoutes } from './routes/account.routes.ts';
import { editorRoutes } from './routes/editor.routes.ts';
import { runRoutes } from './routes/runs.routes.ts';
import { nodeRoutes } from './routes/nodes.routes.ts';
import { catalogRoutes } from './routes/catalog.routes.ts';
import { webhookRoutes } from './routes/webhooks.routes.ts';
import { observeRequest, serveMetrics, trackCredentialHealth } from './http/metrics.ts';
import { isSealed, securityHeaders } from './http/security-headers.ts';
import { urlGuard } from './http/url-guard.ts';
import { webhookOrigin } from './http/webhook-origin.ts';

/** The request's child logger (with its request id), made on first use: most requests log only the access line. */
function lazyChild(parent: Logger, requestId: string): Logger {
  let child: Logger | undefined;
  const real = (): Logger => (child ??= parent.child({ requestId }));
  return new Proxy(parent, {
    get(_target, prop) {
      const log = real();
      const value: unknown = Reflect.get(log, prop, log);
      return typeof value === 'function' ? value.bind(log) : value;
    },
    set: (_target, prop, value) => Reflect.set(real(), prop, value),
  });
}

export function createApp(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  trackCredentialHealth(services.db);

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    c.set('services', services);
    c.set('requestId', requestId);
    c.set('log', lazyChild(services.log, requestId));
    c.set('user', undefined);
    const started = performance.now();
    await next();
    // On the response itself: c.header() after the answer exists copies the whole response first.
    if (!isSealed(c.res)) c.res.headers.set('X-Request-Id', requestId);
    const ms = performance.now() - started;
    observeRequest(c, ms / 1000);
    // Path only: query strings may carry tokens or personal data.
    // The same line a child logger would write (requestId first), without making one per request.
    services.log.info({ requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(ms * 10) / 10 }, 'request');
  });
  // Webhook answers are a tenant's content: sandboxed, and on their own origin when one is configured.
  app.use('*', securityHeaders(services.config));
  if (services.config.webhookUrl !== undefined) app.use('*', webhookOrigin(services.config));
  // Hardening (issue 7): unreadable URLs are a 400 before any handler decodes them; no API
  // answer (the one-time token included) may be kept by a browser or proxy cache.
  app.use('*', urlGuard);
  app.use('/api/*', async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  });
  app.onError(handleError);
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const checks = await services.readiness();
    const ok = Object.values(checks).every((v) => v === 'ok');
    return c.json({ status: ok ? 'ok' : 'unavailable', checks }, ok ? 200 : 503);
  });
  app.get('/metrics', serveMetrics(services.config.metricsToken));

  app.use('/api/*', authenticate);
  app.route('/', authRoutes(services.config.signupsPerHour));
  app.route('/', generateRoutes());
  app.route('/', n8nImportRoutes());
  app.route('/', workflowRoutes());
  app.route('/', runRoutes());
  app.route('/', nodeRoutes());
  app.route('/', catalogRoutes());
  app.route('/', webhookRoutes());
  app.route('/', credentialRoutes());
  app.route('/', connectionRoutes());
  app.route('/', settingsRoutes());
  app.route('/', alertRoutes());
  app.route('/', usageRoutes());
  app.route('/', accountRoutes());
  const openapi = buildOpenApi(routeRegistry, { version: '0.1.0' });
  app.get('/api/openapi.json', (c) => c.json(openapi));
  app.route('/', editorRoutes());
  return app;
}
