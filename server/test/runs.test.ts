import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp('postgres');
  token = (await t.signup()).token;
});
afterAll(() => t.close());

const pos = { x: 0, y: 0 };
const chain = {
  nodes: [
    { id: 'start', type: 'core.manual', version: 1, config: {}, position: pos },
    { id: 'a', type: 'core.transform', version: 1, config: { fields: [{ name: 'n', value: '{{ $trigger.n + 1 }}' }] }, position: pos },
    { id: 'b', type: 'core.transform', version: 1, config: { fields: [{ name: 'n', value: '{{ $node["a"].output.n * 10 }}' }] }, position: pos },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'a' }, { id: 'e2', source: 'a', target: 'b' }],
};

type Run = { id: string; status: string; output: unknown; steps: { nodeId: string; seq: number; status: string }[] };

async function finished(runId: string): Promise<Run> {
  for (let i = 0; i < 300; i++) {
    const run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as Run;
    if (['succeeded', 'failed', 'cancelled'].includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`run ${runId} did not finish`);
}

async function sse(path: string, headers: Record<string, string> = {}): Promise<{ id?: string; event: string; data: unknown }[]> {
  const res = await t.request('GET', path, { token, headers });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((b) => b.trim())
    .map((block) => {
      const fields = Object.fromEntries(block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
      return { ...(fields.id ? { id: fields.id } : {}), event: fields.event!, data: JSON.parse(fields.data!) };
    });
}

describe('run API', () => {
  let workflowId: string;
  let runId: string;

  it('runs by hand with a payload and reads the run back with its steps', async () => {
    workflowId = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'chain', graph: chain } })).json()) as { id: string }).id;
    const res = await t.request('POST', `/api/workflows/${workflowId}/run`, { token, body: { payload: { n: 4 } } });
    expect(res.status).toBe(202);
    runId = ((await res.json()) as { runId: string }).runId;
    const run = await finished(runId);
    expect(run.status).toBe('succeeded');
    expect(run.output).toEqual({ n: 50 });
    expect(run.steps.map((s) => s.nodeId)).toEqual(['start', 'a', 'b']);
  });

  it('streams stored events as SSE and resumes after Last-Event-ID', async () => {
    const all = await sse(`/api/runs/${runId}/events`);
    expect(all.map((e) => e.event)).toEqual(['step.finished', 'step.finished', 'step.finished', 'run.finished']);
    const ids = all.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const resumed = await sse(`/api/runs/${runId}/events`, { 'last-event-id': all[1]!.id! });
    expect(resumed.map((e) => (e.data as { nodeId?: string }).nodeId ?? e.event)).toEqual(['b', 'run.finished']);
  });

  it('streams live events of a running run', async () => {
    const graph = { nodes: [...chain.nodes, { id: 'wait', type: 'core.delay', version: 1, config: { amount: 1, unit: 'seconds' }, position: pos }], edges: [...chain.edges, { id: 'e3', source: 'b', target: 'wait' }] };
    const wf = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'slow', graph } })).json()) as { id: string }).id;
    const id = ((await (await t.request('POST', `/api/workflows/${wf}/run`, { token, body: { payload: { n: 1 } } })).json()) as { runId: string }).runId;
    const events = await sse(`/api/runs/${id}/events`);
    expect(events.map((e) => e.event)).toContain('run.parked');
    expect(events.at(-1)).toMatchObject({ event: 'run.finished', data: { status: 'succeeded' } });
  });

  it('filters the list by workflow and status', async () => {
    const list = (await (await t.request('GET', `/api/runs?workflowId=${workflowId}&status=succeeded`, { token })).json()) as { items: { id: string }[] };
    expect(list.items.map((r) => r.id)).toEqual([runId]);
    const none = (await (await t.request('GET', `/api/runs?workflowId=${workflowId}&status=failed`, { token })).json()) as { items: unknown[] };
    expect(none.items).toEqual([]);
    expect((await t.request('GET', '/api/runs?status=exploded', { token })).status).toBe(422);
  });

  it('re-runs a finished run and refuses to re-run from an unknown node', async () => {
    const res = await t.request('POST', `/api/runs/${runId}/rerun`, { token, body: { fromNodeId: 'b' } });
    expect(res.status).toBe(202);
    const again = await finished(((await res.json()) as { runId: string }).runId);
    expect(again.output).toEqual({ n: 50 });
    expect((await t.request('POST', `/api/runs/${runId}/rerun`, { token, body: { fromNodeId: 'ghost' } })).status).toBe(404);
  });

  it('cancels a parked run and deletes runs', async () => {
    const graph = { nodes: [chain.nodes[0]!, { id: 'wait', type: 'core.delay', version: 1, config: { amount: 1, unit: 'hours' }, position: pos }], edges: [{ id: 'e', source: 'start', target: 'wait' }] };
    const wf = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'parked', graph } })).json()) as { id: string }).id;
    const id = ((await (await t.request('POST', `/api/workflows/${wf}/run`, { token })).json()) as { runId: string }).runId;
    for (let i = 0; i < 200; i++) {
      const r = (await (await t.request('GET', `/api/runs/${id}`, { token })).json()) as Run;
      if (r.status === 'waiting') break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const cancel = await t.request('POST', `/api/runs/${id}/cancel`, { token });
    expect(((await cancel.json()) as { status: string }).status).toBe('cancelled');
    expect((await t.request('DELETE', `/api/runs/${id}`, { token })).status).toBe(204);
    expect((await t.request('GET', `/api/runs/${id}`, { token })).status).toBe(404);
  });
});

