// Which origin a request came to. With KEYFLOW_WEBHOOK_URL set, webhooks live on their own origin:
// that host serves /hooks/* and nothing else, and every other host refuses /hooks/*, so a tenant's
// answer can never be read as coming from the app's origin (whatever name the app is reached by).
import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '@keyflow/engine';
import { errorBody } from './error-handler.ts';
import type { AppEnv } from './types.ts';

/** The request's host (name and port, default port dropped), as the client addressed it. */
export function requestHost(c: Context): string {
  return new URL(c.req.url).host.toLowerCase();
}

/** True for a response that carries a tenant's content: any /hooks/* path, or anything on the webhook origin. */
export function isWebhookRequest(c: Context, config: Pick<Config, 'webhookUrl'>): boolean {
  if (c.req.path.startsWith('/hooks/')) return true;
  return config.webhookUrl !== undefined && requestHost(c) === new URL(config.webhookUrl).host;
}

/** Splits the two origins when a webhook origin is configured; a no-op otherwise. */
export function webhookOrigin(config: Pick<Config, 'webhookUrl'>): MiddlewareHandler<AppEnv> {
  if (config.webhookUrl === undefined) return (_c, next) => next();
  const hookHost = new URL(config.webhookUrl).host;
  const where = config.webhookUrl;
  return async (c, next) => {
    const onHookHost = requestHost(c) === hookHost;
    const hookPath = c.req.path.startsWith('/hooks/');
    if (onHookHost && !hookPath) return c.json(errorBody('not_found', 'this origin serves webhooks (/hooks/…) only'), 404);
    // 421 Misdirected Request: the right path, the wrong origin for it.
    if (!onHookHost && hookPath) return c.json(errorBody('misdirected_request', `webhooks are served at ${where}, not on this origin`), 421);
    return next();
  };
}
