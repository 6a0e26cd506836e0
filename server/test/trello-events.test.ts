// trello.event through the real server and engine, with the fake Trello as KEYFLOW_TRELLO_BASE_URL:
// Trello's HEAD check, deliveries refused until the app secret is stored, the signature over the
// body + the published callback URL, replays dropped, filters; and the run that follows creates a
// card with the owner's stored key and token, which appear in no step row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFakeToken, allSpecProblems, startFakeTrello, trelloWebhookSignature, type FakeToken, type FakeTrello } from '@keyflow/nodes/testing/fake-trello';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let fake: FakeTrello;
let owner: FakeToken;
let token: string;
const APP_SECRET = 'trello-app-secret-0123456789abcdef0123456789abcdef';

beforeAll(async () => {
  // Trello HEAD-checks the callback before it registers a webhook: here, through the app itself.
  fake = await startFakeTrello({ checkCallbacks: true, headCheck: async (url) => (await t.app.request(new URL(url).pathname, { method: 'HEAD' })).status });
  owner = addFakeToken(fake, 'write');
  t = await createTestApp('postgres', { KEYFLOW_TRELLO_BASE_URL: fake.url });
  token = (await t.signup()).token;
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

const pos = { x: 0, y: 0 };
const graph = () => ({
  nodes: [
    { id: 'trello', type: 'trello.event', version: 1, config: { modelId: fake.boards[0]!.id, actionTypes: ['commentCard'] }, position: pos },
    {
      id: 'card',
      type: 'trello.create_card',
      version: 1,
      config: { listId: fake.lists[1]!.id, name: 'Follow up: {{ $node["trello"].output.data.text }}', description: 'by {{ $node["trello"].output.memberCreator.username }}' },
      position: pos,
    },
  ],
  edges: [{ id: 'e', source: 'trello', target: 'card' }],
});

function comment(id: string, text: string, date = new Date().toISOString()) {
  return JSON.stringify({ action: { id, type: 'commentCard', date, data: { text, card: { id: 'c1' } }, memberCreator: { id: fake.members[0]!.id, username: 'ada' } }, model: { id: fake.boards[0]!.id } });
}

let wf: string;
let hookUrl: string;
let credentialId: string;

function post(body: string, signature?: string) {
  return t.app.request(new URL(hookUrl).pathname, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-trello-webhook': signature ?? trelloWebhookSignature(APP_SECRET, body, hookUrl) } });
}

async function waitForRun(runId: string): Promise<{ status: string; steps: { nodeId: string; status: string; output: unknown; error: unknown }[] }> {
  for (let i = 0; i < 200; i++) {
    const run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as { status: string; steps: { nodeId: string; status: string; output: unknown; error: unknown }[] };
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('run did not finish');
}

type Conn = { id: string; service: string; status: string; lastError: string | null };
const connections = async () => ((await (await t.request('GET', '/api/connections', { token })).json()) as { items: Conn[] }).items;
const testCredential = async () => (await (await t.request('POST', `/api/credentials/${credentialId}/test`, { token })).json()) as { status: string; message: string };

describe('trello.event on the server', () => {
  it('publishes a callback URL, answers the HEAD check, and refuses deliveries until the app secret is stored', async () => {
    const cred = await t.request('POST', '/api/credentials', { token, body: { provider: 'trello', label: 'Ada', secret: `${owner.key}:${owner.token}` } });
    expect(cred.status).toBe(201);
    credentialId = ((await cred.json()) as { id: string }).id;
    wf = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'trello comments', graph: graph() } })).json()) as { id: string }).id;
    expect((await t.request('POST', `/api/workflows/${wf}/activate`, { token })).status).toBe(200);
    const hooks = (await (await t.request('GET', `/api/workflows/${wf}/webhooks`, { token })).json()) as { nodeId: string; url: string }[];
    expect(hooks.map((h) => h.nodeId)).toEqual(['trello']);
    hookUrl = hooks[0]!.url;
    // Activation registered the Trello webhook on the board, pointing at the published URL.
    expect(fake.webhooks).toEqual([expect.objectContaining({ idModel: fake.boards[0]!.id, callbackURL: hookUrl, token: owner.token })]);

    const head = await t.app.request(new URL(hookUrl).pathname, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await post(comment('5f0c1a2b3c4d5e6f7a8b0001', 'hi'))).status).toBe(401);

    const stored = await t.request('PUT', `/api/workflows/${wf}/webhooks/trello/signature`, { token, body: { config: { header: 'X-Trello-Webhook', algorithm: 'sha1', encoding: 'base64' }, secret: APP_SECRET } });
    expect(stored.status).toBe(200);
  });

  it('the credential test runs members/me against KEYFLOW_TRELLO_BASE_URL; a 429 shows as rate limited', async () => {
    fake.requests.length = 0;
    expect(await testCredential()).toMatchObject({ status: 'valid', message: 'connected as Ada Lovelace (@ada)' });
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/1/members/me', query: { key: owner.key, token: owner.token } });
    expect((await connections()).find((c) => c.id === credentialId)).toMatchObject({ service: 'trello', status: 'healthy', lastError: null });
    fake.rateLimitNext(1);
    expect((await testCredential()).status).toBe('rate_limited');
    expect(await testCredential()).toMatchObject({ status: 'valid' });
  });

  it('refuses a wrong signature and a body changed after signing', async () => {
    const body = comment('5f0c1a2b3c4d5e6f7a8b0002', 'hi');
    expect((await post(body, trelloWebhookSignature('another-secret', body, hookUrl))).status).toBe(401);
    expect((await post(body.replace('hi', 'ho'), trelloWebhookSignature(APP_SECRET, body, hookUrl))).status).toBe(401);
    expect((await post(body, trelloWebhookSignature(APP_SECRET, body, `${hookUrl}/`))).status).toBe(401);
  });

  it('a verified comment starts one run that creates a card with the owner\'s key and token; a replay starts none', async () => {
    fake.requests.length = 0;
    const body = comment('5f0c1a2b3c4d5e6f7a8b0003', 'ship the release');
    const first = await post(body);
    expect(first.status).toBe(202);
    const { runId } = (await first.json()) as { runId: string };
    const replay = await post(body);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ status: 'duplicate' });

    const run = await waitForRun(runId);
    expect(run.status).toBe('succeeded');
    const card = fake.cards.find((c) => c.name === 'Follow up: ship the release')!;
    expect(card).toMatchObject({ idList: fake.lists[1]!.id, desc: 'by ada' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.query).toMatchObject({ key: owner.key, token: owner.token });
    expect(allSpecProblems(fake.requests)).toEqual([]);
    expect(run.steps.find((s) => s.nodeId === 'card')!.output).toMatchObject({ id: card.id, url: card.url });
    const stored = JSON.stringify(run);
    expect(stored).not.toContain(owner.token);
    expect(stored).not.toContain(owner.key);
  });

  it("a 429 from Trello makes the engine wait Trello's rate window, then the step succeeds with one card", async () => {
    fake.requests.length = 0;
    fake.rateLimitNext(1, 300);
    const started = Date.now();
    const res = await post(comment('5f0c1a2b3c4d5e6f7a8b0007', 'after a rate limit'));
    const run = await waitForRun(((await res.json()) as { runId: string }).runId);
    expect(run.status).toBe('succeeded');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(fake.requests.filter((r) => r.path === '/1/cards').length).toBe(2);
    expect(fake.cards.filter((c) => c.name === 'Follow up: after a rate limit')).toHaveLength(1);
  });

  it('filtered and stale deliveries start nothing', async () => {
    const other = JSON.stringify({ action: { id: '5f0c1a2b3c4d5e6f7a8b0004', type: 'updateCard', date: new Date().toISOString(), data: {} } });
    const ignored = await post(other);
    expect(ignored.status).toBe(200);
    expect(await ignored.json()).toMatchObject({ status: 'ignored' });
    const stale = await post(comment('5f0c1a2b3c4d5e6f7a8b0005', 'old', new Date(Date.now() - 2 * 3600_000).toISOString()));
    expect(stale.status).toBe(400);
  });

  it('deactivation deletes the Trello webhook; activation again registers a new one; deleting the workflow deletes it', async () => {
    expect((await t.request('POST', `/api/workflows/${wf}/deactivate`, { token })).status).toBe(200);
    expect(fake.webhooks).toEqual([]);
    expect((await t.app.request(new URL(hookUrl).pathname, { method: 'HEAD' })).status).toBe(404);
    expect((await t.request('POST', `/api/workflows/${wf}/activate`, { token })).status).toBe(200);
    expect(fake.webhooks).toHaveLength(1);
    const spare = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'spare', graph: graph() } })).json()) as { id: string }).id;
    expect((await t.request('POST', `/api/workflows/${spare}/activate`, { token })).status).toBe(200);
    expect(fake.webhooks).toHaveLength(2);
    expect((await t.request('DELETE', `/api/workflows/${spare}`, { token })).status).toBe(204);
    expect(fake.webhooks.map((w) => w.callbackURL)).toEqual([hookUrl]);
  });

  it('activation fails, naming why, and leaves the workflow inactive when the trigger cannot be registered', async () => {
    const other = await t.signup();
    const res = await t.request('POST', '/api/workflows', { token: other.token, body: { name: 'no key', graph: graph() } });
    const id = ((await res.json()) as { id: string }).id;
    const act = await t.request('POST', `/api/workflows/${id}/activate`, { token: other.token });
    expect(act.status).toBe(409);
    expect(await act.text()).toContain('no trello credential: connect Trello first');
    expect(((await (await t.request('GET', `/api/workflows/${id}`, { token: other.token })).json()) as { active: boolean }).active).toBe(false);

    // A board the token cannot see: Trello's refusal is passed on.
    await t.request('POST', '/api/credentials', { token: other.token, body: { provider: 'trello', label: 'Grace', secret: `${owner.key}:${owner.token}` } });
    const g = graph();
    (g.nodes[0]!.config as { modelId: string }).modelId = 'eeeeeeeeeeeeeeeeeeeeeeee';
    const bad = ((await (await t.request('POST', '/api/workflows', { token: other.token, body: { name: 'bad board', graph: g } })).json()) as { id: string }).id;
    const refused = await t.request('POST', `/api/workflows/${bad}/activate`, { token: other.token });
    expect(refused.status).toBe(502);
    expect(await refused.text()).toContain('trigger \\"trello\\" could not register its webhook: Trello refused the request: invalid value for idModel');
    expect(fake.webhooks).toHaveLength(1);
  });

  it('a revoked token fails the step, names the credential, and marks it invalid', async () => {
    owner.token = `ATTA${'9'.repeat(64)}`; // revoked at Trello: the stored one no longer matches
    const res = await post(comment('5f0c1a2b3c4d5e6f7a8b0006', 'after revoke'));
    const run = await waitForRun(((await res.json()) as { runId: string }).runId);
    expect(run.status).toBe('failed');
    const step = run.steps.find((s) => s.nodeId === 'card')!;
    expect(JSON.stringify(step.error)).toMatch(/Trello rejected credential [0-9a-f-]{36} \(invalid token\)/);
    // Shown broken on the connections list before anything else tries it, with how to fix it.
    const conn = (await connections()).find((c) => c.id === credentialId)!;
    expect(conn).toMatchObject({ status: 'invalid', lastError: expect.stringContaining('create a new token for your API key') });
    expect(JSON.stringify(conn)).not.toContain(owner.key);
    const tested = await testCredential();
    expect(tested.status).toBe('invalid_key');
    expect(tested.message).toContain(`rejected credential ${credentialId} (invalid token)`);
  });
});
