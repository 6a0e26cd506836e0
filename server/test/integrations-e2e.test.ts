// The integrations end to end (issue 9, "Tests"): one workflow
//   webhook → ai.complete (fake provider) → slack.post_message ┐
//                                         → notion.create_page ├→ merge → respond
//                                         → trello.create_card ┘
// run through the real server and engine, with the owner's credentials stored through the
// credentials API and the operator's KEYFLOW_<SERVICE>_BASE_URL pointing at loopback fakes that
// speak each service's wire format. We assert exactly what each fake received (the owner's
// secret, the text rendered from the AI answer) and what the run's steps record (outputs, never
// a secret). Once in embedded mode and once in queue mode (BullMQ on Redis, no inline runs).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakes, type Fakes } from '@keyflow/engine/fakes';
import { dropQueue, redisUrl, requireRedis, testQueueName } from '@keyflow/engine/testing';
import { startFakeSlack, type FakeSlack } from '@keyflow/nodes/testing/fake-slack';
import { startFakeNotion, type FakeNotion } from '@keyflow/nodes/testing/fake-notion';
import { addFakeToken, startFakeTrello, type FakeToken, type FakeTrello } from '@keyflow/nodes/testing/fake-trello';
import { createTestApp, type TestApp } from './support.ts';

const SLACK_TOKEN = `xoxb-e2e-${randomUUID().replaceAll('-', '')}`;
const NOTION_SECRET = `ntn_${randomUUID().replaceAll('-', '')}e2e`;
const OPENAI_KEY = `sk-e2e-${randomUUID()}`;
/** The AI answer: markdown-ish, so Notion gets it as formatted rich text. */
const ANSWER = 'Ship the **beta** to Acme on Friday';
const pos = { x: 0, y: 0 };

type Step = { nodeId: string; status: string; attempt: number; output: unknown; error: unknown };
type Run = { id: string; status: string; steps: Step[] };

interface World {
  t: TestApp;
  ai: Fakes;
  slack: FakeSlack;
  notion: FakeNotion;
  trello: FakeTrello;
  trelloToken: FakeToken;
  databaseId: string;
  listId: string;
  user: { id: string; token: string };
  hookPath: string;
  credentialIds: Record<'openai' | 'slack' | 'notion' | 'trello', string>;
  /** Every API response body the owner saw, to check no secret ever came back. */
  bodies: string[];
  queueName?: string;
}

function graph(databaseId: string, listId: string) {
  return {
    nodes: [
      { id: 'hook', type: 'core.webhook', version: 1, config: { responseMode: 'wait', timeoutMs: 15_000 }, position: pos },
      { id: 'ask', type: 'ai.complete', version: 1, config: { prompt: 'Summarise this request in one line: {{ $trigger.body.request }}', tier: 'economy', maxTokens: 128 }, position: pos },
      { id: 'post', type: 'slack.post_message', version: 1, config: { channel: 'C0E2E', text: 'New request from {{ $trigger.body.customer }}: {{ $node["ask"].output.text }}' }, position: pos },
      {
        id: 'page',
        type: 'notion.create_page',
        version: 1,
        config: { databaseId, properties: { Name: 'Request from {{ $trigger.body.customer }}', Priority: '{{ $trigger.body.priority }}' }, content: '## Summary\n\n{{ $node["ask"].output.text }}' },
        position: pos,
      },
      { id: 'card', type: 'trello.create_card', version: 1, config: { listId, name: '{{ $trigger.body.customer }}: {{ $trigger.body.request }}', description: '{{ $node["ask"].output.text }}' }, position: pos },
      { id: 'join', type: 'core.merge', version: 1, config: { mode: 'all' }, position: pos },
      {
        id: 'reply',
        type: 'core.respond',
        version: 1,
        config: {
          status: 201,
          body: {
            summary: '{{ $node["ask"].output.text }}',
            slackTs: '{{ $node["post"].output.ts }}',
            notionUrl: '{{ $node["page"].output.url }}',
            trelloUrl: '{{ $node["card"].output.url }}',
          },
        },
        position: pos,
      },
    ],
    edges: [
      { id: 'e1', source: 'hook', target: 'ask' },
      { id: 'e2', source: 'ask', target: 'post' },
      { id: 'e3', source: 'ask', target: 'page' },
      { id: 'e4', source: 'ask', target: 'card' },
      { id: 'e5', source: 'post', target: 'join' },
      { id: 'e6', source: 'page', target: 'join' },
      { id: 'e7', source: 'card', target: 'join' },
      { id: 'e8', source: 'join', target: 'reply' },
    ],
  };
}

