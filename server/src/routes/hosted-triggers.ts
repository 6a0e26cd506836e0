// Hosted triggers: a form (core.form) and a chat (core.chat) that Keyflow serves itself at the
// trigger's webhook URL. The pages are Keyflow's markup around the tenant's escaped text, under a
// sandbox CSP of their own (opaque origin: no Keyflow cookies, no API access); the form takes
// no script at all, the chat only Keyflow's static script, and it may talk to its own URL only.
import type { Context } from 'hono';
import { Invalid, type Engine, type Outcome, type webhooks } from '@keyflow/engine';
import { CHAT_MESSAGE_MAX, CHAT_SESSION_ID, chatNode, checkFormSubmission, formNode } from '@keyflow/nodes';
import { errorBody } from '../http/error-handler.ts';
import { CHAT_SCRIPT_PATH } from '../http/chat-script.ts';
import { renderChatPage, renderFormPage, renderMessagePage, STYLE_SOURCE } from '../http/hosted-pages.ts';
import { readRawBody, parseJsonBody } from '../http/read-body.ts';
import { ownSources } from '../http/security-headers.ts';
import { findUnstorableText } from '../http/storable-text.ts';
import type { AppEnv } from '../http/types.ts';

const DEFAULT_WAIT_MS = 30_000;

export interface HostedArgs {
  kind: 'production' | 'test';
  hook: webhooks.ResolvedHook;
  version: number;
  node: { id: string; type: string; config: unknown };
  /** The webhook answer for a Respond node's output (shared with core.webhook's "wait" mode). */
  respond: (c: Context<AppEnv>, outcome: Outcome) => Response;
}

/** No script; inline style by hash only; the form may post to its own URL and nowhere else. */
export function formCsp(c: Context<AppEnv>, origin: string): string {
  return `sandbox allow-forms; default-src 'none'; style-src ${STYLE_SOURCE}; form-action ${ownSources(c, origin, c.req.path)}; base-uri 'none'; frame-ancestors 'none'`;
}

/** Scripts: Keyflow's chat script alone; network: this chat's own URL alone. No forms, no frames. */
export function chatCsp(c: Context<AppEnv>, origin: string): string {
  return `sandbox allow-scripts; default-src 'none'; script-src ${ownSources(c, origin, CHAT_SCRIPT_PATH)}; connect-src ${ownSources(c, origin, c.req.path)}; style-src ${STYLE_SOURCE}; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`;
}

function html(c: Context<AppEnv>, body: string, status: number, csp: string, runId?: string): Response {
  c.set('hostedCsp', csp);
  const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  if (runId) headers['x-keyflow-run-id'] = runId;
  return new Response(body, { status, headers });
}

function startOf(args: HostedArgs, payload: Record<string, unknown>) {
  const { hook, version, kind } = args;
  return { ownerId: hook.ownerId, workflowId: hook.workflowId, version, trigger: kind === 'production' ? ('webhook' as const) : ('test' as const), payload };
}

/** The submission's text fields, name → values (urlencoded or multipart; files are not fields). */
async function formEntries(c: Context<AppEnv>, limit: number): Promise<Map<string, string[]>> {
  const type = c.req.header('content-type') ?? '';
  const raw = await readRawBody(c, limit);
  const out = new Map<string, string[]>();
  const add = (k: string, v: string) => out.set(k, [...(out.get(k) ?? []), v]);
  if (/^application\/x-www-form-urlencoded/i.test(type)) {
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) add(k, v);
  } else if (/^multipart\/form-data/i.test(type)) {
    let data: FormData;
    try {
      data = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
    } catch {
      throw new Invalid('the form data could not be read', [{ path: ['body'], message: 'is not valid multipart/form-data' }]);
    }
    for (const [k, v] of data) if (typeof v === 'string') add(k, v);
  } else {
    throw new Invalid('a form is submitted as application/x-www-form-urlencoded or multipart/form-data', [{ path: ['headers', 'content-type'], message: 'must be a form encoding' }]);
  }
  return out;
}