describe('run list filters by trigger (server-side, per owner)', () => {
  it('answers only the runs of that trigger, only the caller’s, and refuses an unknown trigger', async () => {
    const wf = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'triggers', graph: chain } })).json()) as { id: string }).id;
    const manual = ((await (await t.request('POST', `/api/workflows/${wf}/run`, { token, body: { payload: { n: 1 } } })).json()) as { runId: string }).runId;
    await finished(manual);
    const again = ((await (await t.request('POST', `/api/runs/${manual}/rerun`, { token })).json()) as { runId: string }).runId;
    await finished(again);
    const ids = async (q: string, as = token) => ((await (await t.request('GET', `/api/runs?workflowId=${wf}&${q}`, { token: as })).json()) as { items: { id: string; trigger: string }[] }).items;
    expect((await ids('trigger=manual')).map((r) => r.id)).toEqual([manual]);
    expect((await ids('trigger=rerun')).map((r) => r.id)).toEqual([again]);
    expect(await ids('trigger=schedule')).toEqual([]);
    // The filter applies before the page limit: one run per page still finds the older manual run.
    expect((await ids('trigger=manual&limit=1')).map((r) => r.id)).toEqual([manual]);
    const bob = await t.signup();
    expect(await ids('trigger=manual', bob.token)).toEqual([]);
    const all = ((await (await t.request('GET', '/api/runs?trigger=manual', { token: bob.token })).json()) as { items: unknown[] }).items;
    expect(all).toEqual([]);
    const bad = await t.request('GET', '/api/runs?trigger=cosmic-ray', { token });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('trigger');
  });
});

describe('run list pages by cursor', () => {
  it('hands out nextCursor until the last page, and refuses a cursor it did not make', async () => {
    const wf = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'pages', graph: chain } })).json()) as { id: string }).id;
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = ((await (await t.request('POST', `/api/workflows/${wf}/run`, { token, body: { payload: { n: i } } })).json()) as { runId: string }).runId;
      await finished(id);
      made.push(id);
    }
    type Page = { items: { id: string }[]; nextCursor: string | null };
    const page = async (q: string) => (await (await t.request('GET', `/api/runs?workflowId=${wf}&limit=2${q}`, { token })).json()) as Page;
    const first = await page('');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await page(`&cursor=${first.nextCursor}`);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((r) => r.id).sort()).toEqual([...made].sort());
    const bad = await t.request('GET', '/api/runs?cursor=not-a-cursor', { token });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('cursor');
  });
});