async function setUp(mode: 'embedded' | 'queue'): Promise<World> {
  if (mode === 'queue') await requireRedis();
  const ai = await startFakes();
  const slack = await startFakeSlack();
  const notion = await startFakeNotion();
  const trello = await startFakeTrello();
  const queueName = mode === 'queue' ? testQueueName('int-e2e') : undefined;
  const t = await createTestApp('postgres', {
    KEYFLOW_OPENAI_BASE_URL: ai.baseUrls.openai,
    KEYFLOW_SLACK_BASE_URL: slack.apiUrl,
    KEYFLOW_NOTION_BASE_URL: notion.url,
    KEYFLOW_TRELLO_BASE_URL: trello.url,
    ...(queueName ? { REDIS_URL: redisUrl, KEYFLOW_QUEUE_NAME: queueName, KEYFLOW_INLINE_RUNS: '0' } : {}),
  });
  slack.tokens.set(SLACK_TOKEN, ['chat:write', 'channels:read']);
  slack.channels = [{ id: 'C0E2E', name: 'requests', is_member: true }];
  notion.addToken(NOTION_SECRET);
  const { databaseId } = notion.addDatabase('Requests', [
    { name: 'Name', type: 'title' },
    { name: 'Priority', type: 'select', options: ['low', 'high'] },
  ]);
  const trelloToken = addFakeToken(trello);
  const listId = trello.lists[0]!.id;
  const user = await t.signup();
  const bodies: string[] = [];
  const w: World = { t, ai, slack, notion, trello, trelloToken, databaseId, listId, user, hookPath: '', credentialIds: {} as World['credentialIds'], bodies, ...(queueName ? { queueName } : {}) };

  const secrets = { openai: OPENAI_KEY, slack: SLACK_TOKEN, notion: NOTION_SECRET, trello: `${trelloToken.key}:${trelloToken.token}` } as const;
  for (const [provider, secret] of Object.entries(secrets) as [keyof typeof secrets, string][]) {
    const res = await api<{ id: string }>(w, 'POST', '/api/credentials', { provider, label: `${provider} (e2e)`, secret });
    expect(res.status, `creating the ${provider} credential`).toBe(201);
    w.credentialIds[provider] = res.body.id;
  }
  const wf = await api<{ id: string }>(w, 'POST', '/api/workflows', { name: 'Triage requests', graph: graph(databaseId, listId) });
  expect(wf.status).toBe(201);
  expect((await api(w, 'POST', `/api/workflows/${wf.body.id}/activate`)).status).toBe(200);
  const hooks = await api<{ url: string }[]>(w, 'GET', `/api/workflows/${wf.body.id}/webhooks`);
  w.hookPath = new URL(hooks.body[0]!.url).pathname;
  return w;
}

async function tearDown(w: World | undefined): Promise<void> {
  if (!w) return;
  await w.t.close();
  await Promise.all([w.ai.close(), w.slack.close(), w.notion.close(), w.trello.close()]);
  if (w.queueName) await dropQueue(w.queueName);
}

