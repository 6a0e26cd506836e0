// Owner isolation, driven by the route registry: every route that takes an id is called by a
// second user with the first user's ids and must answer 404, changing nothing. A new route
// fails this test until it is given an id and (if it takes a body) a sample body here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack } from '@keyflow/nodes/testing/fake-slack';
import { routeRegistry } from '../src/http/route.ts';
import { createTestApp, sampleGraph, type TestApp } from './support.ts';

// Option lists call the service: Alice's Slack credential works against this fake.
const slack = await startFakeSlack();
const SLACK_TOKEN = 'xoxb-isolation-alice-0123456789';
slack.tokens.set(SLACK_TOKEN, ['channels:read', 'users:read']);
slack.channels = [{ id: 'C0001', name: 'secret-plan-room' }];
// Built at import time: the route registry fills as the app is built, and it.each needs it.
const t: TestApp = await createTestApp('postgres', { KEYFLOW_SLACK_BASE_URL: slack.apiUrl });
let alice: { id: string; token: string };
let bob: { id: string; token: string };
const ids: Record<string, string> = {};

beforeAll(async () => {
  alice = await t.signup();
  bob = await t.signup();
  const wf = (await (await t.request('POST', '/api/workflows', { token: alice.token, body: { name: 'Secret plan', graph: sampleGraph() } })).json()) as { id: string };
  await t.request('PUT', `/api/workflows/${wf.id}`, { token: alice.token, body: { graph: sampleGraph('v2'), baseVersion: 1 } });
  ids.workflow = wf.id;
  const tokens = (await (await t.request('GET', '/api/tokens', { token: alice.token })).json()) as { items: { id: string }[] };
  ids.token = tokens.items[0]!.id;
  const cred = await t.request('POST', '/api/credentials', { token: alice.token, body: { provider: 'openai', label: 'Secret plan key', secret: `sk-isolation-${'a'.repeat(24)}` } });
  ids.credential = ((await cred.json()) as { id: string }).id;
  const slackCred = await t.request('POST', '/api/credentials', { token: alice.token, body: { provider: 'slack', label: 'Secret plan Slack', secret: SLACK_TOKEN } });
  ids.slackCredential = ((await slackCred.json()) as { id: string }).id;
  const hookGraph = { nodes: [{ id: 'hook', type: 'core.webhook', version: 1, config: {}, position: { x: 0, y: 0 } }], edges: [] };
  ids.hookWorkflow = ((await (await t.request('POST', '/api/workflows', { token: alice.token, body: { name: 'Secret hook', graph: hookGraph } })).json()) as { id: string }).id;
  const started = (await (await t.request('POST', `/api/workflows/${wf.id}/run`, { token: alice.token, body: { payload: { name: 'Alice' } } })).json()) as { runId: string };
  ids.run = started.runId;
  for (let i = 0; i < 200; i++) {
    const run = (await (await t.request('GET', `/api/runs/${ids.run}`, { token: alice.token })).json()) as { status: string };
    if (run.status === 'succeeded') break;
    await new Promise((r) => setTimeout(r, 25));
  }
});
afterAll(async () => {
  await t.close();
  await slack.close();
});

/** Which of Alice's resources fills `:id` for a path. */
function idFor(path: string): string | undefined {
  if (path.startsWith('/api/workflows/:id/webhooks/:nodeId')) return ids.hookWorkflow;
  if (path.startsWith('/api/workflows/:id')) return ids.workflow;
  if (path.startsWith('/api/runs/:id')) return ids.run;
  if (path.startsWith('/api/tokens/:id')) return ids.token;
  if (path.startsWith('/api/credentials/:id')) return ids.credential;
  if (path.startsWith('/api/connections/:id')) return ids.slackCredential;
  if (path.startsWith('/api/nodes/:type/options/:name')) return ids.slackCredential;
  return undefined;
}

