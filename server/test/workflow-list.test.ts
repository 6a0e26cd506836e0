// What the editor's workflow list needs from the API: each item's last run (owner-scoped), search
// by name, the active filter, and renaming without a new version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sampleGraph, type TestApp } from './support.ts';

let t: TestApp;
let alice: string;
let bob: string;
beforeAll(async () => {
  t = await createTestApp('postgres');
  alice = (await t.signup()).token;
  bob = (await t.signup()).token;
});
afterAll(() => t.close());

type Item = { id: string; name: string; currentVersion: number; updatedAt: string; lastRun: { id: string; status: string; createdAt: string; finishedAt: string | null } | null };

async function create(token: string, name: string): Promise<{ id: string }> {
  const res = await t.request('POST', '/api/workflows', { token, body: { name, graph: sampleGraph() } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}
async function list(token: string, query = ''): Promise<Item[]> {
  const res = await t.request('GET', `/api/workflows${query}`, { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Item[] }).items;
}
async function runToEnd(token: string, id: string): Promise<{ id: string; status: string }> {
  const res = await t.request('POST', `/api/workflows/${id}/run`, { token, body: { payload: { name: 'x' } } });
  expect(res.status).toBe(202);
  const { runId } = (await res.json()) as { runId: string };
  for (let i = 0; i < 300; i++) {
    const run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as { status: string };
    if (['succeeded', 'failed', 'cancelled'].includes(run.status)) return { id: runId, status: run.status };
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('run did not finish');
}

describe('workflow list for the editor', () => {
  it('gives each workflow its newest run, null before any, and never another owner\'s', async () => {
    const wf = await create(alice, 'Runs twice');
    const never = await create(alice, 'Never run');
    expect((await list(alice)).find((i) => i.id === wf.id)!.lastRun).toBeNull();
    await runToEnd(alice, wf.id);
    const second = await runToEnd(alice, wf.id);
    const items = await list(alice);
    const item = items.find((i) => i.id === wf.id)!;
    expect(item.lastRun).toMatchObject({ id: second.id, status: second.status });
    expect(Date.parse(item.lastRun!.createdAt)).not.toBeNaN();
    expect(item.lastRun!.finishedAt).not.toBeNull();
    expect(items.find((i) => i.id === never.id)!.lastRun).toBeNull();
    // Bob sees none of it.
    expect((await list(bob)).map((i) => i.id)).not.toContain(wf.id);
  });

  it('searches by name (case-insensitive, wildcards literal) and filters active', async () => {
    await create(alice, 'Lead intake 100%');
    await create(alice, 'Invoice reminder');
    expect((await list(alice, '?name=LEAD')).map((i) => i.name)).toEqual(['Lead intake 100%']);
    expect((await list(alice, '?name=%25')).map((i) => i.name)).toEqual(['Lead intake 100%']);
    expect(await list(alice, '?name=nothing-like-this')).toEqual([]);
    expect((await list(alice, '?active=true')).length).toBe(0);
    expect((await list(alice, '?active=false')).length).toBeGreaterThanOrEqual(4);
  });

  it('renames without a new version, owner-scoped, with field errors', async () => {
    const wf = await create(alice, 'Old name');
    const res = await t.request('PATCH', `/api/workflows/${wf.id}`, { token: alice, body: { name: '  New name  ' } });
    expect(res.status).toBe(200);
    const renamed = (await res.json()) as Item;
    expect(renamed.name).toBe('New name');
    expect(renamed.currentVersion).toBe(1);
    const versions = (await (await t.request('GET', `/api/workflows/${wf.id}/versions`, { token: alice })).json()) as { items: unknown[] };
    expect(versions.items).toHaveLength(1);

    expect((await t.request('PATCH', `/api/workflows/${wf.id}`, { token: bob, body: { name: 'Stolen' } })).status).toBe(404);
    expect(((await (await t.request('GET', `/api/workflows/${wf.id}`, { token: alice })).json()) as Item).name).toBe('New name');

    const empty = await t.request('PATCH', `/api/workflows/${wf.id}`, { token: alice, body: { name: '   ' } });
    expect(empty.status).toBe(422);
    const err = (await empty.json()) as { error: { issues: { path: string[]; message: string }[] } };
    expect(err.error.issues[0]!.path).toEqual(['body', 'name']);
    expect((await t.request('PATCH', `/api/workflows/${wf.id}`, { token: alice, body: { name: 'x', graph: {} } })).status).toBe(422);
  });

  it('accepts the editor\'s starter graph for a new workflow', async () => {
    const graph = { nodes: [{ id: 'start', type: 'core.manual', version: 1, name: 'Start', config: {}, position: { x: 0, y: 0 } }], edges: [] };
    const res = await t.request('POST', '/api/workflows', { token: alice, body: { name: 'Blank', graph } });
    expect(res.status).toBe(201);
  });
});
