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
const pathOf = (p: string) => p.replace(':id', workflowId).replace(':n', '1');

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
    ['unknown fields', JSON.stringify({ ownerId: '00000000-0000-0000-0000-000000000000', role: 'admin', __proto__: { admin: true } })],
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
    expect(await (await t.request('GET', '/metrics', { headers: { authorization: 'Bearer metrics-token-0123456789' } })).text()).toMatch(/keyflow_http_requests_total/);
    const doc = (await (await t.request('GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    for (const r of routeRegistry) {
      const p = r.path.replace(/:([A-Za-z_]+)/g, '{$1}');
      expect(doc.paths[p]?.[r.method], `${r.method} ${p} in OpenAPI`).toBeDefined();
      if (r.schemas.body) expect(doc.paths[p]![r.method]!.requestBody).toBeDefined();
    }
  });

  it('sends security headers and a request id', async () => {
    const res = await t.request('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });
});