/**
 * Routes whose path parameter names no owner's resource. The OAuth routes take a service id;
 * a state carried to another person's session is refused (server/test/oauth.test.ts).
 */
const notOwnerScoped = new Set(['get /api/oauth/:service/start', 'get /api/oauth/:service/callback']);

/** Routes whose resource goes in the query rather than the path. */
function pathOf(r: { path: string }, id: string): string {
  if (r.path === '/api/nodes/:type/options/:name') return `/api/nodes/slack.post_message/options/channels?credentialId=${id}`;
  return r.path.replace(':id', id).replace(':n', '1').replace(':nodeId', 'hook');
}

const sampleBodies: Record<string, unknown> = {
  'put /api/workflows/:id': { graph: sampleGraph('hijack'), baseVersion: 2 },
  'patch /api/workflows/:id': { name: 'hijacked' },
  'post /api/workflows/:id/activate': { version: 1 },
  'put /api/workflows/:id/webhooks/:nodeId/signature': { preset: 'github', secret: 'a-very-secret-value' },
  'post /api/workflows/:id/run': { payload: { hijack: true } },
  'post /api/runs/:id/rerun': {},
  'patch /api/credentials/:id': { label: 'hijack', secret: `sk-hijack-${'b'.repeat(24)}` },
};

async function snapshot() {
  const db = t.db.db;
  return {
    workflows: await db.selectFrom('workflows').selectAll().where('owner_id', '=', alice.id).execute(),
    versions: await db.selectFrom('workflow_versions').selectAll().where('owner_id', '=', alice.id).orderBy('version').execute(),
    tokens: await db.selectFrom('api_tokens').select(['id', 'name']).where('owner_id', '=', alice.id).execute(),
    credentials: await db.selectFrom('credentials').selectAll().where('owner_id', '=', alice.id).execute(),
    runs: await db.selectFrom('runs').select(['id', 'status', 'cancel_requested']).where('owner_id', '=', alice.id).orderBy('id').execute(),
    webhooks: await db.selectFrom('webhooks').selectAll().where('owner_id', '=', alice.id).execute(),
  };
}

