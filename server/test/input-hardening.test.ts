// Input that parses but cannot be stored or read (NUL, lone surrogates, year 0, broken
// percent-encoding), caching of API answers and the /metrics guard: each a clear 4xx, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sampleGraph, type TestApp } from './support.ts';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp('postgres', { KEYFLOW_METRICS_TOKEN: 'metrics-token-for-tests-0123456789' });
  token = (await t.signup()).token;
});
afterAll(() => t.close());

type ErrorBody = { error: { code: string; message: string; issues?: { path: (string | number)[]; message: string }[] } };

async function workflowCount(): Promise<number> {
  return (await t.db.db.selectFrom('workflows').select('id').execute()).length;
}

describe('text Postgres cannot store', () => {
  // Built as text: the escapes must reach the server as JSON escapes, exactly as an attacker sends them.
  it.each([
    ['NUL in a name', String.raw`{"name":"a\u0000b","graph":GRAPH}`, ['body', 'name']],
    ['a lone high surrogate in a name', String.raw`{"name":"a\ud800b","graph":GRAPH}`, ['body', 'name']],
    ['a lone low surrogate deep in the graph', String.raw`{"name":"ok","graph":GRAPH_LOW}`, ['body', 'graph', 'nodes', 1, 'config', 'fields', 0, 'value']],
  ])('refuses %s with 422 naming the field, and writes nothing', async (_what, template, path) => {
    const graph = JSON.stringify(sampleGraph());
    const raw = template
      .replace('GRAPH_LOW', graph.replace('Hello {{', String.raw`Hello \udc00 {{`))
      .replace('GRAPH', graph);
    const before = await workflowCount();
    const res = await t.request('POST', '/api/workflows', { token, rawBody: raw });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.issues?.[0]?.path).toEqual(path);
    expect(body.error.issues?.[0]?.message).toMatch(/NUL|surrogate/);
    expect(await workflowCount()).toBe(before);
  });

  it('refuses NUL in an object key of a run payload (jsonb) with 422, and starts no run', async () => {
    const wf = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'payload', graph: sampleGraph() } })).json()) as { id: string }).id;
    const res = await t.request('POST', `/api/workflows/${wf}/run`, { token, rawBody: String.raw`{"payload":{"ok":[1,{"k\u0000":1}]}}` });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).error.issues?.[0]?.path).toEqual(['body', 'payload', 'ok', 1, 'k\u0000']);
    expect(await t.db.db.selectFrom('runs').select('id').where('workflow_id', '=', wf).execute()).toEqual([]);
  });

  it('refuses NUL in a login email (a query parameter of the lookup) with 422, not 500', async () => {
    const res = await t.request('POST', '/api/auth/login', { rawBody: String.raw`{"email":"a\u0000@example.test","password":"whatever"}` });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).error.issues?.[0]?.path).toEqual(['body', 'email']);
  });

  it('refuses NUL in a query string with 422 naming the parameter', async () => {
    const res = await t.request('GET', '/api/workflows?name=a%00b', { token });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).error.issues?.[0]?.path).toEqual(['query', 'name']);
  });

  it('still stores ordinary non-ASCII text, emoji (surrogate pairs) included', async () => {
    const res = await t.request('POST', '/api/workflows', { token, body: { name: 'Größe 😀 名前', graph: sampleGraph() } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { name: string }).name).toBe('Größe 😀 名前');
  });
});

describe('dates and URLs out of range', () => {
  it.each([
    ['from=0000-01-01', ['query', 'from']],
    ['from=0001-01-01T00:00:00Z', ['query', 'from']],
    ['to=9999-12-31', ['query', 'to']],
    ['from=2024-02-30', ['query', 'from']],
  ])('/api/usage?%s answers 422 naming the parameter', async (qs, path) => {
    const res = await t.request('GET', `/api/usage?${qs}`, { token });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).error.issues?.[0]?.path).toEqual(path);
  });

  it('/api/usage over a sane range still answers', async () => {
    expect((await t.request('GET', '/api/usage?from=2024-01-01&to=2024-12-31', { token })).status).toBe(200);
  });

  it.each(['/%E0%A4%A', '/api/workflows/%E0%A4%A', '/api/workflows?name=%E0%A4%A', '/api/runs/%ZZ/events'])('GET %s (broken percent-encoding) answers 400, not 500', async (path) => {
    const res = await t.request('GET', path, { token });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/percent-encoding/);
  });
});

describe('caching', () => {
  it.each([
    ['GET', '/api/auth/me'],
    ['GET', '/api/workflows'],
    ['GET', '/api/nope'],
    ['GET', '/api/openapi.json'],
  ])('%s %s says Cache-Control: no-store', async (method, path) => {
    const res = await t.request(method, path, { token });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('the one-time API token answer and a 401 say no-store too', async () => {
    const created = await t.request('POST', '/api/tokens', { token, body: { name: 'once' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const denied = await t.request('GET', '/api/workflows');
    expect(denied.status).toBe(401);
    expect(denied.headers.get('cache-control')).toBe('no-store');
  });

  it('leaves the editor assets alone', async () => {
    const res = await t.request('GET', '/healthz');
    expect(res.headers.get('cache-control')).toBeNull();
  });
});

describe('/metrics', () => {
  it('answers 401 without the metrics token and with a wrong one', async () => {
    expect((await t.request('GET', '/metrics')).status).toBe(401);
    expect((await t.request('GET', '/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    // A user's API token is not the metrics token.
    expect((await t.request('GET', '/metrics', { token })).status).toBe(401);
  });

  it('answers with the metrics token', async () => {
    const res = await t.request('GET', '/metrics', { headers: { authorization: 'Bearer metrics-token-for-tests-0123456789' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/keyflow_http_request_duration_seconds_count/);
  });

  it('is not served at all when no metrics token is configured', async () => {
    const bare = await createTestApp('pglite');
    try {
      expect((await bare.request('GET', '/metrics')).status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
