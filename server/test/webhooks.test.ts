import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp('postgres', { KEYFLOW_BODY_LIMIT_BYTES: '65536', KEYFLOW_WEBHOOK_RATE_PER_MINUTE: '600' });
  token = (await t.signup()).token;
});
afterAll(() => t.close());

const pos = { x: 0, y: 0 };
function hookGraph(responseMode: 'wait' | 'accepted', replyBody: unknown = { hello: '{{ $trigger.body.name }}' }) {
  return {
    nodes: [
      { id: 'hook', type: 'core.webhook', version: 1, config: { responseMode, timeoutMs: 5000 }, position: pos },
      { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'greeting', value: 'Hello {{ $trigger.body.name }}' }] }, position: pos },
      { id: 'reply', type: 'core.respond', version: 1, config: { status: 200, headers: { 'x-greeting': '{{ $node["shape"].output.greeting }}' }, body: replyBody }, position: pos },
    ],
    edges: [{ id: 'e1', source: 'hook', target: 'shape' }, { id: 'e2', source: 'shape', target: 'reply' }],
  };
}

async function createHook(graph: unknown, activate = true) {
  const wf = (await (await t.request('POST', '/api/workflows', { token, body: { name: 'hook', graph } })).json()) as { id: string };
  if (activate) expect((await t.request('POST', `/api/workflows/${wf.id}/activate`, { token })).status).toBe(200);
  const [hook] = (await (await t.request('GET', `/api/workflows/${wf.id}/webhooks`, { token })).json()) as { url: string; testUrl: string }[];
  return { id: wf.id, path: new URL(hook!.url).pathname, testPath: new URL(hook!.testUrl).pathname };
}

