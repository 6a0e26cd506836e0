// Public webhook endpoints. The path is the capability; nothing in the request is ever
// evaluated or read as a file: the body becomes $trigger data for the run.
import { Hono, type Context } from 'hono';
import { sql } from 'kysely';
import { Invalid, NotFound, PayloadTooLarge, TooManyRequests, webhooks, workflows, type Config, type Db, type Outcome } from '@keyflow/engine';
import { DuplicateDelivery, redactHeaders, replayTtlSeconds, signatureConfigSchema, signaturePresets, verifySignature, type SignatureConfig, type VerifyResult } from '@keyflow/engine/webhooks';
import { findInbound, webhookTriggerTypes, type InboundWebhook } from '@keyflow/nodes';
import { errorBody } from '../http/error-handler.ts';
import { findUnstorableText } from '../http/storable-text.ts';
import { parseJsonBody, readRawBody } from '../http/read-body.ts';
import { requestHeaders } from '../http/request-headers.ts';
import type { AppEnv } from '../http/types.ts';
import { CHAT_SCRIPT, CHAT_SCRIPT_PATH } from '../http/chat-script.ts';
import { sealedWebhookResponse } from '../http/security-headers.ts';
import { handleChat, handleForm } from './hosted-triggers.ts';

const PATH = /^[A-Za-z0-9_-]{32}$/;
// Unsigned webhooks only: a sender's own retry id. With a signature, the key comes from what it covers.
const DELIVERY_HEADERS = ['x-keyflow-delivery', 'x-github-delivery', 'webhook-id', 'idempotency-key'];
// Framing, cookies, and what would act on the whole origin (site data, HSTS, service workers).
const RESPONSE_HEADER_BLOCK = new Set(['content-length', 'transfer-encoding', 'connection', 'set-cookie', 'set-cookie2', 'clear-site-data', 'strict-transport-security', 'service-worker-allowed', 'alt-svc']);
const DEFAULT_WAIT_MS = 30_000;

type HookNodeConfig = { responseMode?: 'accepted' | 'wait'; method?: string; timeoutMs?: number };

/** JSON through the API's parser (syntax, nesting depth), forms as a flat object, anything else as text. */
const JSON_TYPE = /^application\/(.+\+)?json\b/i;
function parseBody(c: Context, raw: Buffer, contentType: string): unknown {
  if (raw.length === 0) return null;
  if (JSON_TYPE.test(contentType)) return parseJsonBody(c, raw);
  const text = raw.toString('utf8');
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) return Object.fromEntries(new URLSearchParams(text));
  return text;
}

const REASONS: Record<Exclude<VerifyResult, { ok: true }>['reason'], string> = {
  missing_signature: 'no signature in the signature header',
  bad_signature: 'the signature does not match the body',
  missing_timestamp: 'the signed timestamp is missing or not plain digits',
  timestamp_out_of_range: 'the signed timestamp is outside the allowed window (a replayed or delayed delivery, or a clock out of sync)',
  unusable_secret: "this webhook's signing secret is unusable; its owner must set a new one",
};

// Expired delivery keys are taken again anyway; deleting them only saves space, a batch at a time.
const PRUNE_EVERY_MS = 10 * 60_000;
let lastPrune = 0;
function pruneNow(c: Context<AppEnv>, db: Db): void {
  if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
  lastPrune = Date.now();
  webhooks.pruneDeliveries(db).catch((err: unknown) => c.get('log').warn({ err: String(err) }, 'pruning webhook deliveries failed'));
}

function unsignedDelivery(headers: Record<string, string>, config: Config): { deliveryId: string; ttlSeconds: number } | undefined {
  const deliveryId = DELIVERY_HEADERS.map((h) => headers[h]).find((v) => v && v.length <= 200);
  return deliveryId ? { deliveryId, ttlSeconds: config.webhookReplayWindowSeconds } : undefined;
}

// A header value Node can write (and fetch Headers would take): Latin-1 without controls but tab.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/** A JSON answer of the webhook route, complete with its headers (see sealedWebhookResponse). */
function jsonAnswer(c: Context<AppEnv>, body: unknown, status: number): Response {
  return sealedWebhookResponse(c, JSON.stringify(body), status, { 'content-type': 'application/json' }) ?? c.json(body as object, status as 200);
}

