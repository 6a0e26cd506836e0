// POST /api/workflows/generate over the HTTP API. Without an AI key the planner answers; with
// one, the router calls the provider fake (the official SDK on loopback) with the catalog and
// the graph schema, a bad answer is repaired once with the validator's issues, a second bad
// answer falls back to the planner, and every call is a usage row of the owner. Nothing is saved.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakes, type Fakes } from '@keyflow/engine/fakes';
import { createTestApp, type TestApp } from './support.ts';

let fakes: Fakes;
let t: TestApp;
let withKey: { id: string; token: string };
let noKey: { id: string; token: string };
const openaiKey = `sk-${randomUUID()}`;

type Generated = {
  graph: { nodes: { id: string; type: string; config: Record<string, unknown>; position: { x: number; y: number } }[]; edges: { source: string; target: string }[] };
  explanation: { nodeId: string; text: string }[];
  source: 'ai' | 'planner';
  unplaced: string[];
  credentials: { nodeId: string; provider: string }[];
  ai: { calls: number; inputTokens: number; outputTokens: number; costMicros: number; failure?: string } | null;
};

const ISSUE = 'when a form is posted to my webhook, summarise it with AI and post it to Slack #leads, and if it mentions a budget over 10k also create a Trello card';

/** What a good model answers for the issue's sentence (a credentialId slipped in, to be dropped). */
const goodAnswer = {
  nodes: [
    { id: 'form', type: 'core.webhook', version: 1, config: { method: 'POST' } },
    { id: 'summary', type: 'ai.complete', version: 1, config: { prompt: 'Summarise: {{ $trigger.body }}', tier: 'economy' } },
    { id: 'post', type: 'slack.post_message', version: 1, config: { channel: '#leads', text: '{{ $node["summary"].output.text }}', credentialId: randomUUID() } },
  ],
  edges: [
    { id: 'e1', source: 'form', target: 'summary' },
    { id: 'e2', source: 'summary', target: 'post' },
  ],
  explanation: [
    { nodeId: 'form', text: 'The form posts here.' },
    { nodeId: 'summary', text: 'Summarises the form.' },
    { nodeId: 'post', text: 'Tells #leads.' },
  ],
  unplaced: ['the Trello card'],
};
const badAnswer = { ...goodAnswer, nodes: [...goodAnswer.nodes, { id: 'mystery', type: 'crm.make_magic', version: 1, config: {} }] };

async function api<T>(user: { token: string }, body: unknown): Promise<{ status: number; body: T }> {
  const res = await t.request('POST', '/api/workflows/generate', { token: user.token, body });
  return { status: res.status, body: (await res.json()) as T };
}
const usageOf = (ownerId: string) => t.db.db.selectFrom('usage_events').select(['provider', 'outcome', 'cost_micros', 'run_id']).where('owner_id', '=', ownerId).execute();
const requests = () => fakes.servers.openai.requests;

beforeAll(async () => {
  fakes = await startFakes();
  t = await createTestApp('postgres', { KEYFLOW_OPENAI_BASE_URL: fakes.baseUrls.openai });
  withKey = await t.signup();
  noKey = await t.signup();
  const res = await t.request('POST', '/api/credentials', { token: withKey.token, body: { provider: 'openai', label: 'openai', secret: openaiKey } });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await t?.close();
  await fakes?.close();
});
beforeEach(() => fakes.reset());

