import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sampleGraph, type TestApp } from './support.ts';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp('postgres');
  token = (await t.signup()).token;
});
afterAll(() => t.close());

type Wf = { id: string; name: string; currentVersion: number; activeVersion: number | null; active: boolean; graph: ReturnType<typeof sampleGraph> };

async function create(name: string, graph: unknown = sampleGraph()): Promise<Wf> {
  const res = await t.request('POST', '/api/workflows', { token, body: { name, graph } });
  expect(res.status).toBe(201);
  return (await res.json()) as Wf;
}

describe('workflow API', () => {
  it('creates, reads, versions, detects stale saves and restores', async () => {
    const wf = await create('Greeter');
    expect(wf.currentVersion).toBe(1);
    const got = (await (await t.request('GET', `/api/workflows/${wf.id}`, { token })).json()) as Wf;
    expect(got.graph).toEqual(sampleGraph());

    const v2 = await t.request('PUT', `/api/workflows/${wf.id}`, { token, body: { graph: sampleGraph('Hi'), baseVersion: 1 } });
    expect(v2.status).toBe(200);
    expect(((await v2.json()) as Wf).currentVersion).toBe(2);

    const stale = await t.request('PUT', `/api/workflows/${wf.id}`, { token, body: { graph: sampleGraph('Yo'), baseVersion: 1 } });
    expect(stale.status).toBe(409);
    expect(((await (await t.request('GET', `/api/workflows/${wf.id}`, { token })).json()) as Wf).graph).toEqual(sampleGraph('Hi'));

    const versions = (await (await t.request('GET', `/api/workflows/${wf.id}/versions`, { token })).json()) as { items: { version: number }[] };
    expect(versions.items.map((v) => v.version)).toEqual([2, 1]);
    const v1 = (await (await t.request('GET', `/api/workflows/${wf.id}/versions/1`, { token })).json()) as { graph: unknown };
    expect(v1.graph).toEqual(sampleGraph());

    const restored = (await (await t.request('POST', `/api/workflows/${wf.id}/versions/1/restore`, { token })).json()) as Wf;
    expect(restored.currentVersion).toBe(3);
    expect(restored.graph).toEqual(sampleGraph());
    expect((await t.request('GET', `/api/workflows/${wf.id}/versions/9`, { token })).status).toBe(404);
  });

  it('activates the current version and deactivates', async () => {
    const wf = await create('Activator');
    const on = (await (await t.request('POST', `/api/workflows/${wf.id}/activate`, { token })).json()) as Wf;
    expect(on).toMatchObject({ active: true, activeVersion: 1 });
    await t.request('PUT', `/api/workflows/${wf.id}`, { token, body: { graph: sampleGraph('v2'), baseVersion: 1 } });
    const still = (await (await t.request('GET', `/api/workflows/${wf.id}`, { token })).json()) as Wf;
    expect(still.activeVersion).toBe(1);
    const pinned = await t.request('POST', `/api/workflows/${wf.id}/activate`, { token, body: { version: 2 } });
    expect(((await pinned.json()) as Wf).activeVersion).toBe(2);
    const off = (await (await t.request('POST', `/api/workflows/${wf.id}/deactivate`, { token })).json()) as Wf;
    expect(off.active).toBe(false);
  });

  it('paginates and filters the list', async () => {
    const other = await t.signup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.request('POST', '/api/workflows', { token: other.token, body: { name: i % 2 ? `Odd ${i}` : `Even ${i}`, graph: sampleGraph() } });
      ids.push(((await r.json()) as Wf).id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = (await (await t.request('GET', `/api/workflows${qs}`, { token: other.token })).json()) as { items: Wf[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((w) => w.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
    const odd = (await (await t.request('GET', '/api/workflows?name=odd', { token: other.token })).json()) as { items: Wf[] };
    expect(odd.items.map((w) => w.name).sort()).toEqual(['Odd 1', 'Odd 3']);
    await t.request('POST', `/api/workflows/${ids[0]}/activate`, { token: other.token });
    const active = (await (await t.request('GET', '/api/workflows?active=true', { token: other.token })).json()) as { items: Wf[] };
    expect(active.items.map((w) => w.id)).toEqual([ids[0]]);
    expect((await t.request('GET', '/api/workflows?cursor=garbage', { token: other.token })).status).toBe(422);
  });

  it('exports as an attachment and imports the export as a new workflow', async () => {
    const wf = await create('Round trip');
    const res = await t.request('GET', `/api/workflows/${wf.id}/export`, { token });
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="Round-trip\.keyflow\.json"$/);
    const doc = (await res.json()) as Record<string, unknown>;
    const imported = await t.request('POST', '/api/workflows/import', { token, body: doc });
    expect(imported.status).toBe(201);
    const copy = (await imported.json()) as Wf;
    expect(copy.id).not.toBe(wf.id);
    expect(copy.name).toBe('Round trip');
    expect(copy.graph).toEqual(wf.graph);
  });

  it('deletes a workflow and its versions', async () => {
    const wf = await create('Doomed');
    expect((await t.request('DELETE', `/api/workflows/${wf.id}`, { token })).status).toBe(204);
    expect((await t.request('GET', `/api/workflows/${wf.id}`, { token })).status).toBe(404);
    const left = await t.db.db.selectFrom('workflow_versions').select('version').where('workflow_id', '=', wf.id).execute();
    expect(left).toEqual([]);
  });
});

describe('graph validation through the API', () => {
  const node = (id: string, type: string, config: unknown = {}) => ({ id, type, version: 1, config, position: { x: 0, y: 0 } });
  it.each([
    ['unknown node type', { nodes: [node('a', 'core.manual'), node('b', 'core.nope')], edges: [] }, ['body', 'graph', 'nodes', 1, 'type']],
    ['duplicate node ids', { nodes: [node('a', 'core.manual'), node('a', 'core.delay', { amount: 1, unit: 'minutes' })], edges: [] }, ['body', 'graph', 'nodes', 1, 'id']],
    ['edge to a missing node', { nodes: [node('a', 'core.manual')], edges: [{ id: 'e', source: 'a', target: 'ghost' }] }, ['body', 'graph', 'edges', 0, 'target']],
    ['no trigger', { nodes: [node('d', 'core.delay', { amount: 1, unit: 'minutes' })], edges: [] }, ['body', 'graph', 'nodes']],
  ])('answers 422 naming the fault: %s', async (_name, graph, path) => {
    const before = await t.db.db.selectFrom('workflows').select('id').execute();
    const res = await t.request('POST', '/api/workflows', { token, body: { name: 'bad', graph } });
    expect(res.status).toBe(422);
    const err = (await res.json()) as { error: { code: string; issues: { path: unknown[]; message: string }[] } };
    expect(err.error.code).toBe('invalid');
    expect(err.error.issues.map((i) => i.path)).toContainEqual(path);
    expect(await t.db.db.selectFrom('workflows').select('id').execute()).toHaveLength(before.length);
  });
});
