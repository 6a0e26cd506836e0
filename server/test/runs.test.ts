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
