// Every route that takes a body is tried with malformed, oversized, mistyped and hostile
// input; each answers a clear error and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeRegistry } from '../src/http/route.ts';
import { createTestApp, sampleGraph, type TestApp } from './support.ts';

// Built at import time: the route registry fills as the app is built, and describe.each needs it.
const t: TestApp = await createTestApp('postgres', { KEYFLOW_BODY_LIMIT_BYTES: '65536', KEYFLOW_METRICS_TOKEN: 'metrics-token-0123456789' });
let token: string;
let workflowId: string;
beforeAll(async () => {
  token = (await t.signup()).token;
  workflowId = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'wf', graph: sampleGraph() } })).json()) as { id: string }).id;
});
afterAll(() => t.close());

const bodyRoutes = routeRegistry.filter((r) => r.schemas.body);
const cases = bodyRoutes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const);
// Every parameter gets a well-formed value, so a 422 can only come from the body.
const pathOf = (p: string) => p.replace(':id', workflowId).replace(':nodeId', 'hook').replace(':n', '1');

// One body per route that the route's own schema accepts: the "unknown field" cases add a
// single field to it, so their 422 can only be about that field. A route added without a
// sample here fails the test.
const validBodies: Record<string, Record<string, unknown>> = {
  'post /api/auth/signup': { email: 'valid-body@example.test', password: 'correct horse battery' },
  'post /api/auth/login': { email: 'valid-body@example.test', password: 'correct horse battery' },
  'post /api/auth/password': { currentPassword: 'correct horse battery', newPassword: 'another horse battery' },
  'post /api/tokens': { name: 'valid' },
  'put /api/alerts/settings': { workflowFailures: { enabled: true, mode: 'threshold', count: 3, minutes: 10 }, webhook: { enabled: false, url: 'https://hooks.example.test/keyflow' } },
  'post /api/credentials': { provider: 'openai', label: 'valid', secret: `sk-valid-${'v'.repeat(24)}` },
  'patch /api/credentials/:id': { label: 'valid' },
  'put /api/settings': { defaultTier: 'economy' },
  'post /api/workflows': { name: 'valid', graph: sampleGraph() },
  'post /api/workflows/import': { keyflow: 1, name: 'valid', graph: sampleGraph() },
  'post /api/workflows/generate': { description: 'every weekday at 9 call the status API' },
  'post /api/workflows/import/n8n': { name: 'valid', nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} }], connections: {} },
  'put /api/workflows/:id': { graph: sampleGraph(), baseVersion: 1 },
  'patch /api/workflows/:id': { name: 'valid' },
  'post /api/workflows/:id/activate': { version: 1 },
  'post /api/workflows/:id/run': { payload: { name: 'valid' } },
  'post /api/runs/:id/rerun': { fromNodeId: 'shape' },
  'delete /api/account': { password: 'correct horse battery' },
  'put /api/workflows/:id/webhooks/:nodeId/signature': { preset: 'github', secret: 'a-very-secret-value' },
};

type ErrorBody = { error: { code: string; message: string; issues?: { path: unknown[]; message: string }[] } };

async function rowCounts() {
  const db = t.db.db;
  const n = async (table: 'workflows' | 'workflow_versions' | 'users' | 'api_tokens') => (await db.selectFrom(table).select('created_at').execute()).length;
  return { workflows: await n('workflows'), versions: await n('workflow_versions'), users: await n('users'), tokens: await n('api_tokens') };
}

