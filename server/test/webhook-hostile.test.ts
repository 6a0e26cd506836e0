// Issue 7, item 7 at the webhook edge: JSON nested 4,500 deep is a 400 naming the problem (not
// a 500, no run), and credential headers a sender attaches are stored masked in the run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let token: string;
let hookPath: string;
let workflowId: string;
beforeAll(async () => {
  t = await createTestApp('postgres');
  token = (await t.signup()).token;
  const graph = {
    nodes: [
      { id: 'hook', type: 'core.webhook', version: 1, config: { responseMode: 'accepted' }, position: { x: 0, y: 0 } },
      { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'k', value: '{{ $trigger.headers["x-api-key"] }}' }] }, position: { x: 1, y: 0 } },
    ],
    edges: [{ id: 'e', source: 'hook', target: 'shape' }],
  };
  workflowId = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'hostile', graph } })).json()) as { id: string }).id;
  expect((await t.request('POST', `/api/workflows/${workflowId}/activate`, { token })).status).toBe(200);
  const [h] = (await (await t.request('GET', `/api/workflows/${workflowId}/webhooks`, { token })).json()) as { url: string }[];
  hookPath = new URL(h!.url).pathname;
});
afterAll(() => t.close());

const post = (body: string, headers: Record<string, string> = {}) => t.app.request(hookPath, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
const runs = async () => t.db.db.selectFrom('runs').select(['id', 'trigger_payload']).where('workflow_id', '=', workflowId).execute();

describe('hostile webhook input', () => {
  it('answers JSON nested 4,500 deep with 400 naming the nesting, and starts nothing', async () => {
    const res = await post(`${'['.repeat(4500)}${']'.repeat(4500)}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/nested deeper/);
    const obj = await post(`${'{"a":'.repeat(4500)}1${'}'.repeat(4500)}`);
    expect(obj.status).toBe(400);
    expect(await runs()).toEqual([]);
  });

  it('stores credential headers masked: neither the run nor its steps hold the value', async () => {
    const secret = `canary-${crypto.randomUUID()}`;
    const res = await post('{"n":1}', { 'x-api-key': secret, authorization: `Bearer ${secret}`, 'x-custom-token': secret });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    let status = 'queued';
    for (let i = 0; i < 200 && !['succeeded', 'failed'].includes(status); i++) {
      await new Promise((r) => setTimeout(r, 25));
      status = ((await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as { status: string }).status;
    }
    expect(status).toBe('succeeded');
    const detail = await (await t.request('GET', `/api/runs/${runId}`, { token })).text();
    expect(detail).not.toContain(secret);
    const [row] = await runs();
    const headers = (row!.trigger_payload as { headers: Record<string, string> }).headers;
    expect(headers['x-api-key']).toBe('[redacted]');
    expect(headers.authorization).toBe('[redacted]');
    expect(headers['x-custom-token']).toBe('[redacted]');
    const steps = await t.db.db.selectFrom('run_steps').select(['input', 'output']).where('run_id', '=', runId).execute();
    expect(JSON.stringify(steps)).not.toContain(secret);
  });
});
