// Hosted triggers over HTTP: the form (core.form) and the chat (core.chat) Keyflow serves at a
// trigger's webhook URL — rendering, CSP, server-side validation, runs, CORS, isolation, limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STYLE_SOURCE } from '../src/http/hosted-pages.ts';
import { CHAT_SCRIPT_PATH } from '../src/http/chat-script.ts';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let token: string;
const RATE = 25;
beforeAll(async () => {
  t = await createTestApp('postgres', { KEYFLOW_BODY_LIMIT_BYTES: '65536', KEYFLOW_WEBHOOK_RATE_PER_MINUTE: String(RATE), KEYFLOW_PUBLIC_URL: 'http://keyflow.test' });
  token = (await t.signup()).token;
});
afterAll(() => t.close());

const pos = { x: 0, y: 0 };
const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const fields = [
  { label: `Name ${HOSTILE}`, name: 'name', type: 'text', required: true },
  { label: 'Email', name: 'email', type: 'email', required: true },
  { label: 'Age', name: 'age', type: 'number' },
  { label: 'Role', name: 'role', type: 'select', options: ['Engineer', `Chef "${HOSTILE}`] },
  { label: 'Agree', name: 'agree', type: 'checkbox' },
];
function formGraph(config: Record<string, unknown> = {}, extra: { nodes: unknown[]; edges: unknown[] } = { nodes: [], edges: [] }) {
  return { nodes: [{ id: 'form', type: 'core.form', version: 1, config: { title: `Apply ${HOSTILE}`, description: 'Tell us\nabout you', fields, ...config }, position: pos }, ...extra.nodes], edges: extra.edges };
}
function chatGraph(reply: 'respond' | 'last') {
  const shape = { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'text', value: 'You said: {{ $trigger.message }} ({{ $trigger.sessionId }})' }] }, position: pos };
  const respond = { id: 'reply', type: 'core.respond', version: 1, config: { body: '{{ $node["shape"].output.text }}' }, position: pos };
  return {
    nodes: [{ id: 'chat', type: 'core.chat', version: 1, config: { title: `Help ${HOSTILE}`, welcome: `Hi ${HOSTILE}` }, position: pos }, shape, ...(reply === 'respond' ? [respond] : [])],
    edges: [{ id: 'e1', source: 'chat', target: 'shape' }, ...(reply === 'respond' ? [{ id: 'e2', source: 'shape', target: 'reply' }] : [])],
  };
}

async function create(graph: unknown, activate = true, as = token) {
  const res = await t.request('POST', '/api/workflows', { token: as, body: { name: 'hosted', graph } });
  expect(res.status).toBe(201);
  const wf = (await res.json()) as { id: string };
  if (activate) expect((await t.request('POST', `/api/workflows/${wf.id}/activate`, { token: as })).status).toBe(200);
  const hooks = (await (await t.request('GET', `/api/workflows/${wf.id}/webhooks`, { token: as })).json()) as { nodeId: string; url: string; testUrl: string }[];
  const hook = hooks[0]!;
  return { id: wf.id, nodeId: hook.nodeId, url: hook.url, path: new URL(hook.url).pathname, testPath: new URL(hook.testUrl).pathname };
}

