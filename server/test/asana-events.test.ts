// Asana through the real server and engine, with the fake Asana as KEYFLOW_ASANA_BASE_URL:
// connecting a token, the option lists, activation creating the webhook whose X-Hook-Secret
// handshake stores the signing secret (encrypted, owner-scoped, only during activation),
// X-Hook-Signature checked over the raw body, duplicates dropped, and the run that follows
// creates a task with the owner's token, which appears in no step row.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFakeToken, allSpecProblems, startFakeAsana, type FakeAsana, type FakeToken } from '@keyflow/nodes/testing/fake-asana';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let fake: FakeAsana;
let owner: FakeToken;
let token: string;

beforeAll(async () => {
  fake = await startFakeAsana();
  // Asana POSTs the handshake to the callback: here, through the app itself.
  fake.deliverTo = async (url, init) => {
    const res = await t.app.request(new URL(url).pathname, { method: 'POST', headers: init.headers, body: init.body });
    return { status: res.status, headers: res.headers, body: await res.text() };
  };
  owner = addFakeToken(fake);
  t = await createTestApp('postgres', { KEYFLOW_ASANA_BASE_URL: fake.url });
  token = (await t.signup()).token;
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

const pos = { x: 0, y: 0 };
const project = () => fake.projects[0]!.gid;
const graph = () => ({
  nodes: [
    { id: 'asana', type: 'asana.event', version: 1, config: { projectId: project(), resourceTypes: ['task'], actions: ['added'] }, position: pos },
    { id: 'task', type: 'asana.create_task', version: 1, config: { projectId: fake.projects[1]!.gid, name: 'Follow up {{ $node["asana"].output.events[0].resource.gid }}', notes: 'from **Asana**' }, position: pos },
  ],
  edges: [{ id: 'e', source: 'asana', target: 'task' }],
});

const added = (gid: string, at = new Date().toISOString()) => ({ action: 'added', created_at: at, user: { gid: fake.users[0]!.gid, resource_type: 'user' }, resource: { gid, resource_type: 'task', resource_subtype: 'default_task' }, parent: { gid: project(), resource_type: 'project' } });

let wf: string;
let hookUrl: string;
let credentialId: string;

async function waitForRun(runId: string): Promise<{ status: string; steps: { nodeId: string; status: string; output: unknown; error: unknown }[] }> {
  for (let i = 0; i < 200; i++) {
    const run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as { status: string; steps: { nodeId: string; status: string; output: unknown; error: unknown }[] };
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('run did not finish');
}

const signed = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');
const post = (body: string, headers: Record<string, string>) => t.app.request(new URL(hookUrl).pathname, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('asana on the server', () => {
  it('connects a personal access token: the test runs users/me against KEYFLOW_ASANA_BASE_URL; connections list it', async () => {
    const cred = await t.request('POST', '/api/credentials', { token, body: { provider: 'asana', label: 'Ada', secret: owner.token } });
    expect(cred.status).toBe(201);
    credentialId = ((await cred.json()) as { id: string }).id;
    fake.requests.length = 0;
    const tested = (await (await t.request('POST', `/api/credentials/${credentialId}/test`, { token })).json()) as { status: string; message: string };
    expect(tested).toMatchObject({ status: 'valid', message: 'connected as Acme / Ada Lovelace' });
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/users/me' });
    const conns = ((await (await t.request('GET', '/api/connections', { token })).json()) as { items: { id: string; service: string; status: string }[] }).items;
    expect(conns.find((c) => c.id === credentialId)).toMatchObject({ service: 'asana', status: 'healthy' });
    expect(JSON.stringify(conns)).not.toContain(owner.token);
  });

  it('serves the option lists for the caller\'s credential only', async () => {
    const get = (path: string, tk = token) => t.request('GET', path, { token: tk });
    const ws = (await (await get(`/api/nodes/asana.create_task/options/workspaces?credentialId=${credentialId}`)).json()) as { items: { value: string; label: string }[] };
    expect(ws.items).toEqual([{ value: fake.workspaces[0]!.gid, label: 'Acme' }]);
    const projects = (await (await get(`/api/nodes/asana.create_task/options/projects?credentialId=${credentialId}&workspaceId=${ws.items[0]!.value}`)).json()) as { items: { label: string }[] };
    expect(projects.items.map((p) => p.label)).toEqual(['Launch', 'Ops']);
    const fields = (await (await get(`/api/nodes/asana.create_task/options/customFields?credentialId=${credentialId}&projectId=${project()}`)).json()) as { items: { value: string }[] };
    expect(fields.items.map((f) => f.value)).toEqual(['Priority', 'Estimate']);
    expect((await get(`/api/nodes/asana.create_task/options/sections?credentialId=${credentialId}`)).status).toBe(400);
    const bob = (await t.signup()).token;
    expect((await get(`/api/nodes/asana.create_task/options/workspaces?credentialId=${credentialId}`, bob)).status).toBe(404);
    expect(allSpecProblems(fake.requests)).toEqual([]);
  });

  it('activation creates the webhook; its handshake stores the secret; a later handshake is refused', async () => {
    wf = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'asana tasks', graph: graph() } })).json()) as { id: string }).id;
    expect((await t.request('POST', `/api/workflows/${wf}/activate`, { token })).status).toBe(200);
    const hooks = (await (await t.request('GET', `/api/workflows/${wf}/webhooks`, { token })).json()) as { nodeId: string; url: string; testUrl: string; signed: boolean }[];
    hookUrl = hooks[0]!.url;
    // The test URL is never registered at Asana: a handshake there is refused.
    const onTest = await t.app.request(new URL(hooks[0]!.testUrl).pathname, { method: 'POST', body: '', headers: { 'x-hook-secret': 'attacker-chosen-secret-0123456789' } });
    expect(onTest.status).toBe(403);
    expect(hooks[0]).toMatchObject({ nodeId: 'asana', signed: true });
    expect(fake.webhooks).toEqual([expect.objectContaining({ resource: project(), target: hookUrl })]);
    // Stored sealed with the owner's key, never as the plain secret.
    const row = await t.db.db.selectFrom('webhooks').select(['signing_ciphertext', 'handshake_until']).where('workflow_id', '=', wf).executeTakeFirstOrThrow();
    expect(row.signing_ciphertext).toBeTruthy();
    expect(row.signing_ciphertext).not.toContain(fake.webhooks[0]!.secret);
    expect(row.handshake_until).toBeNull();
    // Outside an activation, nobody can swap the secret by sending a handshake.
    const hijack = await post('', { 'x-hook-secret': 'attacker-chosen-secret-0123456789' });
    expect(hijack.status).toBe(403);
    expect(hijack.headers.get('x-hook-secret')).toBeNull();
  });

  it('refuses unsigned deliveries and bad signatures', async () => {
    const body = JSON.stringify({ events: [added('1')] });
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body, { 'x-hook-signature': signed('wrong-secret', body) })).status).toBe(401);
    expect((await post(body.replace('"1"', '"2"'), { 'x-hook-signature': signed(fake.webhooks[0]!.secret, body) })).status).toBe(401);
  });

  it('a signed event starts one run that creates a task with the owner\'s token; the same delivery again starts none', async () => {
    fake.requests.length = 0;
    const events = [added('1209999999999001')];
    const first = await fake.deliver(fake.webhooks[0]!.gid, events);
    expect(first.status).toBe(202);
    const { runId } = JSON.parse(first.body) as { runId: string };
    const again = await fake.deliver(fake.webhooks[0]!.gid, events);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ status: 'duplicate' });

    const run = await waitForRun(runId);
    expect(run.status).toBe('succeeded');
    const created = fake.tasks.filter((x) => x.name === 'Follow up 1209999999999001');
    expect(created).toHaveLength(1);
    expect(created[0]!.html_notes).toBe('<body>from <strong>Asana</strong></body>');
    expect(run.steps.find((s) => s.nodeId === 'task')!.output).toMatchObject({ gid: created[0]!.gid });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /tasks']);
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${owner.token}`);
    expect(JSON.stringify(run)).not.toContain(owner.token);
  });

  it('a heartbeat and filtered events start nothing', async () => {
    expect(JSON.parse((await fake.deliver(fake.webhooks[0]!.gid, [])).body)).toMatchObject({ status: 'ignored' });
    const changed = { ...added('1209999999999002'), action: 'changed' };
    expect(JSON.parse((await fake.deliver(fake.webhooks[0]!.gid, [changed])).body)).toMatchObject({ status: 'ignored' });
  });

  it('deactivation deletes the Asana webhook; activating again makes a new handshake and secret', async () => {
    const oldSecret = fake.webhooks[0]!.secret;
    expect((await t.request('POST', `/api/workflows/${wf}/deactivate`, { token })).status).toBe(200);
    expect(fake.webhooks).toEqual([]);
    expect((await t.request('POST', `/api/workflows/${wf}/activate`, { token })).status).toBe(200);
    expect(fake.webhooks).toHaveLength(1);
    expect(fake.webhooks[0]!.secret).not.toBe(oldSecret);
    const res = await fake.deliver(fake.webhooks[0]!.gid, [added('1209999999999003')]);
    expect(res.status).toBe(202);
    const body = JSON.stringify({ events: [added('1209999999999004')] });
    expect((await post(body, { 'x-hook-signature': signed(oldSecret, body) })).status).toBe(401);
  });

  it('activation without a credential fails naming it and leaves the workflow inactive', async () => {
    const other = await t.signup();
    const id = ((await (await t.request('POST', '/api/workflows', { token: other.token, body: { name: 'no token', graph: graph() } })).json()) as { id: string }).id;
    const act = await t.request('POST', `/api/workflows/${id}/activate`, { token: other.token });
    expect(act.status).toBe(409);
    expect(await act.text()).toContain('no asana credential: connect Asana first');
  });
});
