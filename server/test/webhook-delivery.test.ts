// Issue 7, items 4 and 5 at the HTTP level: a refused attempt leaves no delivery key behind (the
// sender's retry runs once), and a signed delivery is keyed on what its signature covers, so an
// added unsigned header cannot replay it.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp('postgres');
  token = (await t.signup()).token;
});
afterAll(() => t.close());

const pos = { x: 0, y: 0 };
const graph = { nodes: [{ id: 'hook', type: 'core.webhook', version: 1, config: { responseMode: 'accepted' }, position: pos }], edges: [] };

async function createHook() {
  const wf = (await (await t.request('POST', '/api/workflows', { token, body: { name: 'delivery', graph } })).json()) as { id: string };
  expect((await t.request('POST', `/api/workflows/${wf.id}/activate`, { token })).status).toBe(200);
  const [hook] = (await (await t.request('GET', `/api/workflows/${wf.id}/webhooks`, { token })).json()) as { url: string }[];
  return { id: wf.id, path: new URL(hook!.url).pathname };
}
const post = (path: string, body: string, headers: Record<string, string> = {}) => t.app.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
const runCount = async (workflowId: string) => (await t.db.db.selectFrom('runs').select('id').where('workflow_id', '=', workflowId).execute()).length;

describe('webhook deliveries', () => {
  it('a failed first attempt burns nothing: the retry runs once, the next is a duplicate', async () => {
    const hook = await createHook();
    const bad = await post(hook.path, '{"name":', { 'x-keyflow-delivery': 'retry-me' });
    expect(bad.status).toBe(400);
    expect(await runCount(hook.id)).toBe(0);
    const retry = await post(hook.path, '{"name":"ok"}', { 'x-keyflow-delivery': 'retry-me' });
    expect(retry.status).toBe(202);
    const again = await post(hook.path, '{"name":"ok"}', { 'x-keyflow-delivery': 'retry-me' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    expect(await runCount(hook.id)).toBe(1);
  });

  it('a body Postgres cannot store (NUL, lone surrogate) is a 4xx naming the field, and starts nothing', async () => {
    const hook = await createHook();
    for (const raw of ['{"note":"a\\u0000b"}', '{"note":"\\ud800"}']) {
      const res = await post(hook.path, raw);
      expect(res.status).toBe(422);
      expect(JSON.stringify(await res.json())).toContain('note');
    }
    // Not JSON: a form body decodes %00 to NUL after parsing, so the whole payload is checked too.
    const form = await t.app.request(hook.path, { method: 'POST', body: 'note=a%00b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(422);
    expect(JSON.stringify(await form.json())).toContain('note');
    expect(await runCount(hook.id)).toBe(0);
  });

  it('concurrent copies of one delivery start one run', async () => {
    const hook = await createHook();
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(hook.path, '{}', { 'x-keyflow-delivery': 'burst' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    expect(await runCount(hook.id)).toBe(1);
  });

  it('a signed Standard Webhooks delivery cannot be replayed by adding an unsigned delivery header', async () => {
    const hook = await createHook();
    const secret = Buffer.from('standard-webhooks-secret-0123456789').toString('base64');
    const set = await t.request('PUT', `/api/workflows/${hook.id}/webhooks/hook/signature`, { token, body: { preset: 'standardWebhooks', secret: `whsec_${secret}` } });
    expect(set.status).toBe(200);
    const body = '{"event":"paid"}';
    const ts = Math.floor(Date.now() / 1000);
    const sig = createHmac('sha256', Buffer.from(secret, 'base64')).update(`msg_1.${ts}.${body}`).digest('base64');
    const signed = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${sig}` };
    expect((await post(hook.path, body, signed)).status).toBe(202);
    for (const extra of ['replay-1', 'replay-2']) {
      const replay = await post(hook.path, body, { ...signed, 'x-keyflow-delivery': extra, 'idempotency-key': extra });
      expect(replay.status).toBe(200);
      expect(await replay.json()).toMatchObject({ status: 'duplicate' });
    }
    expect(await runCount(hook.id)).toBe(1);
  });
});