const post = (path: string, body: string, headers: Record<string, string> = {}) => t.app.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('webhooks', () => {
  it('answers "wait" mode with the respond node and persists the run and its steps', async () => {
    const hook = await createHook(hookGraph('wait'));
    expect(hook.path).toMatch(/^\/hooks\/[A-Za-z0-9_-]{32}$/);
    const res = await post(hook.path, JSON.stringify({ name: 'Grace' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-greeting')).toBe('Hello Grace');
    expect(await res.json()).toEqual({ hello: 'Grace' });
    const runId = res.headers.get('x-keyflow-run-id')!;
    let run: { status: string; steps: { nodeId: string }[] } = { status: '', steps: [] };
    for (let i = 0; i < 100 && run.status !== 'succeeded'; i++) {
      run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as typeof run;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(run.steps.map((s) => s.nodeId)).toEqual(['hook', 'shape', 'reply']);
  });

  it('answers "accepted" mode with 202 and the run id at once', async () => {
    const hook = await createHook(hookGraph('accepted'));
    const res = await post(hook.path, JSON.stringify({ name: 'x' }));
    expect(res.status).toBe(202);
    expect(((await res.json()) as { runId: string }).runId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 504 with the run id when the workflow does not respond in time', async () => {
    const graph = { nodes: [{ id: 'hook', type: 'core.webhook', version: 1, config: { responseMode: 'wait', timeoutMs: 1000 }, position: pos }, { id: 'wait', type: 'core.delay', version: 1, config: { amount: 1, unit: 'minutes' }, position: pos }], edges: [{ id: 'e', source: 'hook', target: 'wait' }] };
    const hook = await createHook(graph);
    const res = await post(hook.path, '{}');
    expect(res.status).toBe(504);
    expect(((await res.json()) as { runId: string }).runId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('treats the body as data: expressions and file references in it are never evaluated', async () => {
    const hook = await createHook(hookGraph('wait', '{{ $trigger.body }}'));
    const hostile = { name: '{{ $run.id }}', files: { upload: { filepath: '/etc/passwd' } }, __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } };
    const res = await post(hook.path, JSON.stringify(hostile));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ name: '{{ $run.id }}', files: { upload: { filepath: '/etc/passwd' } } });
    expect(JSON.stringify(body)).not.toMatch(/root:/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers 404 for unknown, malformed and deactivated paths and starts nothing', async () => {
    const hook = await createHook(hookGraph('accepted'));
    const before = (await t.db.db.selectFrom('runs').select('id').execute()).length;
    expect((await post('/hooks/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '{}')).status).toBe(404);
    expect((await post('/hooks/../../etc/passwd', '{}')).status).toBe(404);
    expect((await post(`${hook.path}x`, '{}')).status).toBe(404);
    await t.request('POST', `/api/workflows/${hook.id}/deactivate`, { token });
    expect((await post(hook.path, '{}')).status).toBe(404);
    expect((await t.db.db.selectFrom('runs').select('id').execute()).length).toBe(before);
  });

  it('runs the draft on the test URL even when the workflow is not active', async () => {
    const hook = await createHook(hookGraph('wait'), false);
    expect((await post(hook.path, '{}')).status).toBe(404);
    const res = await post(hook.testPath, JSON.stringify({ name: 'Draft' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: 'Draft' });
  });

  it('caps the body size and rejects malformed JSON', async () => {
    const hook = await createHook(hookGraph('accepted'));
    expect((await post(hook.path, JSON.stringify({ big: 'x'.repeat(70_000) }))).status).toBe(413);
    expect((await post(hook.path, '{"name":')).status).toBe(400);
  });

  it('ignores replays of the same delivery id', async () => {
    const hook = await createHook(hookGraph('accepted'));
    const first = await post(hook.path, '{}', { 'x-keyflow-delivery': 'delivery-1' });
    expect(first.status).toBe(202);
    const again = await post(hook.path, '{}', { 'x-keyflow-delivery': 'delivery-1' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
  });

  it('verifies an HMAC signature over the raw body and refuses bad, missing and stale ones', async () => {
    const hook = await createHook(hookGraph('accepted'));
    const set = await t.request('PUT', `/api/workflows/${hook.id}/webhooks/hook/signature`, { token, body: { preset: 'slack', secret: 'signing-secret-123' } });
    expect(set.status).toBe(200);
    const hooks = (await (await t.request('GET', `/api/workflows/${hook.id}/webhooks`, { token })).json()) as { signed: boolean }[];
    expect(hooks[0]!.signed).toBe(true);
    const body = '{"name":"signed"}';
    const sign = (ts: number, b = body) => `v0=${createHmac('sha256', 'signing-secret-123').update(`v0:${ts}:${b}`).digest('hex')}`;
    const now = Math.floor(Date.now() / 1000);
    const ok = await post(hook.path, body, { 'x-slack-request-timestamp': String(now), 'x-slack-signature': sign(now) });
    expect(ok.status).toBe(202);
    const cases: [string, Record<string, string>][] = [
      ['missing', {}],
      ['tampered body', { 'x-slack-request-timestamp': String(now), 'x-slack-signature': sign(now, '{"name":"other"}') }],
      ['too old', { 'x-slack-request-timestamp': String(now - 3600), 'x-slack-signature': sign(now - 3600) }],
      ['from the future', { 'x-slack-request-timestamp': String(now + 3600), 'x-slack-signature': sign(now + 3600) }],
      ['wrong length', { 'x-slack-request-timestamp': String(now), 'x-slack-signature': 'v0=abc' }],
    ];
    for (const [what, headers] of cases) expect((await post(hook.path, body, headers)).status, what).toBe(401);
    const stored = await t.db.db.selectFrom('webhooks').select('signing_ciphertext').where('workflow_id', '=', hook.id).executeTakeFirstOrThrow();
    expect(stored.signing_ciphertext).not.toContain('signing-secret-123');
  });

  it('rate-limits a single webhook', async () => {
    const hook = await createHook(hookGraph('accepted'));
    const statuses: number[] = [];
    for (let i = 0; i < 610; i++) statuses.push((await t.app.request(hook.path, { method: 'GET' })).status);
    expect(statuses.filter((s) => s === 405).length).toBe(600);
    expect(statuses.slice(600).every((s) => s === 429)).toBe(true);
  });
});
