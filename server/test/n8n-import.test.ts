// POST /api/workflows/import/n8n through the product: real corpus exports → graph + report,
// saved with the ordinary API and run against a local fake; placeholders block activation
// and fail a run by name; hostile bodies get a 422 naming the field.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

const fixture = (name: string) => readFileSync(new URL(`../../engine/src/import/n8n/fixtures/${name}`, import.meta.url), 'utf8');

type Report = { nodes: { name: string; n8nType: string; keyflowType: string | null; status: string; reason?: string }[]; credentialsToConnect: { node: string; n8nCredentialType: string }[]; expressions: { translated: number; kept: number }; warnings: string[] };
type ErrorBody = { error: { code: string; message: string; issues?: { path: unknown[]; message: string }[] } };

// An OpenAI-compatible chat endpoint on loopback, as the DaoXE export calls.
const seen: unknown[] = [];
let fake: Server;
let fakeUrl: string;
let t: TestApp;
let token: string;

beforeAll(async () => {
  fake = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as { model: string; messages: { role: string; content: string }[] };
      seen.push(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'c1', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: `answer to: ${body.messages.at(-1)!.content}` } }] }));
    });
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  t = await createTestApp('pglite', { KEYFLOW_HTTP_ALLOW: '127.0.0.1' });
  token = (await t.signup()).token;
});
afterAll(async () => {
  await t.close();
  await new Promise((r) => fake.close(r));
});

async function importText(text: string) {
  return t.request('POST', '/api/workflows/import/n8n', { token, rawBody: text });
}

async function importAndSave(text: string, name: string) {
  const res = await importText(text);
  expect(res.status).toBe(200);
  const { graph, report } = (await res.json()) as { graph: unknown; report: Report };
  const saved = await t.request('POST', '/api/workflows', { token, body: { name, graph } });
  expect(saved.status, await saved.clone().text()).toBe(201);
  return { id: ((await saved.json()) as { id: string }).id, graph, report };
}

async function runToEnd(workflowId: string, payload: unknown = {}) {
  const res = await t.request('POST', `/api/workflows/${workflowId}/run`, { token, body: { payload } });
  expect(res.status).toBe(202);
  const { runId } = (await res.json()) as { runId: string };
  let run = { status: 'queued', steps: [] as { nodeId: string; status: string; output: unknown; error: unknown }[] };
  for (let i = 0; i < 400 && !['succeeded', 'failed'].includes(run.status); i++) {
    await new Promise((r) => setTimeout(r, 25));
    run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as typeof run;
  }
  return run;
}