async function api<T>(w: World, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await w.t.request(method, path, { token: w.user.token, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  w.bodies.push(text);
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function finished(w: World, runId: string): Promise<Run> {
  for (let i = 0; i < 500; i++) {
    const { body: run } = await api<Run>(w, 'GET', `/api/runs/${runId}`);
    if (['succeeded', 'failed', 'cancelled'].includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`run ${runId} did not finish`);
}

const TRIGGER = { customer: 'Acme', request: 'Please open the beta to our team', priority: 'high' };
const SLACK_TEXT = `New request from Acme: ${ANSWER}`;

/** The whole scenario, asserted end to end; `w` is the world of one mode. */
async function runScenario(w: World): Promise<void> {
  w.ai.servers.openai.enqueue({ text: ANSWER });
  const res = await w.t.app.request(w.hookPath, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TRIGGER) });
  const replyText = await res.text();
  expect(res.status, replyText).toBe(201);
  const runId = res.headers.get('x-keyflow-run-id')!;
  expect(runId).toMatch(/^[0-9a-f-]{36}$/);

  // The AI provider: the owner's key, the rendered prompt.
  const aiCalls = w.ai.servers.openai.requests;
  expect(aiCalls).toHaveLength(1);
  expect(aiCalls[0]!.key).toBe(OPENAI_KEY);
  expect(JSON.stringify(aiCalls[0]!.body)).toContain('Summarise this request in one line: Please open the beta to our team');

  // Slack: one chat.postMessage with the owner's token and the text rendered from the AI answer.
  expect(w.slack.requests.map((r) => r.method)).toEqual(['chat.postMessage']);
  const posted = w.slack.requests[0]!;
  expect(posted.token).toBe(SLACK_TOKEN);
  expect(posted.params.channel).toBe('C0E2E');
  expect(posted.params.text).toBe(SLACK_TEXT);
  expect(w.slack.violations).toEqual([]);

  // Notion: the page, created with the owner's secret, properties converted by the schema and the
  // AI answer's markdown as rich text (bold kept). Only the calls the node needs went out.
  const created = w.notion.requests.filter((r) => r.method === 'POST' && r.path === '/v1/pages');
  expect(created).toHaveLength(1);
  for (const r of w.notion.requests) expect(r.headers.authorization).toBe(`Bearer ${NOTION_SECRET}`);
  const page = created[0]!.body as { parent: Record<string, string>; properties: unknown; children: unknown };
  expect(page.properties).toEqual({ Name: { title: [{ type: 'text', text: { content: 'Request from Acme' } }] }, Priority: { select: { name: 'high' } } });
  expect(page.children).toEqual([
    { object: 'block', type: 'heading_2', heading_2: { rich_text: [{ type: 'text', text: { content: 'Summary' } }] } },
    {
      object: 'block',
      type: 'paragraph',
      paragraph: {
        rich_text: [
          { type: 'text', text: { content: 'Ship the ' } },
          { type: 'text', text: { content: 'beta' }, annotations: { bold: true } },
          { type: 'text', text: { content: ' to Acme on Friday' } },
        ],
      },
    },
  ]);
  const pageId = [...w.notion.pages.keys()].at(-1)!;

  // Trello: one card on the list, authenticated with the owner's key and token.
  const cardCalls = w.trello.requests.filter((r) => r.method === 'POST' && r.path === '/1/cards');
  expect(cardCalls).toHaveLength(1);
  const cardCall = cardCalls[0]!;
  const sent = { ...cardCall.query, ...(cardCall.body ? (JSON.parse(cardCall.body) as Record<string, string>) : {}) };
  expect(sent).toMatchObject({ key: w.trelloToken.key, token: w.trelloToken.token, idList: w.listId, name: 'Acme: Please open the beta to our team', desc: ANSWER });
  expect(w.trello.cards).toHaveLength(1);
  const card = w.trello.cards[0]!;
  expect(card).toMatchObject({ idList: w.listId, name: 'Acme: Please open the beta to our team', desc: ANSWER });

  // The webhook's answer: the respond node's body, from every branch's output.
  const { slackTs } = JSON.parse(replyText) as { slackTs: string };
  expect(JSON.parse(replyText)).toEqual({ summary: ANSWER, slackTs: expect.stringMatching(/^\d+\.\d+$/), notionUrl: `https://www.notion.so/${pageId.replace(/-/g, '')}`, trelloUrl: card.url });

  // The run's steps: one attempt each, in a valid order, outputs as the nodes promise, no secret.
  const run = await finished(w, runId);
  expect(run.status).toBe('succeeded');
  expect(run.steps.map((s) => s.nodeId).sort()).toEqual(['ask', 'card', 'hook', 'join', 'page', 'post', 'reply']);
  for (const s of run.steps) expect(s, s.nodeId).toMatchObject({ status: 'succeeded', attempt: 1, error: null });
  const order = run.steps.map((s) => s.nodeId);
  for (const branch of ['post', 'page', 'card']) {
    expect(order.indexOf(branch)).toBeGreaterThan(order.indexOf('ask'));
    expect(order.indexOf(branch)).toBeLessThan(order.indexOf('join'));
  }
  const out = Object.fromEntries(run.steps.map((s) => [s.nodeId, s.output])) as Record<string, unknown>;
  expect(out.ask).toMatchObject({ text: ANSWER, provider: 'openai' });
  expect(out.post).toEqual({ channel: 'C0E2E', ts: slackTs });
  expect(out.page).toEqual({ id: pageId, url: `https://www.notion.so/${pageId.replace(/-/g, '')}` });
  // trello.create_card answers more than the pinned { id, url }: the card as Trello stored it.
  expect(out.card).toEqual({ id: card.id, url: card.url, shortUrl: card.shortUrl, name: card.name, listId: w.listId, boardId: card.idBoard, due: null, labelIds: [], memberIds: [], closed: false });
  expect(out.join).toEqual({ post: out.post, page: out.page, card: out.card });

  // No secret in anything the owner got back, nor in the rows the run left.
  const everything = [...w.bodies, replyText, JSON.stringify(run)].join('\n');
  const stored = JSON.stringify(await w.t.db.db.selectFrom('run_steps').selectAll().where('run_id', '=', runId).execute());
  for (const secret of [OPENAI_KEY, SLACK_TOKEN, NOTION_SECRET, w.trelloToken.token, w.trelloToken.key]) {
    expect(everything.includes(secret), 'a secret in an API response').toBe(false);
    expect(stored.includes(secret), 'a secret in run_steps').toBe(false);
  }
}

function clearFakes(w: World): void {
  w.ai.reset();
  w.slack.requests.length = 0;
  w.notion.requests.length = 0;
  w.trello.requests.length = 0;
  w.trello.cards.length = 0;
  w.bodies.length = 0;
}

describe('webhook → AI → Slack + Notion + Trello → merge → respond (embedded)', () => {
  let w: World | undefined;
  beforeAll(async () => {
    w = await setUp('embedded');
  });
  afterAll(() => tearDown(w));
  beforeEach(() => clearFakes(w!));

  it("runs with the owner's credentials and sends each service the text rendered from the AI answer", async () => {
    await runScenario(w!);
  });
});

describe('webhook → AI → Slack + Notion + Trello → merge → respond (queue mode)', () => {
  let w: World | undefined;
  beforeAll(async () => {
    w = await setUp('queue');
  });
  afterAll(() => tearDown(w));
  beforeEach(() => clearFakes(w!));

  it('does the same when the run goes through BullMQ', async () => {
    await runScenario(w!);
    // The run really went through this test's queue (KEYFLOW_INLINE_RUNS=0: no inline shortcut):
    // BullMQ's job id counter moved (an inline run leaves no such key).
    const jobsAdded = execFileSync('redis-cli', ['-u', redisUrl, 'GET', `bull:${w!.queueName}:id`], { encoding: 'utf8' }).trim();
    expect(Number(jobsAdded)).toBeGreaterThanOrEqual(1);
  });
});
