// The webhook path on a real Node socket (@hono/node-server), where it reads the body from the
// IncomingMessage, the headers from rawHeaders, and answers with every header in one record
// (server/src/http/read-body.ts, request-headers.ts, security-headers.ts sealedWebhookResponse):
// the same answer, headers and limits as through the fetch Request path that app.request takes.
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let token: string;
let port = 0;
let server: ReturnType<typeof serve>;
beforeAll(async () => {
  t = await createTestApp('postgres', { KEYFLOW_BODY_LIMIT_BYTES: '65536', KEYFLOW_WEBHOOK_RATE_PER_MINUTE: '600' });
  token = (await t.signup()).token;
  server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

const pos = { x: 0, y: 0 };
function echoGraph(mode: 'wait' | 'accepted' = 'wait') {
  return {
    nodes: [
      { id: 'hook', type: 'core.webhook', version: 1, config: { responseMode: mode, timeoutMs: 5000 }, position: pos },
      {
        id: 'reply', type: 'core.respond', version: 1,
        config: {
          status: 201,
          headers: { 'x-dup': '{{ $trigger.headers["x-dup"] }}', 'X-Powered-By': 'tenant', 'content-security-policy': 'default-src *', 'x-frame-options': 'ALLOWALL' },
          body: { name: '{{ $trigger.body.name }}' },
        },
        position: pos,
      },
    ],
    edges: [{ id: 'e1', source: 'hook', target: 'reply' }],
  };
}

async function createHook(graph: unknown): Promise<{ id: string; path: string }> {
  const wf = (await (await t.request('POST', '/api/workflows', { token, body: { name: 'socket', graph } })).json()) as { id: string };
  expect((await t.request('POST', `/api/workflows/${wf.id}/activate`, { token })).status).toBe(200);
  const [hook] = (await (await t.request('GET', `/api/workflows/${wf.id}/webhooks`, { token })).json()) as { url: string }[];
  return { id: wf.id, path: new URL(hook!.url).pathname };
}

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; text: string }

/** One request on its own connection; `headers` as raw lines (repeats allowed), `chunks` written one by one. */
function call(path: string, opts: { headers?: [string, string][]; chunks?: (string | Buffer)[]; method?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const given = opts.headers ?? [];
    const flat = [['host', `127.0.0.1:${port}`], ...given, ...(given.some(([k]) => k.toLowerCase() === 'x-dup') ? [] : [['x-dup', 'one']])].flat();
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'POST', path, agent: false, headers: flat }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const c of opts.chunks ?? []) req.write(c);
    req.end();
  });
}

const SECURITY = ['content-security-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster', 'referrer-policy', 'strict-transport-security', 'x-content-type-options', 'x-dns-prefetch-control', 'x-download-options', 'x-frame-options', 'x-permitted-cross-domain-policies', 'x-xss-protection'];

describe('webhooks on a real socket', () => {
  it("answers with the respond node's headers and exactly the security headers the middleware gives any webhook answer", async () => {
    const hook = await createHook(echoGraph());
    const res = await call(hook.path, { headers: [['content-type', 'application/json'], ['x-dup', 'a'], ['X-Dup', 'b'], ['cookie', 'k=1'], ['cookie', 'j=2'], ['authorization', 'Bearer secret-1'], ['x-my-token', 'secret-2'], ['idempotency-key', 'keep-me']], chunks: ['{"name":', '"Ada"}'] });
    expect(res.status, res.text).toBe(201);
    expect(JSON.parse(res.text)).toMatchObject({ name: 'Ada' });
    // Repeated request headers as fetch Headers joins them, names lower-cased.
    expect(res.headers['x-dup']).toBe('a, b');
    const run = await t.db.db.selectFrom('runs').select('trigger_payload').where('id', '=', String(res.headers['x-keyflow-run-id'])).executeTakeFirstOrThrow();
    const stored = (run.trigger_payload as { headers: Record<string, string> }).headers;
    expect(stored).toMatchObject({ 'x-dup': 'a, b', cookie: '[redacted]', authorization: '[redacted]', 'x-my-token': '[redacted]', 'idempotency-key': 'keep-me', 'content-type': 'application/json' });
    expect(JSON.stringify(run.trigger_payload)).not.toMatch(/secret-[12]/);
    // The tenant's CSP and framing headers are replaced, X-Powered-By removed, the run id and request id set.
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-keyflow-run-id']).toMatch(/^[0-9a-f-]{36}$/);
    // An unknown hook's 404 goes through the middleware (no sealed answer): the same security headers.
    const unknown = await call('/hooks/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { headers: [['content-type', 'application/json']], chunks: ['{}'] });
    expect(unknown.status).toBe(404);
    for (const h of SECURITY) expect(res.headers[h], h).toBe(unknown.headers[h]);
    expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('the 202 of an accepted-mode hook carries the same headers', async () => {
    const hook = await createHook(echoGraph('accepted'));
    const res = await call(hook.path, { headers: [['content-type', 'application/json']], chunks: ['{}'] });
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toBe('application/json');
    const unknown = await call('/hooks/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { headers: [['content-type', 'application/json']], chunks: ['{}'] });
    for (const h of SECURITY) expect(res.headers[h], h).toBe(unknown.headers[h]);
  });

  it('caps a chunked body without a declared length, and starts nothing', async () => {
    const hook = await createHook(echoGraph());
    const before = await t.db.db.selectFrom('runs').select((eb) => eb.fn.countAll<string>().as('n')).where('workflow_id', '=', hook.id).executeTakeFirstOrThrow();
    const big = Buffer.alloc(20_000, 'x');
    const res = await call(hook.path, { headers: [['content-type', 'text/plain']], chunks: [big, big, big, big] });
    expect(res.status).toBe(413);
    const declared = await call(hook.path, { headers: [['content-type', 'text/plain'], ['content-length', '70000']], chunks: [Buffer.alloc(70_000, 'y')] });
    expect(declared.status).toBe(413);
    const after = await t.db.db.selectFrom('runs').select((eb) => eb.fn.countAll<string>().as('n')).where('workflow_id', '=', hook.id).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    // A body just under the cap, in many chunks, arrives whole.
    const ok = await call(hook.path, { headers: [['content-type', 'application/json']], chunks: ['{"name":"', 'z'.repeat(30_000), '"}'] });
    expect(ok.status, ok.text).toBe(201);
    expect((JSON.parse(ok.text) as { name: string }).name).toHaveLength(30_000);
  });

  it('verifies a signature over the bytes as sent, and refuses NUL escapes in JSON', async () => {
    const hook = await createHook(echoGraph());
    expect((await t.request('PUT', `/api/workflows/${hook.id}/webhooks/hook/signature`, { token, body: { preset: 'slack', secret: 'signing-secret-123' } })).status).toBe(200);
    const body = '{"name":"signed"}';
    const now = Math.floor(Date.now() / 1000);
    const sig = `v0=${createHmac('sha256', 'signing-secret-123').update(`v0:${now}:${body}`).digest('hex')}`;
    const signed = (b: string, s = sig) => call(hook.path, { headers: [['content-type', 'application/json'], ['x-slack-request-timestamp', String(now)], ['x-slack-signature', s]], chunks: [b.slice(0, 5), b.slice(5)] });
    expect((await signed(body)).status).toBe(201);
    expect((await signed('{"name":"other"}')).status).toBe(401);
    const nul = '{"name":"a\\u0000b"}';
    const nulSig = `v0=${createHmac('sha256', 'signing-secret-123').update(`v0:${now}:${nul}`).digest('hex')}`;
    const refused = await signed(nul, nulSig);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('name');
  });
});
