// Issue 7, item 5: while the database is unreachable, API routes and webhooks answer 503 with
// Retry-After (never 500), and once it is back the same requests work again; a webhook
// delivery refused during the outage is not burnt: the sender's retry starts its run once.
// The app reaches Postgres through a loopback relay that the test cuts: live connections are
// reset and new ones refused, as when Postgres goes away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Outage } from './tcp-outage.ts';
import { createTestApp, sampleGraph, type TestApp } from './support.ts';

let relay: Outage;
let t: TestApp;
let token: string;
let workflowId: string;
let hookPath: string;

beforeAll(async () => {
  relay = await startRelay('127.0.0.1', 5432);
  t = await createTestApp('postgres', {}, {
    connectVia: (url) => {
      const u = new URL(url);
      u.port = String(relay.port);
      return u.toString();
    },
  });
  token = (await t.signup()).token;
  workflowId = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'outage', graph: sampleGraph() } })).json()) as { id: string }).id;
  const hookGraph = {
    nodes: [
      { id: 'hook', type: 'core.webhook', version: 1, config: { responseMode: 'accepted' }, position: { x: 0, y: 0 } },
      { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'n', value: '{{ $trigger.body.n }}' }] }, position: { x: 1, y: 0 } },
    ],
    edges: [{ id: 'e', source: 'hook', target: 'shape' }],
  };
  const hook = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'hook', graph: hookGraph } })).json()) as { id: string }).id;
  expect((await t.request('POST', `/api/workflows/${hook}/activate`, { token })).status).toBe(200);
  const [h] = (await (await t.request('GET', `/api/workflows/${hook}/webhooks`, { token })).json()) as { url: string }[];
  hookPath = new URL(h!.url).pathname;
});
afterAll(async () => {
  await relay?.restore().catch(() => undefined);
  await t?.close();
  await relay?.close();
});

type ErrorBody = { error: { code: string; message: string } };
const hook = (body: string, headers: Record<string, string> = {}) => t.app.request(hookPath, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

async function expectUnavailable(res: Response, what: string) {
  const text = await res.text();
  expect(res.status, `${what}: ${text}`).toBe(503);
  expect(res.headers.get('retry-after'), what).toMatch(/^\d+$/);
  const body = JSON.parse(text) as ErrorBody;
  expect(body.error.code).toBe('unavailable');
  expect(text).not.toMatch(/ECONNREFUSED|5432|at .*\.ts:\d+|postgres:\/\//);
}

async function runsOfHook(): Promise<number> {
  // The test's own connection goes straight to Postgres, not through the relay.
  return (await t.db.db.selectFrom('runs').select('id').where('trigger', '=', 'webhook').execute()).length;
}

describe('database outage', () => {
  it('works through the relay before the outage', async () => {
    expect((await t.request('GET', '/api/workflows', { token })).status).toBe(200);
    expect((await hook('{"n":0}')).status).toBe(202);
  });

  it('answers 503 with Retry-After on API reads and writes, webhooks and /readyz while the database is gone', async () => {
    await relay.cut();
    const before = await runsOfHook();
    await expectUnavailable(await t.request('GET', '/api/workflows', { token }), 'GET /api/workflows');
    await expectUnavailable(await t.request('GET', `/api/workflows/${workflowId}`, { token }), 'GET /api/workflows/:id');
    await expectUnavailable(await t.request('POST', '/api/workflows', { token, body: { name: 'during', graph: sampleGraph() } }), 'POST /api/workflows');
    await expectUnavailable(await t.request('POST', `/api/workflows/${workflowId}/run`, { token, body: { payload: { name: 'x' } } }), 'POST /api/workflows/:id/run');
    await expectUnavailable(await hook('{"n":1}', { 'x-keyflow-delivery': 'during-outage' }), 'POST /hooks/:path');
    const ready = await t.request('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect((await t.request('GET', '/healthz')).status).toBe(200);
    expect(await runsOfHook()).toBe(before);
  });

  it('recovers once the database is back, and the refused delivery’s retry runs once', async () => {
    await relay.restore();
    const before = await runsOfHook();
    // The pool may still hold a client reset by the cut: that request is a 503 too, never a 500.
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      const res = await t.request('GET', '/api/workflows', { token });
      status = res.status;
      expect([200, 503]).toContain(status);
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    const retry = await hook('{"n":1}', { 'x-keyflow-delivery': 'during-outage' });
    expect(retry.status).toBe(202);
    const dup = await hook('{"n":1}', { 'x-keyflow-delivery': 'during-outage' });
    expect(dup.status).toBe(200);
    expect(await runsOfHook()).toBe(before + 1);
  });
});