function respond(c: Context<AppEnv>, outcome: Outcome): Response {
  if (outcome.kind === 'timeout') return jsonAnswer(c, { runId: outcome.runId, status: 'running', error: { code: 'timeout', message: 'the workflow did not respond in time; it keeps running' } }, 504);
  if (outcome.kind === 'finished') {
    const status = outcome.status === 'succeeded' ? 200 : 500;
    return jsonAnswer(c, { runId: outcome.runId, status: outcome.status, ...(outcome.status === 'succeeded' ? { output: outcome.output ?? null } : { error: outcome.error ?? null }) }, status);
  }
  const { status, headers, body } = outcome.response;
  const out: Record<string, string> = { 'x-keyflow-run-id': outcome.runId, 'x-content-type-options': 'nosniff' };
  for (const [k, v] of Object.entries(headers)) {
    if (RESPONSE_HEADER_BLOCK.has(k.toLowerCase()) || !HEADER_NAME.test(k)) continue;
    // As fetch Headers normalises a value: CR/LF made spaces, then trimmed; anything else it refuses is an error.
    const value = String(v).replace(/[\r\n]/g, ' ').replace(/^[\t ]+|[\t ]+$/g, '');
    if (value.includes('\0') || !HEADER_VALUE.test(value)) throw new TypeError(`invalid value for the response header ${k}`);
    out[k.toLowerCase()] = value;
  }
  const code = Number.isInteger(status) && status >= 200 && status <= 599 ? status : 200;
  let text: string | null;
  if (typeof body === 'string') {
    out['content-type'] ??= 'text/plain; charset=utf-8';
    text = body;
  } else {
    out['content-type'] = 'application/json';
    text = code === 204 || code === 304 ? null : JSON.stringify(body ?? null);
  }
  return sealedWebhookResponse(c, text, code, out) ?? new Response(text, { status: code, headers: out });
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
    node = graph.nodes.find((n) => n.id === nodeId && webhookTriggerTypes.includes(n.type) && !n.disabled) ?? null;
    if (nodeCache.size > 10_000) nodeCache.clear();
    nodeCache.set(key, node);
  }
  return node ?? undefined;
}

/** The preset an integration names, used as is: a stored config cannot weaken the service's scheme. */
function presetConfig(inbound: InboundWebhook): SignatureConfig | undefined {
  if (!('preset' in inbound.signature)) return undefined;
  const name = inbound.signature.preset;
  return Object.hasOwn(signaturePresets, name) ? signaturePresets[name as keyof typeof signaturePresets] : undefined;
}

const HANDSHAKE_SECRET = /^[\x21-\x7e]{16,256}$/;

/**
 * Stores the secret a service's handshake delivers, sealed with the owner's key, only while the
 * trigger's activation is in progress (webhooks.handshake_until, set by activateTriggers around
 * the service call) and only on the production URL (the one registered). The window closes with
 * the first handshake, so a later request carrying the header cannot replace the secret.
 */