describe('test run of an unsaved draft graph', () => {
  const draftOf = (factor: number) => ({
    ...chain,
    nodes: [chain.nodes[0]!, chain.nodes[1]!, { ...chain.nodes[2]!, config: { fields: [{ name: 'n', value: `{{ $node["a"].output.n * ${factor} }}` }] } }],
  });

  it('runs the draft without saving it, and reuses the snapshot for the same graph', async () => {
    const wf = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'draft', graph: chain } })).json()) as { id: string }).id;
    const res = await t.request('POST', `/api/workflows/${wf}/run`, { token, body: { payload: { n: 1 }, graph: draftOf(100) } });
    expect(res.status).toBe(202);
    const first = await finished(((await res.json()) as { runId: string }).runId);
    expect(first.output).toEqual({ n: 200 });
    const runView = (await (await t.request('GET', `/api/runs/${first.id}`, { token })).json()) as { workflowVersion: number };
    expect(runView.workflowVersion).toBeLessThan(0);
    // Nothing was saved: the workflow is still at version 1 with its old graph, and versions list only it.
    const detail = (await (await t.request('GET', `/api/workflows/${wf}`, { token })).json()) as { currentVersion: number; graph: typeof chain };
    expect(detail.currentVersion).toBe(1);
    expect(detail.graph.nodes[2]!.config).toEqual(chain.nodes[2]!.config);
    const versions = (await (await t.request('GET', `/api/workflows/${wf}/versions`, { token })).json()) as { items: { version: number }[] };
    expect(versions.items.map((v) => v.version)).toEqual([1]);
    // The snapshot can be read (to show the run on its graph) but not restored.
    const snap = await t.request('GET', `/api/workflows/${wf}/versions/${runView.workflowVersion}`, { token });
    expect(snap.status).toBe(200);
    expect(((await snap.json()) as { graph: typeof chain }).graph.nodes[2]!.config).toEqual(draftOf(100).nodes[2]!.config);
    expect((await t.request('POST', `/api/workflows/${wf}/versions/${runView.workflowVersion}/restore`, { token })).status).toBe(422);
    const stranger = await t.signup();
    expect((await t.request('GET', `/api/workflows/${wf}/versions/${runView.workflowVersion}`, { token: stranger.token })).status).toBe(404);
    expect((await t.request('GET', `/api/runs/${first.id}`, { token: stranger.token })).status).toBe(404);
    // The same draft again reuses its snapshot; another draft gets a new one.
    const same = await finished(((await (await t.request('POST', `/api/workflows/${wf}/run`, { token, body: { payload: { n: 2 }, graph: draftOf(100) } })).json()) as { runId: string }).runId);
    expect(same.output).toEqual({ n: 300 });
    const sameView = (await (await t.request('GET', `/api/runs/${same.id}`, { token })).json()) as { workflowVersion: number };
    expect(sameView.workflowVersion).toBe(runView.workflowVersion);
    const other = (await (await t.request('POST', `/api/workflows/${wf}/run`, { token, body: { payload: { n: 1 }, graph: draftOf(7) } })).json()) as { runId: string };
    const otherRun = await finished(other.runId);
    expect(otherRun.output).toEqual({ n: 14 });
    expect(((await (await t.request('GET', `/api/runs/${other.runId}`, { token })).json()) as { workflowVersion: number }).workflowVersion).toBe(runView.workflowVersion - 1);
    // A re-run of a draft run runs the same draft.
    const re = await finished(((await (await t.request('POST', `/api/runs/${other.runId}/rerun`, { token })).json()) as { runId: string }).runId);
    expect(re.output).toEqual({ n: 14 });
  });

  it('uses pinned data in a draft test run', async () => {
    const wf = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'draft-pins', graph: chain } })).json()) as { id: string }).id;
    const pinnedDraft = { ...chain, nodes: [chain.nodes[0]!, { ...chain.nodes[1]!, pinned: { output: { n: 9 } } }, chain.nodes[2]!] };
    const run = await finished(((await (await t.request('POST', `/api/workflows/${wf}/run`, { token, body: { payload: { n: 1 }, graph: pinnedDraft } })).json()) as { runId: string }).runId);
    expect(run.output).toEqual({ n: 90 });
  });

  it('refuses a bad draft, a draft with a version, and another owner’s workflow, writing nothing', async () => {
    const wf = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'draft-bad', graph: chain } })).json()) as { id: string }).id;
    const before = ((await (await t.request('GET', `/api/runs?workflowId=${wf}`, { token })).json()) as { items: unknown[] }).items.length;
    const broken = { ...chain, edges: [{ id: 'e1', source: 'start', target: 'nowhere' }] };
    const bad = await t.request('POST', `/api/workflows/${wf}/run`, { token, body: { graph: broken } });
    expect(bad.status).toBe(422);
    const body = (await bad.json()) as { error: { issues: { path: (string | number)[] }[] } };
    expect(body.error.issues.some((i) => i.path.slice(0, 2).join('.') === 'body.graph')).toBe(true);
    const both = await t.request('POST', `/api/workflows/${wf}/run`, { token, body: { graph: chain, version: 1 } });
    expect(both.status).toBe(422);
    expect(((await both.json()) as { error: { issues: { path: string[] }[] } }).error.issues[0]!.path).toEqual(['body', 'graph']);
    const bob = await t.signup();
    expect((await t.request('POST', `/api/workflows/${wf}/run`, { token: bob.token, body: { graph: chain } })).status).toBe(404);
    expect(((await (await t.request('GET', `/api/runs?workflowId=${wf}`, { token })).json()) as { items: unknown[] }).items.length).toBe(before);
    const versions = (await (await t.request('GET', `/api/workflows/${wf}/versions`, { token })).json()) as { items: unknown[] };
    expect(versions.items.length).toBe(1);
  });
});

describe('node catalogue', () => {
  it('lists every core node with a config JSON Schema and its handles', async () => {
    const res = await t.request('GET', '/api/nodes', { token });
    const { items } = (await res.json()) as { items: { type: string; outputs: unknown; configSchema: { type?: string } }[] };
    const byType = new Map(items.map((i) => [i.type, i]));
    for (const type of ['core.webhook', 'core.manual', 'core.schedule', 'core.transform', 'core.condition', 'core.switch', 'core.merge', 'core.loop', 'core.delay', 'core.respond', 'core.http']) {
      expect(byType.get(type), type).toBeDefined();
      expect(byType.get(type)!.configSchema.type).toBe('object');
    }
    expect(byType.get('core.condition')!.outputs).toEqual(['true', 'false']);
  });
});