describe.each(cases)('%s', (_label, r) => {
  const call = (rawBody: string, headers: Record<string, string> = {}) =>
    t.request(r.method.toUpperCase(), pathOf(r.path), { token, rawBody, headers: { 'content-type': 'application/json', ...headers } });

  it('answers 400 naming the problem for malformed JSON', async () => {
    const before = await rowCounts();
    const res = await call('{"name": "x",');
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.message).toMatch(/malformed JSON/);
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await call(JSON.stringify({ name: 'x'.repeat(70_000) }));
    expect(res.status).toBe(413);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await call('name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"hello"'],
  ])('answers 422 with field paths for %s', async (_what, raw) => {
    const before = await rowCounts();
    const res = await call(raw);
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('invalid');
    expect(body.error.issues!.length).toBeGreaterThan(0);
    for (const issue of body.error.issues!) expect(issue.path[0]).toBe('body');
    expect(await rowCounts()).toEqual(before);
  });

  const key = `${r.method} ${r.path}`;
  it('has a sample body its schema accepts', () => {
    expect(validBodies[key], `no valid body for ${key}: add one to validBodies`).toBeDefined();
    const parsed = r.schemas.body!.safeParse(validBodies[key]);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  // Sent as text: JSON.stringify of an object literal drops a `__proto__` key, JSON.parse keeps it.
  it.each([
    ['ownerId', `"ownerId":"00000000-0000-0000-0000-000000000000"`],
    ['role', `"role":"admin"`],
    ['__proto__', `"__proto__":{"admin":true,"polluted":"yes"}`],
    ['constructor', `"constructor":{"prototype":{"polluted":"yes"}}`],
    ['prototype', `"prototype":{"polluted":"yes"}`],
  ])('answers 422 naming the unknown field %s on an otherwise valid body, and writes nothing', async (field, extra) => {
    const valid = JSON.stringify(validBodies[key] ?? {});
    const raw = valid === '{}' ? `{${extra}}` : `${valid.slice(0, -1)},${extra}}`;
    const before = await rowCounts();
    const res = await call(raw);
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('invalid');
    expect(body.error.issues).toHaveLength(1);
    expect(body.error.issues![0]!.path[0]).toBe('body');
    expect(body.error.issues![0]!.message).toContain(`"${field}"`);
    expect(await rowCounts()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });
});

describe('prototype keys inside free-form JSON', () => {
  it('keeps __proto__/constructor keys of a run payload as plain data and pollutes nothing', async () => {
    const raw = `{"payload":{"body":{"name":"x","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}},"__proto__":{"body":{"name":"injected"}}}}`;
    const res = await t.request('POST', `/api/workflows/${workflowId}/run`, { token, rawBody: raw });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    let run: { status: string; triggerPayload: unknown; steps: { nodeId: string; output: unknown }[] } = { status: 'queued', triggerPayload: null, steps: [] };
    for (let i = 0; i < 200 && !['succeeded', 'failed'].includes(run.status); i++) {
      await new Promise((r) => setTimeout(r, 25));
      run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as typeof run;
    }
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    // The template read the real body, not one smuggled in through a prototype.
    expect(run.steps.find((s) => s.nodeId === 'shape')?.output).toEqual({ greeting: 'Hello x' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    // Still there as an ordinary own key, not swallowed into a prototype.
    expect(JSON.stringify(run.triggerPayload)).toContain('"__proto__":{"polluted":"yes"}');
  });
});

describe('hostile input that parses', () => {
  it('stores names with markup as plain text and never evaluates a graph expression on save', async () => {
    const name = '<img src=x onerror=alert(1)>{{ process.env }}';
    const res = await t.request('POST', '/api/workflows', { token, body: { name, graph: sampleGraph() } });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await res.json()) as { name: string }).name).toBe(name);
  });

  it('rejects a non-uuid id with 422 and a deep graph without crashing', async () => {
    expect((await t.request('GET', '/api/workflows/not-a-uuid', { token })).status).toBe(422);
    // 5,000 levels of nesting, built as text: a recursive walk of it would overflow the stack.
    const deep = `${'{"a":'.repeat(5000)}"x"${'}'.repeat(5000)}`;
    const graph = JSON.stringify(sampleGraph()).replace('"config":{}', `"config":${deep}`);
    const res = await t.request('POST', '/api/workflows', { token, rawBody: `{"name":"deep","graph":${graph}}` });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/nested deeper/);
  });

  it('answers unknown routes with a JSON 404 and no stack trace', async () => {
    const res = await t.request('GET', '/api/nope', { token });
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('faces of the API', () => {
  it('serves health, readiness, metrics and an OpenAPI document covering every route', async () => {
    expect((await t.request('GET', '/healthz')).status).toBe(200);
    const ready = await t.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.database).toBe('ok');
    expect(await (await t.request('GET', '/metrics', { headers: { authorization: 'Bearer metrics-token-0123456789' } })).text()).toMatch(/keyflow_http_request_duration_seconds_count/);
    const doc = (await (await t.request('GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    for (const r of routeRegistry) {
      const p = r.path.replace(/:([A-Za-z_]+)/g, '{$1}');
      expect(doc.paths[p]?.[r.method], `${r.method} ${p} in OpenAPI`).toBeDefined();
      if (r.schemas.body) expect(doc.paths[p]![r.method]!.requestBody).toBeDefined();
    }
  });

  it('reflects no origin: a foreign Origin gets no CORS grant, with or without credentials, preflight included', async () => {
    const evil = { origin: 'https://evil.example', authorization: `Bearer ${token}` };
    for (const res of [
      await t.request('GET', '/api/workflows', { headers: evil }),
      await t.request('OPTIONS', '/api/workflows', { headers: { ...evil, 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization' } }),
    ]) {
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('sends security headers and a request id', async () => {
    const res = await t.request('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });
});