describe('POST /api/workflows/generate', () => {
  it('without an AI key, the planner answers with a graph the API accepts, and no provider is called', async () => {
    const before = await t.db.db.selectFrom('workflows').select('id').execute();
    const res = await api<Generated>(noKey, { description: ISSUE });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('planner');
    expect(res.body.ai).toBeNull();
    expect(res.body.graph.nodes.map((n) => n.type)).toEqual(expect.arrayContaining(['core.webhook', 'ai.complete', 'slack.post_message', 'core.condition']));
    expect(res.body.explanation).toHaveLength(res.body.graph.nodes.length);
    expect(requests()).toHaveLength(0);
    // Not saved; and saving it is accepted by the same validator.
    expect(await t.db.db.selectFrom('workflows').select('id').execute()).toHaveLength(before.length);
    const saved = await t.request('POST', '/api/workflows', { token: noKey.token, body: { name: 'generated', graph: res.body.graph } });
    expect(saved.status).toBe(201);
  });

  it('with a key, a good answer is used: source ai, credentials dropped, laid out, usage recorded for the owner', async () => {
    fakes.servers.openai.enqueue({ text: JSON.stringify(goodAnswer) });
    const res = await api<Generated>(withKey, { description: ISSUE });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('ai');
    expect(res.body.graph.nodes.map((n) => n.id)).toEqual(['form', 'summary', 'post']);
    expect(res.body.graph.nodes[2]!.config).not.toHaveProperty('credentialId');
    expect(res.body.graph.nodes.map((n) => n.position.x)).toEqual([0, 280, 560]);
    expect(res.body.explanation).toEqual(goodAnswer.explanation);
    expect(res.body.unplaced).toEqual(['the Trello card']);
    expect(res.body.credentials).toEqual([{ nodeId: 'post', provider: 'slack' }]);
    expect(res.body.ai).toMatchObject({ calls: 1, inputTokens: 12, outputTokens: 5 });
    expect(res.body.ai!.costMicros).toBeGreaterThan(0);
    // The owner's key, structured output, the catalog and the description in the request.
    expect(requests()).toHaveLength(1);
    const sent = requests()[0]!;
    expect(sent.key).toBe(openaiKey);
    const body = sent.body as { response_format?: { type: string }; messages: { role: string; content: string }[] };
    expect(body.response_format?.type).toBe('json_schema');
    expect(JSON.stringify(body.messages)).toContain('slack.post_message');
    expect(JSON.stringify(body.messages)).toContain('Slack #leads');
    const rows = await usageOf(withKey.id);
    expect(rows.at(-1)).toMatchObject({ provider: 'openai', outcome: 'ok', run_id: null });
    expect(rows.reduce((a, r) => a + r.cost_micros, 0)).toBe(res.body.ai!.costMicros);
  });

  it('a malformed answer is repaired once with the validator\'s issues', async () => {
    const rowsBefore = (await usageOf(withKey.id)).length;
    fakes.servers.openai.enqueue({ text: JSON.stringify(badAnswer) });
    fakes.servers.openai.enqueue({ text: JSON.stringify(goodAnswer) });
    const res = await api<Generated>(withKey, { description: ISSUE });
    expect(res.body.source).toBe('ai');
    expect(res.body.ai!.calls).toBe(2);
    expect(requests()).toHaveLength(2);
    const repair = JSON.stringify((requests()[1]!.body as { messages: unknown[] }).messages);
    expect(repair).toContain("unknown node type 'crm.make_magic'");
    expect(repair).toContain('crm.make_magic'); // the model's own answer goes back as the assistant turn
    expect((await usageOf(withKey.id)).length).toBe(rowsBefore + 2);
  });

  it('malformed twice (bad graph, then not JSON): the planner answers and says why', async () => {
    fakes.servers.openai.enqueue({ text: JSON.stringify(badAnswer) });
    fakes.servers.openai.enqueue({ text: 'Sure! Here is your workflow: webhook then Slack.' });
    const res = await api<Generated>(withKey, { description: ISSUE });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('planner');
    expect(res.body.ai).toMatchObject({ calls: 2 });
    expect(res.body.ai!.failure).toMatch(/not a valid graph/);
    expect(requests()).toHaveLength(2);
    expect(res.body.graph.nodes[0]!.type).toBe('core.webhook');
  });

  it('a provider outage falls back to the planner without leaking the key', async () => {
    fakes.servers.openai.setHandler(() => ({ status: 500, message: 'boom' }));
    const res = await api<Generated>(withKey, { description: ISSUE });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('planner');
    expect(JSON.stringify(res.body)).not.toContain(openaiKey);
  });

  it.each([
    ['no description', {}, ['body', 'description']],
    ['an empty one', { description: '  ' }, ['body', 'description']],
    ['one too long', { description: 'x'.repeat(4_001) }, ['body', 'description']],
    ['a number', { description: 42 }, ['body', 'description']],
    ['an unknown field', { description: 'every day call the API', save: true }, ['body']],
  ])('422s for %s', async (_what, body, path) => {
    const res = await api<{ error: { code: string; issues: { path: unknown[] }[] } }>(withKey, body);
    expect(res.status).toBe(422);
    expect(res.body.error.issues[0]!.path).toEqual(path);
    expect(requests()).toHaveLength(0);
  });

  it('requires a signed-in user', async () => {
    const res = await t.request('POST', '/api/workflows/generate', { body: { description: ISSUE } });
    expect(res.status).toBe(401);
  });
});