describe('POST /api/workflows/import/n8n', () => {
  it('needs a signed-in user', async () => {
    const res = await t.request('POST', '/api/workflows/import/n8n', { body: { nodes: [], connections: {} } });
    expect(res.status).toBe(401);
  });

  it('imports a real export, saves it, and runs it end to end against a local fake', async () => {
    const text = fixture('enc-DaoXE-Multi-Model-Chat-with-Automatic-Fallback.json').replaceAll('https://daoxe.com', fakeUrl);
    const { id, report } = await importAndSave(text, 'DaoXE');
    expect(report.nodes.every((n) => n.status === 'mapped')).toBe(true);
    expect(report.expressions.kept).toBe(0);
    const run = await runToEnd(id);
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    // The JSON body template rendered from the Set node's fields, as n8n would have sent it.
    expect(seen.at(-1)).toMatchObject({ model: 'YOUR_DAOXE_MODEL_ID', messages: [{ role: 'system', content: 'You are a concise, helpful assistant. Answer in plain text.' }, { role: 'user', content: expect.stringMatching(/blog-post titles/) }] });
    const answer = run.steps.find((s) => s.nodeId === 'Answer_primary');
    expect(answer?.output).toMatchObject({ answer: expect.stringMatching(/^answer to: Give me three punchy/), served_model: 'YOUR_DAOXE_MODEL_ID', via: 'primary' });
    // No placeholder: activation is allowed.
    expect((await t.request('POST', `/api/workflows/${id}/activate`, { token })).status).toBe(200);
  });

  it('a workflow with placeholders saves, fails a run at the placeholder by name, and is refused activation naming it', async () => {
    const raw = JSON.stringify({ nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} }, { name: 'Tell Discord', type: 'n8n-nodes-base.discord', parameters: { text: '={{ $json.x }}' } }], connections: { Start: { main: [[{ node: 'Tell Discord', type: 'main', index: 0 }]] } } });
    const { id, report } = await importAndSave(raw, 'discord');
    expect(report.nodes.find((n) => n.name === 'Tell Discord')).toMatchObject({ status: 'placeholder', keyflowType: null, reason: 'Keyflow has no counterpart for n8n-nodes-base.discord' });
    const run = await runToEnd(id, { body: { events: [] } });
    expect(run.status).toBe('failed');
    expect(JSON.stringify(run.steps.find((s) => s.status === 'failed')?.error)).toMatch(/placeholder for n8n-nodes-base\.discord/);
    const res = await t.request('POST', `/api/workflows/${id}/activate`, { token });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.message).toMatch(/placeholder.*'Tell Discord' \(n8n-nodes-base\.discord\)/);
    expect(((await (await t.request('GET', `/api/workflows/${id}`, { token })).json()) as { active: boolean }).active).toBe(false);
  });

  it('reports what mapped, what did not and why, the credentials to connect, and never a credential id', async () => {
    const res = await importText(fixture('enc-Daily-meetings-summarization-with-Gemini-AI.json'));
    expect(res.status).toBe(200);
    const text = await res.text();
    const { report } = JSON.parse(text) as { report: Report };
    expect(report.nodes.find((n) => n.n8nType.endsWith('googleCalendarTool'))).toMatchObject({ status: 'placeholder', reason: expect.any(String) });
    expect(report.credentialsToConnect.length).toBeGreaterThan(0);
    const source = JSON.parse(fixture('enc-Daily-meetings-summarization-with-Gemini-AI.json')) as { nodes: { credentials?: Record<string, { id?: string }> }[] };
    for (const n of source.nodes) for (const c of Object.values(n.credentials ?? {})) if (c.id) expect(text).not.toContain(c.id);
  });

  it.each([
    ['a __proto__ key inside parameters, as raw text', '{"nodes":[{"name":"A","type":"n8n-nodes-base.manualTrigger","parameters":{"__proto__":{"polluted":"yes"}}}],"connections":{}}', ['body', 'nodes', 0, 'parameters', '__proto__'], /not allowed/],
    ['a node without a type', '{"nodes":[{"name":"A"}],"connections":{}}', ['body', 'nodes', 0, 'type'], /string/],
    ['a connection to a missing node', '{"nodes":[{"name":"A","type":"n8n-nodes-base.manualTrigger"}],"connections":{"A":{"main":[[{"node":"Ghost","type":"main","index":0}]]}}}', ['body', 'connections', 'A', 'main', 0, 0, 'node'], /Ghost/],
    ['an unknown top-level key', '{"nodes":[],"connections":{},"ownerId":"x"}', ['body'], /ownerId/],
  ])('answers 422 naming the field for %s, polluting nothing', async (_what, raw, path, message) => {
    const res = await importText(raw);
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.issues!.some((i) => JSON.stringify(i.path) === JSON.stringify(path) && message.test(i.message)), JSON.stringify(body)).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a real export with a Code node maps it to core.code (now on main)', async () => {
    const res = await importText(fixture('enc-Claude-AI-LINE-Chatbot.json'));
    const { report } = (await res.json()) as { report: Report };
    expect(report.nodes.find((n) => n.n8nType === 'n8n-nodes-base.code')).toMatchObject({ status: 'mapped', keyflowType: 'core.code' });
    expect(report.nodes.every((n) => n.status === 'mapped')).toBe(true);
  });

  it('names with {{ }} stay text: the graph stores them and nothing is evaluated', async () => {
    const raw = JSON.stringify({ nodes: [{ name: '{{ $env.SECRET }}', type: 'n8n-nodes-base.manualTrigger', parameters: {} }, { name: 'Echo {{ 1 + 1 }}', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { assignments: { assignments: [{ name: 'a', value: 'literal {{ 1 + 1 }}', type: 'string' }] } } }], connections: { '{{ $env.SECRET }}': { main: [[{ node: 'Echo {{ 1 + 1 }}', type: 'main', index: 0 }]] } } });
    const { id } = await importAndSave(raw, 'names');
    const run = await runToEnd(id);
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((s) => s.nodeId === 'Echo_1_1')?.output).toEqual({ a: 'literal {{ 1 + 1 }}' });
  });
});
