// SECURITY.md "The browser" and "Abuse and limits" (CORS) over every class of response, from a
// real `keyflow start` process on a real socket with the built editor: API answers (200, 401,
// 404, 422, a preflight), editor pages and assets, the service worker and manifest, a webhook's
// answer (a tenant's HTML) and an unknown hook, /metrics (with and without its token), health.
// Every one: `nosniff`, a CSP that keeps framing out (`frame-ancestors 'none'` for the app, the
// sandbox for webhooks), `X-Frame-Options: DENY`, no stack trace, and no CORS grant to a foreign
// origin (no reflected Origin, no `*`, no credentials). Downloads are attachments.
// Seen failing (every test) when the securityHeaders middleware was removed from server/src/app.ts,
// and when a reflecting `cors({ origin: (o) => o, credentials: true })` was added after it.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessGroup } from '@keyflow/engine/testing';
import { ensureEditorBuilt } from '../../scripts/build-editor.mjs';

const procs = new ProcessGroup();
const EVIL = 'https://evil.example';
const METRICS_TOKEN = `metrics-${randomUUID()}`;
let base = '';
let dataDir = '';
let token = '';
let cookie = '';
let csrf = '';
let hookPath = '';
let workflowId = '';
let asset = '';

beforeAll(async () => {
  ensureEditorBuilt(() => undefined);
  asset = readdirSync(join(process.cwd(), 'editor', 'dist', 'assets')).find((f) => f.endsWith('.js'))!;
  dataDir = mkdtempSync(join(tmpdir(), 'kf-headers-'));
  const p = procs.spawnNode('server', ['server/src/cli.ts', 'start'], { KEYFLOW_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', KEYFLOW_METRICS_TOKEN: METRICS_TOKEN, DATABASE_URL: '', REDIS_URL: '', KEYFLOW_WEBHOOK_URL: '' });
  await p.waitForOutput(/Keyflow is running at http:\/\/[^:]+:\d+/, 60_000);
  base = `http://127.0.0.1:${/running at http:\/\/[^:]+:(\d+)/.exec(p.output())![1]}`;
  const signup = await fetch(`${base}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `headers-${randomUUID()}@example.test`, password: 'correct horse battery' }) });
  expect(signup.status).toBe(201);
  cookie = signup.headers.get('set-cookie')!.split(';')[0]!;
  csrf = ((await signup.json()) as { csrfToken: string }).csrfToken;
  const tok = await fetch(`${base}/api/tokens`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'headers' }) });
  token = ((await tok.json()) as { token: string }).token;
  const pos = { x: 0, y: 0 };
  const graph = {
    nodes: [
      { id: 'hook', type: 'core.webhook', version: 1, config: { responseMode: 'wait' }, position: pos },
      { id: 'page', type: 'core.respond', version: 1, config: { status: 200, headers: { 'content-type': 'text/html', 'access-control-allow-origin': '*', 'content-security-policy': "default-src *" }, body: '<script>document.title = "tenant"</script>' }, position: pos },
    ],
    edges: [{ id: 'e1', source: 'hook', target: 'page' }],
  };
  const created = await api('POST', '/api/workflows', { name: 'headers', graph });
  expect(created.status, await created.clone().text()).toBe(201);
  workflowId = ((await created.json()) as { id: string }).id;
  expect((await api('POST', `/api/workflows/${workflowId}/activate`)).status).toBeLessThan(300);
  const hooks = (await (await api('GET', `/api/workflows/${workflowId}/webhooks`)).json()) as { url: string }[];
  hookPath = new URL(hooks[0]!.url).pathname.replace(/^\/hooks\//, '');
}, 240_000);

afterAll(async () => {
  await procs.killAll();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
}

/** What every response must carry, whatever its class. */
async function expectHardened(res: Response, label: string, kind: 'app' | 'webhook'): Promise<void> {
  const h = res.headers;
  expect(h.get('x-content-type-options'), label).toBe('nosniff');
  const csp = h.get('content-security-policy') ?? '';
  if (kind === 'app') {
    expect(csp, label).toContain("frame-ancestors 'none'");
    expect(csp, label).not.toMatch(/script-src[^;]*('unsafe-inline'|'unsafe-eval'|\*)/);
    expect(h.get('x-frame-options'), label).toBe('DENY');
  } else {
    expect(csp, label).toBe("sandbox; default-src 'none'");
  }
  // No grant to a foreign origin, and never one with credentials.
  const allowOrigin = h.get('access-control-allow-origin');
  expect(allowOrigin === EVIL || (allowOrigin === '*' && kind === 'app'), `${label}: Access-Control-Allow-Origin ${allowOrigin}`).toBe(false);
  if (allowOrigin !== null) expect(h.get('access-control-allow-credentials'), label).not.toBe('true');
  const text = await res.clone().text();
  expect(text, label).not.toMatch(/\n\s+at .+:\d+:\d+|node_modules\//);
}

const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string) => fetch(`${base}${path}`, { method, headers: { origin: EVIL, ...headers }, ...(body !== undefined ? { body } : {}), redirect: 'manual' });

describe('headers and CORS on every class of response (real server process)', () => {
  it('API answers: 200, 401, 404, 422, 413, and a preflight from a foreign origin', async () => {
    const bearer = { authorization: `Bearer ${token}` };
    const cases: [string, Promise<Response>, number][] = [
      ['GET /api/workflows', send('GET', '/api/workflows', bearer), 200],
      ['GET /api/auth/me with the session cookie', send('GET', '/api/auth/me', { cookie }), 200],
      ['GET /api/workflows without auth', send('GET', '/api/workflows'), 401],
      ['GET /api/workflows/<unknown id>', send('GET', `/api/workflows/${randomUUID()}`, bearer), 404],
      ['GET /api/no-such-route', send('GET', '/api/no-such-route', bearer), 404],
      ['POST /api/workflows with a bad body', send('POST', '/api/workflows', { ...bearer, 'content-type': 'application/json' }, '{"name": 5}'), 422],
      ['POST /api/workflows with malformed JSON', send('POST', '/api/workflows', { ...bearer, 'content-type': 'application/json' }, '{"name":'), 400],
      ['POST /api/workflows too large', send('POST', '/api/workflows', { ...bearer, 'content-type': 'application/json' }, JSON.stringify({ name: 'x'.repeat(12 * 1024 * 1024) })), 413],
    ];
    for (const [label, pending, status] of cases) {
      const res = await pending;
      expect(res.status, label).toBe(status);
      await expectHardened(res, label, 'app');
      expect(res.headers.get('cache-control'), label).toContain('no-store');
    }
    const preflight = await send('OPTIONS', '/api/workflows', { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-csrf-token' });
    await expectHardened(preflight, 'preflight', 'app');
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('a cookie-authenticated write from a foreign origin is refused (the CSRF check, not CORS, is the guard)', async () => {
    const res = await send('POST', '/api/workflows', { cookie, 'content-type': 'application/json' }, JSON.stringify({ name: 'csrf', graph: { nodes: [], edges: [] } }));
    expect(res.status).toBe(403);
    await expectHardened(res, 'cross-site write', 'app');
  });

  it('editor pages, assets, the service worker and the manifest', async () => {
    for (const path of ['/', '/workflows', `/workflows/${workflowId}`, `/assets/${asset}`, '/assets/missing-000.js', '/sw.js', '/manifest.webmanifest', '/favicon.svg']) {
      const res = await send('GET', path);
      expect(res.status, path).toBe(path.includes('missing') ? 404 : 200);
      await expectHardened(res, path, 'app');
    }
  });

  it("a webhook's answer is sandboxed whatever the respond node set, and an unknown hook is a bare 404", async () => {
    const res = await send('POST', `/hooks/${hookPath}`, { 'content-type': 'application/json' }, '{}');
    expect(res.status).toBe(200);
    expect(await res.clone().text()).toContain('<script>');
    await expectHardened(res, 'webhook answer', 'webhook');
    // The tenant's own `Access-Control-Allow-Origin: *` may stay (its content, sandboxed), but
    // never the caller's origin with credentials.
    expect(res.headers.get('access-control-allow-credentials')).not.toBe('true');
    const unknown = await send('POST', `/hooks/${randomUUID()}`, { 'content-type': 'application/json' }, '{}');
    expect(unknown.status).toBe(404);
    await expectHardened(unknown, 'unknown hook', 'webhook');
  });

  it('/metrics (401 without its token, 200 with it) and the health endpoints', async () => {
    const denied = await send('GET', '/metrics');
    expect(denied.status).toBe(401);
    await expectHardened(denied, '/metrics without token', 'app');
    const wrong = await send('GET', '/metrics', { authorization: 'Bearer wrong' });
    expect(wrong.status).toBe(401);
    const ok = await send('GET', '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(ok.status).toBe(200);
    await expectHardened(ok, '/metrics', 'app');
    for (const path of ['/healthz', '/readyz']) {
      const res = await send('GET', path);
      expect(res.status, path).toBe(200);
      await expectHardened(res, path, 'app');
    }
  });

  it('downloads (a workflow export, the account export) are attachments', async () => {
    const exported = await send('GET', `/api/workflows/${workflowId}/export`, { authorization: `Bearer ${token}` });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"]+\.keyflow\.json"$/);
    await expectHardened(exported, 'workflow export', 'app');
    const account = await send('GET', '/api/account/export', { authorization: `Bearer ${token}` });
    expect(account.status).toBe(200);
    expect(account.headers.get('content-disposition')).toMatch(/^attachment; /);
    await expectHardened(account, 'account export', 'app');
  });
});
