// Notion through the whole product: a credential stored with the credentials API, the operator's
// KEYFLOW_NOTION_BASE_URL pointing at the fake, a workflow creating a page with the owner's
// secret and the rendered expressions, health from users.me, and the editor's option lists.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeNotion, type FakeNotion } from '@keyflow/nodes/testing/fake-notion';
import { createTestApp, type TestApp } from './support.ts';

const SECRET = `ntn_${'c3'.repeat(20)}`;
let notion: FakeNotion;
let t: TestApp;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
let databaseId: string;
const bodies: string[] = [];

beforeAll(async () => {
  notion = await startFakeNotion();
  t = await createTestApp('postgres', { KEYFLOW_NOTION_BASE_URL: notion.url });
  alice = await t.signup();
  bob = await t.signup();
  databaseId = notion.addDatabase('Leads', [
    { name: 'Name', type: 'title' },
    { name: 'Score', type: 'number' },
    { name: 'Stage', type: 'status', options: ['New', 'Won'] },
  ]).databaseId;
});
afterAll(async () => {
  await t.close();
  await notion.close();
  // The secret never left in any response body.
  expect(bodies.some((b) => b.includes(SECRET))).toBe(false);
});
beforeEach(async () => {
  notion.tokens.clear();
  notion.addToken(SECRET);
  notion.requests.length = 0;
  await t.db.db.deleteFrom('credentials').execute();
});

async function api<T>(method: string, path: string, who = alice, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await t.request(method, path, { token: who.token, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
async function addNotion(): Promise<string> {
  const r = await api<{ id: string }>('POST', '/api/credentials', alice, { provider: 'notion', label: 'Acme Notion', secret: SECRET });
  expect(r.status).toBe(201);
  return r.body.id;
}
type Step = { nodeId: string; status: string; output: unknown; error?: { message: string; retryable: boolean } };

async function runCreatePage(config: Record<string, unknown>) {
  const graph = {
    nodes: [
      { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
      { id: 'page', type: 'notion.create_page', version: 1, config: { databaseId, ...config }, position: { x: 0, y: 0 } },
    ],
    edges: [{ id: 'e', source: 'start', target: 'page' }],
  };
  const wf = await api<{ id: string }>('POST', '/api/workflows', alice, { name: 'lead', graph });
  expect(wf.status).toBe(201);
  const started = await api<{ runId: string }>('POST', `/api/workflows/${wf.body.id}/run`, alice, { payload: { name: 'Ada', score: 7 } });
  for (let i = 0; i < 300; i++) {
    const run = await api<{ status: string; steps: Step[] }>('GET', `/api/runs/${started.body.runId}`);
    if (['succeeded', 'failed'].includes(run.body.status)) return run.body;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('run did not finish');
}

describe('notion.create_page in a workflow', () => {
  it("creates the page with the owner's secret and the rendered properties and content", async () => {
    await addNotion();
    const run = await runCreatePage({ properties: { Name: 'Lead {{ $trigger.name }}', Score: '{{ $trigger.score }}', Stage: 'New' }, content: '# Hello {{ $trigger.name }}\n\n- scored **{{ $trigger.score }}**' });
    expect(run.status).toBe('succeeded');
    const step = run.steps.find((s) => s.nodeId === 'page')!;
    const created = notion.requests.find((r) => r.method === 'POST' && r.path === '/v1/pages')!;
    expect(created.headers.authorization).toBe(`Bearer ${SECRET}`);
    const body = created.body as { properties: Record<string, unknown>; children: unknown[] };
    expect(body.properties).toEqual({ Name: { title: [{ type: 'text', text: { content: 'Lead Ada' } }] }, Score: { number: 7 }, Stage: { status: { name: 'New' } } });
    expect(body.children).toEqual([
      { object: 'block', type: 'heading_1', heading_1: { rich_text: [{ type: 'text', text: { content: 'Hello Ada' } }] } },
      { object: 'block', type: 'bulleted_list_item', bulleted_list_item: { rich_text: [{ type: 'text', text: { content: 'scored ' } }, { type: 'text', text: { content: '7' }, annotations: { bold: true } }] } },
    ]);
    const [pageId] = [...notion.pages.keys()].slice(-1);
    expect(step.output).toEqual({ id: pageId, url: `https://www.notion.so/${pageId!.replace(/-/g, '')}` });
    expect(JSON.stringify(run)).not.toContain(SECRET);
  });

  it('a revoked secret fails the step without retry and marks the credential invalid', async () => {
    const id = await addNotion();
    notion.tokens.clear();
    const run = await runCreatePage({ properties: { Name: 'x' } });
    expect(run.status).toBe('failed');
    const failed = run.steps.filter((s) => s.nodeId === 'page');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatchObject({ retryable: false, message: expect.stringContaining(`Notion rejected credential ${id} (API token is invalid.)`) });
    const conns = await api<{ items: { id: string; status: string; lastError: string | null }[] }>('GET', '/api/connections');
    expect(conns.body.items.find((c) => c.id === id)).toMatchObject({ status: 'invalid', lastError: expect.stringContaining('API token is invalid') });
  });
});

describe('Notion health and options', () => {
  it('POST /api/credentials/:id/test calls users.me', async () => {
    const id = await addNotion();
    const ok = await api<{ status: string; message: string }>('POST', `/api/credentials/${id}/test`);
    expect(ok.body).toMatchObject({ status: 'valid', message: 'connected as Fake workspace / Keyflow test bot' });
    expect(notion.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/users/me']);
  });

  it("serves the databases and a database's properties to their owner only", async () => {
    const id = await addNotion();
    const dbs = await api<{ items: { value: string; label: string; meta: Record<string, unknown> }[] }>('GET', `/api/nodes/notion.create_page/options/databases?credentialId=${id}`);
    expect(dbs.status).toBe(200);
    expect(dbs.body.items).toEqual([{ value: expect.any(String), label: 'Leads', meta: { databaseId } }]);
    const props = await api<{ items: { value: string; label: string; meta: Record<string, unknown> }[] }>('GET', `/api/nodes/notion.create_page/options/properties?credentialId=${id}&databaseId=${databaseId}`);
    expect(props.body.items.map((i) => i.label)).toEqual(['Name (title)', 'Score (number)', 'Stage (status)']);
    expect(props.body.items[2]!.meta).toMatchObject({ type: 'status', options: 'New, Won' });
    expect((await api('GET', `/api/nodes/notion.create_page/options/properties?credentialId=${id}`)).status).toBe(400);
    expect((await api('GET', `/api/nodes/notion.create_page/options/databases?credentialId=${id}`, bob)).status).toBe(404);
  });
});