/** GET shows the form; POST checks the submission (422 redisplays it naming the fields) and starts a run. */
export async function handleForm(c: Context<AppEnv>, args: HostedArgs, origin: string, engine: Engine, bodyLimit: number): Promise<Response> {
  const parsed = formNode.config.safeParse(args.node.config ?? {});
  if (!parsed.success) return c.json(errorBody('form_misconfigured', "this form's configuration is not valid; its owner must fix it"), 500);
  const form = parsed.data;
  const csp = formCsp(c, origin);
  const action = c.req.path;
  if (c.req.method === 'GET') return html(c, renderFormPage(form, action), 200, csp);
  if (c.req.method !== 'POST') return c.json(errorBody('method_not_allowed', 'this form takes GET and POST'), 405);
  const values = await formEntries(c, bodyLimit);
  const check = checkFormSubmission(form.fields, values);
  if (!check.ok) return html(c, renderFormPage(form, action, { values, errors: check.errors }), 422, csp);
  const payload = { fields: check.fields, submittedAt: new Date().toISOString() };
  const unstorable = findUnstorableText(payload);
  if (unstorable) return html(c, renderFormPage(form, action, { values, errors: [{ field: String(unstorable.path[1]), message: `${String(unstorable.path[1])} ${unstorable.message}` }] }), 422, csp);
  if (form.respondWith === 'message') {
    const runId = await engine.startRun(startOf(args, payload));
    return html(c, renderMessagePage(form.title, form.message), 200, csp, runId);
  }
  const outcome = await engine.startAndWait(startOf(args, payload), form.timeoutMs ?? DEFAULT_WAIT_MS);
  // The Respond node's answer is the tenant's content: it gets the plain webhook sandbox.
  if (outcome.kind === 'response') return args.respond(c, outcome);
  if (outcome.kind === 'timeout') return html(c, renderMessagePage(form.title, 'Your answer was received; it is still being processed.'), 202, csp, outcome.runId);
  if (outcome.status === 'succeeded') return html(c, renderMessagePage(form.title, form.message), 200, csp, outcome.runId);
  return html(c, renderMessagePage(form.title, 'Your answer was received, but processing it failed.'), 500, csp, outcome.runId);
}

/** What a reply value says as text: a string as is, a `reply`/`text`/`message`/`output` string field, or JSON. */
export function replyText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of ['reply', 'text', 'message', 'output', 'answer']) {
      const v = (value as Record<string, unknown>)[key];
      if (typeof v === 'string') return v;
    }
  }
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

function chatBody(value: unknown): { sessionId: string; message: string } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Invalid('expected a JSON object { sessionId, message }', [{ path: ['body'], message: 'must be a JSON object' }]);
  const { sessionId, message, ...rest } = value as Record<string, unknown>;
  const issues: { path: string[]; message: string }[] = [];
  if (typeof sessionId !== 'string' || !CHAT_SESSION_ID.test(sessionId)) issues.push({ path: ['body', 'sessionId'], message: 'must be 8 to 64 letters, digits, _ or -' });
  if (typeof message !== 'string' || message.trim() === '') issues.push({ path: ['body', 'message'], message: 'must be a non-empty string' });
  else if (message.length > CHAT_MESSAGE_MAX) issues.push({ path: ['body', 'message'], message: `must be at most ${CHAT_MESSAGE_MAX} characters` });
  for (const key of Object.keys(rest)) issues.push({ path: ['body', key], message: 'is not a field of a chat message' });
  if (issues.length > 0) throw new Invalid(`invalid chat message: ${issues.map((i) => i.path.join('.')).join(', ')}`, issues);
  return { sessionId: sessionId as string, message: message as string };
}

/**
 * GET: the hosted chat page. POST { sessionId, message } → { reply, runId }. Cross-origin reads
 * are allowed (the page itself runs in an opaque origin, so its requests say `Origin: null`) but
 * never with credentials: `*` is the only value, and a credentialed request is refused by browsers.
 */
export async function handleChat(c: Context<AppEnv>, args: HostedArgs, origin: string, engine: Engine, bodyLimit: number): Promise<Response> {
  const parsed = chatNode.config.safeParse(args.node.config ?? {});
  if (!parsed.success) return c.json(errorBody('chat_misconfigured', "this chat's configuration is not valid; its owner must fix it"), 500);
  const chat = parsed.data;
  if (c.req.method === 'GET') return html(c, renderChatPage(chat, CHAT_SCRIPT_PATH), 200, chatCsp(c, origin));
  c.header('Access-Control-Allow-Origin', '*');
  if (c.req.method === 'OPTIONS') {
    return c.body(null, 204, { 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'content-type', 'Access-Control-Max-Age': '600' });
  }
  if (c.req.method !== 'POST') return c.json(errorBody('method_not_allowed', 'this chat takes GET and POST'), 405);
  const { sessionId, message } = chatBody(parseJsonBody(c, await readRawBody(c, bodyLimit)));
  const outcome = await engine.startAndWait(startOf(args, { sessionId, message, receivedAt: new Date().toISOString() }), chat.timeoutMs ?? DEFAULT_WAIT_MS);
  if (outcome.kind === 'timeout') return c.json({ runId: outcome.runId, ...errorBody('timeout', 'the workflow did not reply in time') }, 504);
  if (outcome.kind === 'response') return c.json({ reply: replyText(outcome.response.body), runId: outcome.runId });
  // A failure's details are the owner's to read in the run, not the public's.
  if (outcome.status !== 'succeeded') return c.json({ runId: outcome.runId, ...errorBody('run_failed', 'the workflow failed to answer') }, 502);
  return c.json({ reply: replyText(outcome.output), runId: outcome.runId });
}