const postForm = (path: string, body: Record<string, string> | URLSearchParams) =>
  t.app.request(`http://keyflow.test${path}`, { method: 'POST', body: body instanceof URLSearchParams ? body.toString() : new URLSearchParams(body).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const postChat = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.app.request(`http://keyflow.test${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', origin: 'null', ...headers } });

async function finishedRun(runId: string) {
  for (let i = 0; i < 200; i++) {
    const run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as { status: string; trigger: string; triggerPayload: unknown; steps: { nodeId: string; output: unknown }[] };
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`run ${runId} did not finish`);
}

describe('core.form', () => {
  it('renders the form from its config with every value escaped, under the form CSP', async () => {
    const form = await create(formGraph());
    expect(form.path).toMatch(/^\/hooks\/[A-Za-z0-9_-]{32}$/);
    const res = await t.app.request(`http://keyflow.test${form.path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(
      `sandbox allow-forms; default-src 'none'; style-src ${STYLE_SOURCE}; form-action http://keyflow.test${form.path}; base-uri 'none'; frame-ancestors 'none'`,
    );
    const html = await res.text();
    expect(html).not.toMatch(/<script|<img|onerror=alert\(2\)>/i);
    expect(html).toContain('Name &#60;script&#62;alert(1)&#60;/script&#62;&#60;img src=x onerror=alert(2)&#62;');
    expect(html).toContain(`<option value="Chef &#34;&#60;script&#62;`);
    expect(html).toContain(`<form method="post" action="${form.path}"`);
    expect(html).toMatch(/<input type="email" id="kf-f1" name="email" required>/);
    expect(html).toContain('<input type="checkbox" id="kf-f4" name="agree">');
  });

  it('refuses a submission missing a required field or with a bad value: 422, naming the fields, values kept (escaped)', async () => {
    const form = await create(formGraph());
    const before = (await t.db.db.selectFrom('runs').select('id').where('workflow_id', '=', form.id).execute()).length;
    const res = await postForm(form.path, { name: `Ada ${HOSTILE}`, email: 'not-an-email', age: 'forty', role: 'Pirate' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox allow-forms; default-src 'none';/);
    const html = await res.text();
    expect(html).toContain('Email must be an email address');
    expect(html).toContain('Age must be a number');
    expect(html).toContain('Role must be one of the listed options');
    expect(html).toContain('value="Ada &#60;script&#62;');
    expect(html).not.toMatch(/<script|<img/i);
    const missing = await postForm(form.path, { email: 'ada@example.com' });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('is required');
    expect((await t.db.db.selectFrom('runs').select('id').where('workflow_id', '=', form.id).execute()).length).toBe(before);
  });

  it('starts a run with the checked fields as $trigger.fields and shows the thank-you message', async () => {
    const form = await create(formGraph({ message: 'Thanks <b>you</b>' }));
    const res = await postForm(form.path, { name: '  Ada  ', email: 'ada@example.com', age: '36', role: 'Engineer', agree: 'on', injected: '{{ $run.id }}' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Thanks &#60;b&#62;you&#60;/b&#62;');
    const run = await finishedRun(res.headers.get('x-keyflow-run-id')!);
    expect(run.status).toBe('succeeded');
    expect(run.trigger).toBe('webhook');
    const output = run.steps.find((s) => s.nodeId === 'form')!.output as { fields: unknown; submittedAt: string };
    expect(output.fields).toEqual({ name: 'Ada', email: 'ada@example.com', age: 36, role: 'Engineer', agree: true });
    expect(Date.parse(output.submittedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('takes multipart/form-data too', async () => {
    const form = await create(formGraph());
    const data = new FormData();
    data.set('name', 'Grace');
    data.set('email', 'grace@example.com');
    const res = await t.app.request(`http://keyflow.test${form.path}`, { method: 'POST', body: data });
    expect(res.status).toBe(200);
    const run = await finishedRun(res.headers.get('x-keyflow-run-id')!);
    expect((run.triggerPayload as { fields: unknown }).fields).toEqual({ name: 'Grace', email: 'grace@example.com', age: null, role: null, agree: false });
    const json = await t.app.request(`http://keyflow.test${form.path}`, { method: 'POST', body: '{"name":"x"}', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(422);
    expect(((await json.json()) as { error: { issues: { path: string[] }[] } }).error.issues[0]!.path).toEqual(['headers', 'content-type']);
  });

  it('in "respond" mode shows the Respond node answer, sandboxed as any webhook answer', async () => {
    const respond = { id: 'reply', type: 'core.respond', version: 1, config: { status: 200, headers: { 'content-type': 'text/html' }, body: '<p>Hello {{ $trigger.fields.name }}</p>' }, position: pos };
    const form = await create(formGraph({ respondWith: 'respond', timeoutMs: 5000 }, { nodes: [respond], edges: [{ id: 'e', source: 'form', target: 'reply' }] }));
    const res = await postForm(form.path, { name: 'Ada', email: 'ada@example.com' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<p>Hello Ada</p>');
    expect(res.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
  });

  it('answers 404 for an unknown form and for an inactive workflow production URL; the test URL runs the draft', async () => {
    expect((await t.app.request('http://keyflow.test/hooks/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    const form = await create(formGraph(), false);
    expect((await t.app.request(`http://keyflow.test${form.path}`)).status).toBe(404);
    const page = await t.app.request(`http://keyflow.test${form.testPath}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`form-action http://keyflow.test${form.testPath};`);
    expect(await page.text()).toContain(`action="${form.testPath}"`);
    const res = await postForm(form.testPath, { name: 'Ada', email: 'ada@example.com' });
    expect(res.status).toBe(200);
    expect((await finishedRun(res.headers.get('x-keyflow-run-id')!)).trigger).toBe('test');
  });

  it("another owner cannot read a form's URLs through the API", async () => {
    const form = await create(formGraph());
    const other = await t.signup();
    expect((await t.request('GET', `/api/workflows/${form.id}/webhooks`, { token: other.token })).status).toBe(404);
    const mine = (await (await t.request('GET', `/api/workflows/${form.id}/webhooks`, { token })).json()) as { nodeId: string }[];
    expect(mine.map((h) => h.nodeId)).toEqual(['form']);
  });

  it('takes no webhook signature (nobody filling in a form signs it)', async () => {
    const form = await create(formGraph());
    const res = await t.request('PUT', `/api/workflows/${form.id}/webhooks/form/signature`, { token, body: { preset: 'github', secret: 'a-long-signing-secret-123' } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { issues: { path: string[] }[] } }).error.issues[0]!.path).toEqual(['params', 'nodeId']);
  });

  it('rate-limits the form URL like a webhook', async () => {
    const form = await create(formGraph());
    const statuses: number[] = [];
    for (let i = 0; i < RATE + 3; i++) statuses.push((await t.app.request(`http://keyflow.test${form.path}`)).status);
    expect(statuses.slice(0, RATE).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(RATE)).toEqual([429, 429, 429]);
  });
});

describe('core.chat', () => {
  it('answers a message with the Respond node body, readable cross-origin without credentials', async () => {
    const chat = await create(chatGraph('respond'));
    const res = await postChat(chat.path, { sessionId: 'session-123', message: 'hello <b>' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const body = (await res.json()) as { reply: string; runId: string };
    expect(body.reply).toBe('You said: hello <b> (session-123)');
    const run = await finishedRun(body.runId);
    expect(run.steps.find((s) => s.nodeId === 'chat')!.output).toMatchObject({ sessionId: 'session-123', message: 'hello <b>' });
  });

  it("answers with the last node's output text when there is no Respond node", async () => {
    const chat = await create(chatGraph('last'));
    const res = await postChat(chat.path, { sessionId: 'session-456', message: 'hi' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { reply: string }).reply).toBe('You said: hi (session-456)');
  });

  it('answers the CORS preflight for POST only, without credentials', async () => {
    const chat = await create(chatGraph('respond'));
    const res = await t.app.request(`http://keyflow.test${chat.path}`, { method: 'OPTIONS', headers: { origin: 'null', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('POST');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it.each([
    [{ message: 'hi' }, 'body.sessionId'],
    [{ sessionId: 'short', message: 'hi' }, 'body.sessionId'],
    [{ sessionId: 'session-123', message: '' }, 'body.message'],
    [{ sessionId: 'session-123', message: 'x'.repeat(8001) }, 'body.message'],
    [{ sessionId: 'session-123', message: 'hi', history: [] }, 'body.history'],
  ])('refuses %j with 422 naming %s (still readable by the page)', async (body, field) => {
    const chat = await create(chatGraph('respond'));
    const res = await postChat(chat.path, body);
    expect(res.status).toBe(422);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const issues = ((await res.json()) as { error: { issues: { path: string[] }[] } }).error.issues;
    expect(issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it('serves the chat page with only Keyflow static script, everything else escaped', async () => {
    const chat = await create(chatGraph('respond'));
    const res = await t.app.request(`http://keyflow.test${chat.path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(
      `sandbox allow-scripts; default-src 'none'; script-src http://keyflow.test${CHAT_SCRIPT_PATH}; connect-src http://keyflow.test${chat.path}; style-src ${STYLE_SOURCE}; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`,
    );
    const html = await res.text();
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain(`<script src="${CHAT_SCRIPT_PATH}" crossorigin="anonymous" defer></script>`);
    expect(html).toContain('Hi &#60;script&#62;alert(1)');
    const script = await t.app.request(`http://keyflow.test${CHAT_SCRIPT_PATH}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const text = await script.text();
    expect(text).toContain('textContent');
    expect(text).not.toContain('innerHTML');
  });

  it('a chat URL takes no other method and a form URL no JSON chat message', async () => {
    const chat = await create(chatGraph('respond'));
    expect((await t.app.request(`http://keyflow.test${chat.path}`, { method: 'PUT' })).status).toBe(405);
    const form = await create(formGraph());
    expect((await postChat(form.path, { sessionId: 'session-123', message: 'hi' })).status).toBe(422);
  });
});
