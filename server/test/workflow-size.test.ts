// The validator's node limit as the API applies it (KEYFLOW_MAX_WORKFLOW_NODES, default 2,000),
// and sticky notes saved and read back with the graph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

function chain(n: number) {
  const nodes = [
    { id: 'hook', type: 'core.webhook', version: 1, config: {}, position: { x: 0, y: 0 } },
    ...Array.from({ length: n - 1 }, (_, i) => ({ id: `n${i}`, type: 'core.transform', version: 1, config: { fields: [{ name: 'i', value: i }] }, position: { x: (i + 1) * 240, y: 0 } })),
  ];
  const edges = nodes.slice(1).map((to, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: to.id }));
  return { nodes, edges };
}

describe('workflow size limits', () => {
  let t: TestApp;
  let small: TestApp;
  let token: string;
  let smallToken: string;
  beforeAll(async () => {
    // A 2,000-node document is about 300 KB of JSON: within the default body limit.
    t = await createTestApp('postgres');
    small = await createTestApp('postgres', { KEYFLOW_MAX_WORKFLOW_NODES: '10' });
    token = (await t.signup()).token;
    smallToken = (await small.signup()).token;
  });
  afterAll(async () => {
    await t?.close();
    await small?.close();
  });

  it('saves and reads back a 2,000-node workflow by default', async () => {
    const res = await t.request('POST', '/api/workflows', { token, body: { name: 'Big', graph: chain(2000) } });
    expect(res.status).toBe(201);
    const wf = (await res.json()) as { id: string; graph: { nodes: unknown[] } };
    const put = await t.request('PUT', `/api/workflows/${wf.id}`, { token, body: { graph: chain(2000), baseVersion: 1 } });
    expect(put.status).toBe(200);
    const got = (await (await t.request('GET', `/api/workflows/${wf.id}`, { token })).json()) as { graph: { nodes: unknown[] } };
    expect(got.graph.nodes).toHaveLength(2000);
  });

  it('refuses 2,001 nodes, naming the field', async () => {
    const res = await t.request('POST', '/api/workflows', { token, body: { name: 'Too big', graph: chain(2001) } });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('at most 2000 nodes');
  });

  it('applies a configured limit to create, save and import', async () => {
    expect((await small.request('POST', '/api/workflows', { token: smallToken, body: { name: 'Ten', graph: chain(10) } })).status).toBe(201);
    const create = await small.request('POST', '/api/workflows', { token: smallToken, body: { name: 'Eleven', graph: chain(11) } });
    expect(create.status).toBe(422);
    expect(JSON.stringify(await create.json())).toContain('at most 10 nodes');
    const wf = (await (await small.request('POST', '/api/workflows', { token: smallToken, body: { name: 'Two', graph: chain(2) } })).json()) as { id: string };
    expect((await small.request('PUT', `/api/workflows/${wf.id}`, { token: smallToken, body: { graph: chain(11), baseVersion: 1 } })).status).toBe(422);
    expect((await small.request('POST', '/api/workflows/import', { token: smallToken, body: { keyflow: 1, name: 'Imp', graph: chain(11) } })).status).toBe(422);
  });

  it('keeps sticky notes with the graph', async () => {
    const graph = { ...chain(2), notes: [{ id: 'note1', text: 'Ask <b>sales</b> first', position: { x: 5, y: -80 }, width: 220, height: 100 }] };
    const res = await t.request('POST', '/api/workflows', { token, body: { name: 'Noted', graph } });
    expect(res.status).toBe(201);
    const wf = (await res.json()) as { id: string };
    const got = (await (await t.request('GET', `/api/workflows/${wf.id}`, { token })).json()) as { graph: unknown };
    expect(got.graph).toEqual(graph);
    const bad = await t.request('POST', '/api/workflows', { token, body: { name: 'Bad note', graph: { ...chain(2), notes: [{ id: 'x', text: 1, position: { x: 0, y: 0 } }] } } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('notes');
  });
});
