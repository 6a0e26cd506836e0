// Public webhook endpoints. The path is the capability; nothing in the request is ever
// evaluated or read as a file: the body becomes $trigger data for the run.
import { Hono, type Context } from 'hono';
import { NotFound, PayloadTooLarge, TooManyRequests, webhooks, workflows, type Db, type Outcome } from '@keyflow/engine';
import { signatureConfigSchema, verifySignature } from '@keyflow/engine/webhooks';
import { RateLimiter } from '../auth/rate-limit.ts';
import { errorBody } from '../http/error-handler.ts';
import { readRawBody } from '../http/read-body.ts';
import type { AppEnv } from '../http/types.ts';

const PATH = /^[A-Za-z0-9_-]{32}$/;
const DELIVERY_HEADERS = ['x-keyflow-delivery', 'x-github-delivery', 'webhook-id', 'idempotency-key'];
const STRIPPED_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
const RESPONSE_HEADER_BLOCK = new Set(['content-length', 'transfer-encoding', 'connection', 'set-cookie']);
const DEFAULT_WAIT_MS = 30_000;

type HookNodeConfig = { responseMode?: 'accepted' | 'wait'; method?: string; timeoutMs?: number };

function parseBody(raw: Buffer, contentType: string): unknown {
  if (raw.length === 0) return null;
  const text = raw.toString('utf8');
  if (/^application\/(.+\+)?json/i.test(contentType)) return JSON.parse(text) as unknown;
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) return Object.fromEntries(new URLSearchParams(text));
  return text;
}

function respond(c: Context<AppEnv>, outcome: Outcome): Response {
  if (outcome.kind === 'timeout') return c.json({ runId: outcome.runId, status: 'running', error: { code: 'timeout', message: 'the workflow did not respond in time; it keeps running' } }, 504);
  if (outcome.kind === 'finished') {
    const status = outcome.status === 'succeeded' ? 200 : 500;
    return c.json({ runId: outcome.runId, status: outcome.status, ...(outcome.status === 'succeeded' ? { output: outcome.output ?? null } : { error: outcome.error ?? null }) }, status);
  }
  const { status, headers, body } = outcome.response;
  const out = new Headers({ 'x-keyflow-run-id': outcome.runId, 'x-content-type-options': 'nosniff' });
  for (const [k, v] of Object.entries(headers)) if (!RESPONSE_HEADER_BLOCK.has(k.toLowerCase()) && /^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(k)) out.set(k, String(v).replace(/[\r\n]/g, ' '));
  const code = Number.isInteger(status) && status >= 200 && status <= 599 ? status : 200;
  if (typeof body === 'string') {
    if (!out.has('content-type')) out.set('content-type', 'text/plain; charset=utf-8');
    return new Response(body, { status: code, headers: out });
  }
  out.set('content-type', 'application/json');
  return new Response(code === 204 || code === 304 ? null : JSON.stringify(body ?? null), { status: code, headers: out });
}

type HookNode = { id: string; type: string; disabled?: boolean; config: unknown };

// A path's workflow state, kept for a second: activation changes made in this process clear it
// at once (forgetWebhooks); another server process sees them within HOOK_TTL_MS.
const HOOK_TTL_MS = 1000;
const hookCache = new Map<string, { hook: webhooks.ResolvedHook | undefined; at: number }>();

async function resolveHook(db: Db, path: string, kind: 'production' | 'test'): Promise<webhooks.ResolvedHook | undefined> {
  const key = `${kind}:${path}`;
  const hit = hookCache.get(key);
  if (hit && Date.now() - hit.at < HOOK_TTL_MS) return hit.hook;
  const hook = await webhooks.resolveByPath(db, path, kind);
  if (hookCache.size > 50_000) hookCache.clear();
  hookCache.set(key, { hook, at: Date.now() });
  return hook;
}

/** Drops cached webhook state of a workflow (after save, activation, deactivation, delete). */
export function forgetWebhooks(workflowId: string): void {
  for (const [key, entry] of hookCache) if (!entry.hook || entry.hook.workflowId === workflowId) hookCache.delete(key);
}

