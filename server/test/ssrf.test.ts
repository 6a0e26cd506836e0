// SECURITY.md "Outbound HTTP (SSRF)" through the running app: workflows saved and run over the
// API whose HTTP node aims at the host itself under every spelling, through a redirect from an
// allowed server, and through other schemes. Real packets go to loopback only: the "internal"
// service listens on 127.0.0.1 (not allowed), the tenant's allowed server on 127.0.0.2
// (KEYFLOW_HTTP_ALLOW=127.0.0.2). The internal service must see no request at all. Private
// ranges other than loopback are tested at the classifier (engine/src/net/ip-policy.test.ts).
// Seen failing when the 127.0.0.0/8 rule was removed from engine/src/net/ip-policy.ts: the runs
// to 127.0.0.1 and its spellings succeeded, directly and through the redirect.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let token: string;
let internal: Server;
let allowed: Server;
let internalHits = 0;
let internalPort = 0;
let allowedPort = 0;
const pos = { x: 0, y: 0 };

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  internal = createServer((_req, res) => {
    internalHits++;
    res.end('internal secret');
  });
  internalPort = await listen(internal, '127.0.0.1');
  allowed = createServer((req, res) => {
    const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to');
    if (to) {
      res.writeHead(302, { location: to });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
  });
  allowedPort = await listen(allowed, '127.0.0.2');
  t = await createTestApp('postgres', { KEYFLOW_HTTP_ALLOW: '127.0.0.2' });
  token = (await t.signup()).token;
});
afterAll(async () => {
  await t?.close();
  for (const s of [internal, allowed]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

type Step = { nodeId: string; status: string; output: unknown; error: { message?: string; details?: unknown } | null };
type Run = { status: string; steps: Step[] };

/** Runs start → HTTP GET `url`; the URL is written into the node, or with `fromPayload` comes from `{{ $trigger.url }}`. */
async function fetchVia(url: string, fromPayload = false): Promise<{ run: Run; step: Step }> {
  const graph = {
    nodes: [
      { id: 'start', type: 'core.manual', version: 1, config: {}, position: pos },
      { id: 'call', type: 'core.http', version: 1, config: { method: 'GET', url: fromPayload ? '{{ $trigger.url }}' : url, timeoutMs: 5_000 }, position: pos },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'call' }],
  };
  const created = await t.request('POST', '/api/workflows', { token, body: { name: `ssrf ${randomUUID().slice(0, 8)}`, graph } });
  expect(created.status, await created.clone().text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const started = await t.request('POST', `/api/workflows/${id}/run`, { token, body: { payload: { url } } });
  expect(started.status).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  for (let i = 0; i < 800; i++) {
    const run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as Run;
    if (['succeeded', 'failed', 'cancelled'].includes(run.status)) {
      const steps = run.steps.filter((s) => s.nodeId === 'call');
      return { run, step: steps.at(-1)! };
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the run of ${url} did not finish`);
}

describe('SSRF through the HTTP node, over the API', () => {
  it('reaches the allowed test server (so a refusal below is the policy, not the set-up)', async () => {
    const { run, step } = await fetchVia(`http://127.0.0.2:${allowedPort}/`);
    expect(run.status).toBe('succeeded');
    expect(JSON.stringify(step.output)).toContain('"ok":true');
  });

  const spellings = () => [
    `http://127.0.0.1:${internalPort}/`,
    `http://127.1:${internalPort}/`,
    `http://2130706433:${internalPort}/`,
    `http://0x7f000001:${internalPort}/`,
    `http://0177.0.0.1:${internalPort}/`,
    `http://[::ffff:127.0.0.1]:${internalPort}/`,
    `http://[::ffff:7f00:1]:${internalPort}/`,
    `http://0.0.0.0:${internalPort}/`,
    `http://localhost:${internalPort}/`,
    `http://LOCALHOST.:${internalPort}/`,
    `http://anything.localhost:${internalPort}/`,
    `http://[::1]:${internalPort}/`,
  ];

  it('refuses every spelling of the host itself, and the internal service sees nothing', async () => {
    const before = internalHits;
    // Written into the node, and arriving as data (a URL a webhook caller chose).
    const tries = spellings().flatMap((url) => [{ url, fromPayload: false }, { url, fromPayload: true }]);
    const results = await Promise.all(tries.map(async ({ url, fromPayload }) => ({ url: `${url}${fromPayload ? ' (from the payload)' : ''}`, ...(await fetchVia(url, fromPayload)) })));
    for (const { url, run, step } of results) {
      expect(run.status, url).toBe('failed');
      expect(step.error?.message, url).toMatch(/refused|invalid|blocked/i);
      expect(JSON.stringify(run), url).not.toContain('internal secret');
    }
    expect(internalHits - before).toBe(0);
  });

  it('re-checks a redirect: an allowed server that redirects to the host is refused at the hop', async () => {
    const before = internalHits;
    for (const to of [`http://127.0.0.1:${internalPort}/`, `http://2130706433:${internalPort}/`, `http://localhost:${internalPort}/`]) {
      const { run, step } = await fetchVia(`http://127.0.0.2:${allowedPort}/?to=${encodeURIComponent(to)}`);
      expect(run.status, to).toBe('failed');
      expect(step.error?.message, to).toMatch(/refused/i);
    }
    expect(internalHits - before).toBe(0);
  });

  it('refuses other schemes: on save when written in the node, at run time when they come from data or a redirect', async () => {
    const created = await t.request('POST', '/api/workflows', {
      token,
      body: { name: 'file scheme', graph: { nodes: [{ id: 'start', type: 'core.manual', version: 1, config: {}, position: pos }, { id: 'call', type: 'core.http', version: 1, config: { method: 'GET', url: 'file:///etc/passwd' }, position: pos }], edges: [{ id: 'e1', source: 'start', target: 'call' }] } },
    });
    expect(created.status).toBe(422);
    expect(JSON.stringify(await created.json())).toContain('"config","url"');
    const runtime = [
      { url: 'file:///etc/passwd', fromPayload: true },
      { url: 'gopher://127.0.0.1:6379/_FLUSHALL', fromPayload: true },
      { url: `http://127.0.0.2:${allowedPort}/?to=${encodeURIComponent('file:///etc/passwd')}`, fromPayload: false },
    ];
    for (const { url, fromPayload } of runtime) {
      const { run, step } = await fetchVia(url, fromPayload);
      expect(run.status, url).toBe('failed');
      expect(step.error?.message, url).toMatch(/scheme|invalid|refused/i);
      expect(JSON.stringify(step)).not.toMatch(/root:x:0:0/);
    }
  });
});