async function acceptHandshake(c: Context<AppEnv>, args: { kind: 'production' | 'test'; hook: webhooks.ResolvedHook; header: string; secret: string }): Promise<Response> {
  const { db, keyring } = c.get('services');
  const { hook, header, secret } = args;
  if (args.kind !== 'production') return c.json(errorBody('handshake_refused', 'a handshake is only accepted on the production URL'), 403);
  if (!HANDSHAKE_SECRET.test(secret)) return c.json(errorBody('handshake_refused', `the ${header} header must be 16 to 256 printable characters`), 400);
  const updated = await db
    .updateTable('webhooks')
    .set({ signing_ciphertext: keyring.encrypt(hook.ownerId, secret).ciphertext, signature: null, handshake_until: null })
    .where('id', '=', hook.id)
    .where('owner_id', '=', hook.ownerId)
    .where('handshake_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return c.json(errorBody('handshake_refused', 'no activation of this trigger is waiting for a handshake'), 403);
  forgetWebhooks(hook.workflowId);
  return c.body(null, 200, { [header]: secret });
}

async function handleInbound(c: Context<AppEnv>, args: { kind: 'production' | 'test'; hook: webhooks.ResolvedHook; version: number; node: HookNode; inbound: InboundWebhook; publicUrl: string }): Promise<Response> {
  const { db, engine, keyring, config } = c.get('services');
  const { kind, hook, version, node, inbound } = args;
  if (c.req.method !== 'POST') return c.json(errorBody('method_not_allowed', 'this webhook takes POST'), 405);
  const raw = await readRawBody(c, config.bodyLimitBytes);
  const headers = requestHeaders(c);
  // A service that hands over the signing secret when its webhook is created (Asana's X-Hook-Secret).
  const offered = inbound.handshake ? headers[inbound.handshake.header.toLowerCase()] : undefined;
  if (inbound.handshake && offered !== undefined) return acceptHandshake(c, { kind, hook, header: inbound.handshake.header, secret: offered });
  // Until its owner stores the service's signing secret, a trigger starts nothing.
  if (!hook.signingCiphertext) return c.json(errorBody('invalid_signature', `store the ${node.type.split('.')[0]} signing secret for this trigger first (PUT /api/workflows/:id/webhooks/:nodeId/signature)`), 401);
  const secret = keyring.decrypt(hook.ownerId, hook.signingCiphertext);
  const preset = presetConfig(inbound);
  let signatureHeaders: string[] = [];
  const now = new Date();
  const body = parseBody(c, raw, headers['content-type'] ?? '');
  // The URL as published (and registered at the service), not as this process sees it behind a proxy: Trello signs it.
  const request = { method: c.req.method, headers, body, rawBody: raw, url: args.publicUrl, now };
  if (preset) {
    const verdict = verifySignature(preset, secret, headers, raw, now);
    if (!verdict.ok) return c.json(errorBody('invalid_signature', `signature check failed: ${verdict.reason} (${REASONS[verdict.reason]})`), 401);
    signatureHeaders = [preset.header];
  } else if ('verify' in inbound.signature) {
    if (!inbound.signature.verify(request, secret)) return c.json(errorBody('invalid_signature', 'signature check failed: the signature does not match the body'), 401);
  } else {
    return c.json(errorBody('invalid_signature', 'this trigger names an unknown signature scheme'), 401);
  }
  const decision = inbound.receive(request, node.config);
  if (decision.kind === 'answer') return c.json(decision.body as object, decision.status as 200);
  if (decision.kind === 'ignore') return c.json({ status: 'ignored', reason: decision.reason }, 200);
  const payload = { method: c.req.method, headers: redactHeaders(headers, signatureHeaders), query: c.req.query(), body: decision.body !== undefined ? decision.body : body };
  const unstorable = findUnstorableText(payload);
  if (unstorable) throw new Invalid(`the request cannot be stored: ${unstorable.path.join('.')} ${unstorable.message}`, [unstorable]);
  // The service's own event id: its retries are signed anew, so the signature cannot name them.
  const delivery = decision.deliveryId ? { webhookId: hook.id, deliveryId: decision.deliveryId, ttlSeconds: config.webhookReplayWindowSeconds } : undefined;
  pruneNow(c, db);
  try {
    const runId = await engine.startRun({ ownerId: hook.ownerId, workflowId: hook.workflowId, version, trigger: kind === 'production' ? 'webhook' : 'test', payload, ...(delivery ? { delivery } : {}) });
    return c.json({ runId, status: 'accepted' }, 202);
  } catch (err) {
    if (err instanceof DuplicateDelivery) return c.json({ status: 'duplicate', deliveryId: err.deliveryId }, 200);
    throw err;
  }
}

export function webhookRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const handle = (kind: 'production' | 'test') => async (c: Context<AppEnv>) => {
    const { db, engine, keyring, config, limits } = c.get('services');
    const path = c.req.param('path') ?? '';
    if (!PATH.test(path)) throw new NotFound('webhook');
    // Shared by every server process in queue mode (Redis).
    const wait = await limits.attempt([{ kind: 'window', name: 'webhook', key: `${kind}:${path}`, windowMs: 60_000, max: config.webhookRatePerMinute, batch: true }]);
    if (wait > 0) throw new TooManyRequests('this webhook is receiving too many requests', wait);
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > config.bodyLimitBytes) throw new PayloadTooLarge(config.bodyLimitBytes);
    // A service's probe (Trello's HEAD) comes right after activation, maybe to another process: read it fresh.
    const hook = c.req.method === 'HEAD' ? await webhooks.resolveByPath(db, path, kind) : await resolveHook(db, path, kind);
    if (!hook || hook.version === null || (kind === 'production' && !hook.active)) throw new NotFound('webhook');
    const version = hook.version;
    const node = await hookNode(db, hook.ownerId, hook.workflowId, version, hook.nodeId);
    if (!node) throw new NotFound('webhook');
    // Hosted triggers: Keyflow serves the form or chat page at the URL and takes its submissions.
    const hosted = { kind, hook, version, node, respond };
    if (node.type === 'core.form') return handleForm(c, hosted, config.webhookUrl ?? config.publicUrl, engine, config.bodyLimitBytes);
    if (node.type === 'core.chat') return handleChat(c, hosted, config.webhookUrl ?? config.publicUrl, engine, config.bodyLimitBytes);
    const cfg = (node.config ?? {}) as HookNodeConfig;
    // An integration trigger (slack.event…): its service's signature scheme is required, and the
    // integration decides what a verified delivery means (answer, ignore, or a run).
    const inbound = node.type === 'core.webhook' ? undefined : findInbound(node.type);
    if (node.type !== 'core.webhook' && !inbound) throw new NotFound('webhook');
    if (inbound?.probe && c.req.method === inbound.probe.method) return c.body(null, inbound.probe.status as 200);
    if (inbound) return handleInbound(c, { kind, hook, version, node, inbound, publicUrl: `${config.webhookUrl ?? config.publicUrl}/hooks/${kind === 'test' ? 'test/' : ''}${path}` });
    if (c.req.method !== (cfg.method ?? 'POST')) return c.json(errorBody('method_not_allowed', `this webhook takes ${cfg.method ?? 'POST'}`), 405);

    // Verify over the raw bytes, before anything parses them.
    const raw = await readRawBody(c, config.bodyLimitBytes);
    const headers = requestHeaders(c);
    let delivery: { deliveryId: string; ttlSeconds: number } | undefined;
    let signatureHeader: string[] = [];
    if (hook.signature && hook.signingCiphertext) {
      const parsed = signatureConfigSchema.safeParse(hook.signature);
      const secret = keyring.decrypt(hook.ownerId, hook.signingCiphertext);
      const verdict: VerifyResult = parsed.success ? verifySignature(parsed.data, secret, headers, raw, new Date()) : { ok: false, reason: 'bad_signature' };
      if (!verdict.ok) return c.json(errorBody('invalid_signature', `signature check failed: ${verdict.reason} (${REASONS[verdict.reason]})`), 401);
      // The key is what the signature covers; no unsigned header can stand in for it.
      delivery = { deliveryId: verdict.replay.key, ttlSeconds: replayTtlSeconds(verdict.replay.bound, parsed.data!.toleranceSeconds, config.webhookReplayWindowSeconds) };
      signatureHeader = [parsed.data!.header];
    } else {
      delivery = unsignedDelivery(headers, config);
    }

    // Everything that can refuse the request comes before the delivery key is taken (with the
    // run, in one transaction): a refused attempt leaves nothing, so the sender's retry runs.
    const body = parseBody(c, raw, headers['content-type'] ?? '');
    const payload = { method: c.req.method, headers: redactHeaders(headers, signatureHeader), query: c.req.query(), body };
    // A JSON body was checked as it was parsed (parseJsonBody), and header values cannot hold
    // NUL or anything above U+00FF (the HTTP parser and fetch Headers both refuse them).
    const jsonChecked = raw.length > 0 && JSON_TYPE.test(headers['content-type'] ?? '');
    const unstorable = findUnstorableText(jsonChecked ? { query: payload.query } : { query: payload.query, body });
    if (unstorable) throw new Invalid(`the request cannot be stored: ${unstorable.path.join('.')} ${unstorable.message}`, [unstorable]);
    const start = {
      ownerId: hook.ownerId, workflowId: hook.workflowId, version, trigger: kind === 'production' ? ('webhook' as const) : ('test' as const), payload,
      ...(delivery ? { delivery: { webhookId: hook.id, ...delivery } } : {}),
    };
    pruneNow(c, db);
    try {
      if ((cfg.responseMode ?? 'accepted') === 'wait') return respond(c, await engine.startAndWait(start, cfg.timeoutMs ?? DEFAULT_WAIT_MS));
      const runId = await engine.startRun(start);
      return jsonAnswer(c, { runId, status: 'accepted' }, 202);
    } catch (err) {
      if (err instanceof DuplicateDelivery) return c.json({ status: 'duplicate', deliveryId: err.deliveryId }, 200);
      throw err;
    }
  };

  // The hosted chat page's script: the same static bytes for every chat, no tenant content.
  app.get(CHAT_SCRIPT_PATH, (c) => c.body(CHAT_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' }));
  // OPTIONS: the CORS preflight of a chat page's POST (core.chat); other webhooks answer 405.
  for (const method of ['POST', 'GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    app.on(method, '/hooks/test/:path', handle('test'));
    app.on(method, '/hooks/:path', handle('production'));
  }
  return app;
}