// Versions are immutable: a webhook node's config is read from the database once per version.
const nodeCache = new Map<string, HookNode | null>();

async function hookNode(db: Db, ownerId: string, workflowId: string, version: number, nodeId: string): Promise<HookNode | undefined> {
  const key = `${workflowId}@${version}#${nodeId}`;
  let node = nodeCache.get(key);
  if (node === undefined) {
    const graph = (await workflows.getVersion(db, ownerId, workflowId, version)).graph as { nodes: HookNode[] };
    node = graph.nodes.find((n) => n.id === nodeId && n.type === 'core.webhook' && !n.disabled) ?? null;
    if (nodeCache.size > 10_000) nodeCache.clear();
    nodeCache.set(key, node);
  }
  return node ?? undefined;
}

export function webhookRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let perHook: RateLimiter | undefined;

  const handle = (kind: 'production' | 'test') => async (c: Context<AppEnv>) => {
    const { db, engine, keyring, config } = c.get('services');
    const path = c.req.param('path') ?? '';
    if (!PATH.test(path)) throw new NotFound('webhook');
    perHook ??= new RateLimiter({ windowMs: 60_000, max: config.webhookRatePerMinute });
    const wait = perHook.hit(`${kind}:${path}`);
    if (wait > 0) throw new TooManyRequests('this webhook is receiving too many requests', wait);
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > config.bodyLimitBytes) throw new PayloadTooLarge(config.bodyLimitBytes);
    const hook = await resolveHook(db, path, kind);
    if (!hook || hook.version === null || (kind === 'production' && !hook.active)) throw new NotFound('webhook');
    const version = hook.version;
    const node = await hookNode(db, hook.ownerId, hook.workflowId, version, hook.nodeId);
    if (!node) throw new NotFound('webhook');
    const cfg = (node.config ?? {}) as HookNodeConfig;
    if (c.req.method !== (cfg.method ?? 'POST')) return c.json(errorBody('method_not_allowed', `this webhook takes ${cfg.method ?? 'POST'}`), 405);

    // Verify over the raw bytes, before anything parses them.
    const raw = await readRawBody(c, config.bodyLimitBytes);
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((v, k) => (headers[k] = v));
    if (hook.signature && hook.signingCiphertext) {
      const parsed = signatureConfigSchema.safeParse(hook.signature);
      const secret = keyring.decrypt(hook.ownerId, hook.signingCiphertext);
      const verdict = parsed.success ? verifySignature(parsed.data, secret, headers, raw, new Date()) : { ok: false as const, reason: 'bad_signature' as const };
      if (!verdict.ok) return c.json(errorBody('invalid_signature', `signature check failed: ${verdict.reason}`), 401);
    }
    const deliveryId = DELIVERY_HEADERS.map((h) => headers[h]).find((v) => v && v.length <= 200);
    if (deliveryId && !(await webhooks.recordDelivery(db, hook.id, deliveryId))) return c.json({ status: 'duplicate', deliveryId }, 200);

    let body: unknown;
    try {
      body = parseBody(raw, headers['content-type'] ?? '');
    } catch {
      return c.json(errorBody('bad_request', 'malformed JSON body'), 400);
    }
    const kept: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) if (!STRIPPED_HEADERS.has(k)) kept[k] = v;
    const payload = { method: c.req.method, headers: kept, query: c.req.query(), body };
    const start = { ownerId: hook.ownerId, workflowId: hook.workflowId, version, trigger: kind === 'production' ? ('webhook' as const) : ('test' as const), payload };
    if ((cfg.responseMode ?? 'accepted') === 'wait') return respond(c, await engine.startAndWait(start, cfg.timeoutMs ?? DEFAULT_WAIT_MS));
    const runId = await engine.startRun(start);
    return c.json({ runId, status: 'accepted' }, 202);
  };

  for (const method of ['POST', 'GET', 'PUT', 'PATCH', 'DELETE']) {
    app.on(method, '/hooks/test/:path', handle('test'));
    app.on(method, '/hooks/:path', handle('production'));
  }
  return app;
}