describe('owner isolation', () => {
  const idRoutes = routeRegistry.filter((r) => r.path.includes(':'));

  it('covers at least the workflow and token routes', () => {
    expect(idRoutes.length).toBeGreaterThanOrEqual(10);
  });

  it.each(idRoutes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s answers 404 to another owner', async (_label, r) => {
    const key = `${r.method} ${r.path}`;
    if (notOwnerScoped.has(key)) return;
    const id = idFor(r.path);
    expect(id, `no resource id known for ${r.path}: add it to idFor()`).toBeDefined();
    if (r.schemas.body && !r.schemas.body.safeParse(undefined).success) {
      expect(sampleBodies[key], `no sample body for ${key}: add one to sampleBodies`).toBeDefined();
    }
    const before = await snapshot();
    const path = pathOf(r, id!);
    const res = await t.request(r.method.toUpperCase(), path, { token: bob.token, ...(sampleBodies[key] !== undefined ? { body: sampleBodies[key] } : {}) });
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).not.toContain('Secret plan');
    expect(await snapshot()).toEqual(before);
    // The owner still reaches the same resource (the 404 was about ownership, not a bad path).
    if (r.method === 'get') expect((await t.request('GET', path, { token: alice.token })).status).toBe(200);
  });

  // Every GET without an id (lists, settings, usage, me) is called by Bob; Alice's ids must not
  // appear. Alice's own lists must show them, so the check cannot pass on empty lists.
  const listRoutes = routeRegistry.filter((r) => r.method === 'get' && !r.path.includes(':'));
  const aliceSees: Record<string, () => string[]> = {
    '/api/workflows': () => [ids.workflow!, ids.hookWorkflow!],
    '/api/runs': () => [ids.run!],
    '/api/tokens': () => [ids.token!],
    '/api/credentials': () => [ids.credential!],
    '/api/account/export': () => [ids.workflow!, ids.hookWorkflow!, ids.run!, ids.token!, ids.credential!, ids.slackCredential!],
  };
  const aliceIds = () => Object.values(ids);

  it.each(listRoutes.map((r) => [r.path] as const))('GET %s shows Bob none of Alice’s resources', async (path) => {
    const mine = aliceSees[path]?.() ?? [];
    if (mine.length > 0) {
      const own = await (await t.request('GET', path, { token: alice.token })).text();
      for (const id of mine) expect(own, `Alice's own ${path}`).toContain(id);
    }
    const res = await t.request('GET', path, { token: bob.token });
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const id of aliceIds()) expect(text).not.toContain(id);
    expect(text).not.toContain('Secret plan');
  });

  it('GET /api/runs?workflowId= with Alice’s workflow shows Bob nothing', async () => {
    const res = await t.request('GET', `/api/runs?workflowId=${ids.workflow}`, { token: bob.token });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items).toEqual([]);
    const own = (await (await t.request('GET', `/api/runs?workflowId=${ids.workflow}`, { token: alice.token })).json()) as { items: { id: string }[] };
    expect(own.items.map((r) => r.id)).toContain(ids.run);
  });

  // ?ownerId= is not a filter anyone may set: strict query schemas refuse it with 422 naming it;
  // routes without a query schema ignore it and answer the caller's own data.
  it.each(listRoutes.map((r) => [r.path, r] as const))('GET %s?ownerId=<Alice> is refused or ignored, never obeyed', async (path, r) => {
    const res = await t.request('GET', `${path}?ownerId=${alice.id}`, { token: bob.token });
    const text = await res.text();
    if (r.schemas.query) {
      expect(res.status).toBe(422);
      const body = JSON.parse(text) as { error: { issues: { path: unknown[]; message: string }[] } };
      expect(body.error.issues[0]!.path[0]).toBe('query');
      expect(body.error.issues[0]!.message).toContain('ownerId');
    } else {
      expect(res.status).toBe(200);
    }
    for (const id of aliceIds()) expect(text).not.toContain(id);
  });
  // SECURITY.md: responses carry an allow-listed set of fields. Every GET the owner herself may
  // call (lists and id routes) answers with none of the stored internals: no ciphertext, hash or
  // owner column, and no secret she stored, whatever the nesting. Seen failing when
  // getCredential (engine/src/store/credentials.repo.ts) passed the row's ciphertext through.
  const INTERNAL_KEYS = new Set(['ciphertext', 'signing_ciphertext', 'signingCiphertext', 'password_hash', 'passwordHash', 'token_hash', 'tokenHash', 'owner_id', 'encrypted', 'keyId', 'key_id']);
  const internalKeysIn = (value: unknown, at = '$'): string[] => {
    if (Array.isArray(value)) return value.flatMap((v, i) => internalKeysIn(v, `${at}[${i}]`));
    if (value === null || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([k, v]) => [...(INTERNAL_KEYS.has(k) ? [`${at}.${k}`] : []), ...internalKeysIn(v, `${at}.${k}`)]);
  };
  const readable = routeRegistry.filter((r) => r.method === 'get' && !notOwnerScoped.has(`get ${r.path}`));

  it.each(readable.map((r) => [r.path, r] as const))('GET %s answers its owner with no stored internals or secrets', async (_path, r) => {
    const path = r.path.includes(':') ? pathOf(r, idFor(r.path)!) : r.path;
    const res = await t.request('GET', path, { token: alice.token });
    expect(res.status, path).toBe(200);
    const text = await res.text();
    for (const secret of [`sk-isolation-${'a'.repeat(24)}`, SLACK_TOKEN, 'a-very-secret-value']) expect(text, path).not.toContain(secret);
    if ((res.headers.get('content-type') ?? '').includes('json')) expect(internalKeysIn(JSON.parse(text)), path).toEqual([]);
  });
});
