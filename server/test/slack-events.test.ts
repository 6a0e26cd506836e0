// slack.event on a Keyflow webhook: the signing secret over the raw body (timestamps checked
// both ways), the url_verification challenge, Slack's retries dropped, filters by type and channel.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signaturePresets, verifySignature } from '@keyflow/engine/webhooks';
import vectors from './fixtures/slack-signature-vector.json' with { type: 'json' };
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp('postgres');
  token = (await t.signup()).token;
});
afterAll(() => t.close());

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const pos = { x: 0, y: 0 };
const graph = {
  nodes: [
    { id: 'slack', type: 'slack.event', version: 1, config: { eventTypes: ['message'], channels: ['C0001'] }, position: pos },
    { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'said', value: '{{ $node["slack"].output.text }}' }] }, position: pos },
  ],
  edges: [{ id: 'e', source: 'slack', target: 'shape' }],
};

const sign = (ts: number, body: string, secret = SECRET) => `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
const now = () => Math.floor(Date.now() / 1000);
function post(path: string, body: string, ts = now(), extra: Record<string, string> = {}, secret = SECRET) {
  return t.app.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(ts, body, secret), ...extra } });
}
const event = (id: string, e: Record<string, unknown>) => JSON.stringify({ token: 'legacy-verification-token', team_id: 'T0001', type: 'event_callback', event_id: id, event_time: 1712345678, event: e });

async function runsOf(workflowId: string): Promise<{ id: string; status: string }[]> {
  return ((await (await t.request('GET', `/api/runs?workflowId=${workflowId}`, { token })).json()) as { items: { id: string; status: string }[] }).items;
}

let wf: string;
let path: string;

describe('slack.event', () => {
  it('publishes a webhook URL for the trigger and refuses deliveries until the signing secret is stored', async () => {
    wf = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'slack events', graph } })).json()) as { id: string }).id;
    expect((await t.request('POST', `/api/workflows/${wf}/activate`, { token })).status).toBe(200);
    const hooks = (await (await t.request('GET', `/api/workflows/${wf}/webhooks`, { token })).json()) as { nodeId: string; url: string }[];
    expect(hooks.map((h) => h.nodeId)).toEqual(['slack']);
    path = new URL(hooks[0]!.url).pathname;
    const res = await post(path, event('Ev0', { type: 'message', channel: 'C0001', text: 'hi' }));
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('signing secret');
    expect((await t.request('PUT', `/api/workflows/${wf}/webhooks/slack/signature`, { token, body: { preset: 'slack', secret: SECRET } })).status).toBe(200);
  });

  it('answers the url_verification challenge and starts no run', async () => {
    const res = await post(path, JSON.stringify({ token: 'x', challenge: 'chal-123', type: 'url_verification' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'chal-123' });
    expect(await runsOf(wf)).toHaveLength(0);
  });

  it('refuses a bad signature, a wrong secret, and timestamps too old or in the future', async () => {
    const body = event('Ev1', { type: 'message', channel: 'C0001', text: 'hi' });
    const ts = now();
    expect((await t.app.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(ts, body.replace('hi', 'ho')) } })).status).toBe(401);
    expect((await post(path, body, ts, {}, 'another-secret')).status).toBe(401);
    expect((await post(path, body, ts - 301)).status).toBe(401);
    expect((await post(path, body, ts + 301)).status).toBe(401);
    expect(await runsOf(wf)).toHaveLength(0);
  });

  it('starts one run per event; Slack’s retry of the same event (signed anew) is dropped', async () => {
    const body = event('Ev2', { type: 'message', channel: 'C0001', user: 'U1', text: 'deploy please', ts: '1712345678.000100' });
    const first = await post(path, body);
    expect(first.status).toBe(202);
    const retry = await post(path, body, now() + 1, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ status: 'duplicate' });
    const { runId } = (await first.json()) as { runId: string };
    let run: { status: string; steps: { nodeId: string; output: unknown }[] } = { status: '', steps: [] };
    for (let i = 0; i < 100 && run.status !== 'succeeded'; i++) {
      run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as typeof run;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((s) => s.nodeId === 'slack')!.output).toMatchObject({ type: 'message', channel: 'C0001', user: 'U1', text: 'deploy please', eventId: 'Ev2', teamId: 'T0001' });
    expect(run.steps.find((s) => s.nodeId === 'shape')!.output).toEqual({ said: 'deploy please' });
    expect(await runsOf(wf)).toHaveLength(1);
    // Slack's verification token is not kept with the run.
    const stored = await t.db.db.selectFrom('runs').select('trigger_payload').where('id', '=', runId).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.trigger_payload)).not.toContain('legacy-verification-token');
    expect(JSON.stringify(stored.trigger_payload)).toContain('deploy please');
  });

  it('drops events of other types, other channels and bots without a run', async () => {
    for (const [id, e] of [
      ['Ev3', { type: 'app_mention', channel: 'C0001', text: 'x' }],
      ['Ev4', { type: 'message', channel: 'C0002', text: 'x' }],
      ['Ev5', { type: 'message', channel: 'C0001', text: 'x', bot_id: 'B1' }],
    ] as const) {
      const res = await post(path, event(id, e));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ignored' });
    }
    expect(await runsOf(wf)).toHaveLength(1);
  });

  it('Slack’s published signature example verifies with the preset the trigger uses', () => {
    const v = (vectors as { vectors: { id: string; headers: Record<string, string>; signing_secret: string; raw_body: string; timestamp: string }[] }).vectors.find((x) => x.id === 'slack-v0-doc-example')!;
    const headers = Object.fromEntries(Object.entries(v.headers).map(([k, val]) => [k.toLowerCase(), val]));
    const at = new Date(Number(v.timestamp) * 1000);
    expect(verifySignature(signaturePresets.slack, v.signing_secret, headers, Buffer.from(v.raw_body), at).ok).toBe(true);
    expect(verifySignature(signaturePresets.slack, v.signing_secret, headers, Buffer.from(v.raw_body), new Date(at.getTime() + 301_000)).ok).toBe(false);
    expect(verifySignature(signaturePresets.slack, v.signing_secret, headers, Buffer.from(v.raw_body), new Date(at.getTime() - 301_000)).ok).toBe(false);
  });
});
