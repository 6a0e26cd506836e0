// Prometheus metrics (prom-client; the series are defined in @keyflow/engine's metrics module).
// Traffic figures are not public: on the app's port /metrics answers only a scraper holding
// KEYFLOW_METRICS_TOKEN; KEYFLOW_METRICS_PORT serves them on a listener of their own instead
// (for workers, which have no HTTP port, and for scrapers on a private network).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context, type Handler } from 'hono';
import { routePath } from 'hono/route';
import { metrics, NotFound, Unauthorized, type Db } from '@keyflow/engine';
import { errorBody } from './error-handler.ts';
import type { AppEnv } from './types.ts';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** 401 unless `Authorization: Bearer <token>`; equal-length digests, so timing says nothing about the token. */
function requireToken(c: Context, expected: Buffer): void {
  const m = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '');
  if (!m || !timingSafeEqual(digest(m[1]!), expected)) {
    c.header('WWW-Authenticate', 'Bearer realm="metrics"');
    throw new Unauthorized('metrics need Authorization: Bearer <KEYFLOW_METRICS_TOKEN>');
  }
}

async function exposition(c: Context): Promise<Response> {
  const { contentType, body } = await metrics.renderMetrics();
  return c.body(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
}

/** GET /metrics on the app's port: 404 when no token is configured, 401 without `Authorization: Bearer <token>`. */
export function serveMetrics(token: string | undefined): Handler<AppEnv> {
  const expected = token === undefined ? undefined : digest(token);
  return (c) => {
    if (!expected) throw new NotFound('metrics'); // not configured: as if there were no such route
    requireToken(c, expected);
    return exposition(c);
  };
}

/** The app on KEYFLOW_METRICS_PORT: only GET /metrics (the token too, when one is set). */
export function metricsApp(token: string | undefined): Hono {
  const expected = token === undefined ? undefined : digest(token);
  const app = new Hono();
  app.get('/metrics', (c) => {
    if (expected) requireToken(c, expected);
    return exposition(c);
  });
  app.onError((err, c) => (err instanceof Unauthorized ? c.json(errorBody('unauthorized', err.message), 401) : c.json(errorBody('internal', 'metrics failed'), 500)));
  app.notFound((c) => c.json(errorBody('not_found', 'only GET /metrics here'), 404));
  return app;
}

/** Records every request by its route pattern (never the raw path: ids would make unbounded series). */
export function observeRequest(c: Context<AppEnv>, seconds: number): void {
  let route = 'unmatched';
  try {
    route = routePath(c, c.req.routeIndex) || 'unmatched';
  } catch {
    // no route matched at all
  }
  if (c.res.status === 404 && (route === '*' || route.endsWith('/*'))) route = 'unmatched';
  metrics.httpDuration.observe({ method: c.req.method, route, status: String(c.res.status) }, seconds);
}

/** Credentials by health across all owners, counted (never listed) for the metrics. */
export function trackCredentialHealth(db: Db): void {
  metrics.trackCredentialHealth(async () => {
    const rows = await db.selectFrom('credentials').select((eb) => ['health', eb.fn.countAll<string>().as('n')]).groupBy('health').execute();
    return rows.map((r) => ({ health: r.health, count: Number(r.n) }));
  });
}
