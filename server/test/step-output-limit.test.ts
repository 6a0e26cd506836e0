// KEYFLOW_MAX_STEP_OUTPUT_BYTES sets the largest output a step may produce: a transform that
// copies a payload over it fails its run, naming the limit; under it, the run succeeds and the
// trigger step's stored copy of the payload is whole (the stored-value cap follows the same setting).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

const LIMIT = 4096;
let t: TestApp;
let token: string;
let workflowId: string;

beforeAll(async () => {
  t = await createTestApp('pglite', { KEYFLOW_MAX_STEP_OUTPUT_BYTES: String(LIMIT) });
  ({ token } = await t.signup());
  const graph = {
    nodes: [
      { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
      { id: 'copy', type: 'core.transform', version: 1, config: { fields: [{ name: 'rows', value: '{{ $trigger.rows }}' }] }, position: { x: 260, y: 0 } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'copy' }],
  };
  const res = await t.request('POST', '/api/workflows', { token, body: { name: 'limits', graph } });
  expect(res.status).toBe(201);
  workflowId = ((await res.json()) as { id: string }).id;
});
afterAll(() => t.close());

async function runWith(payload: unknown): Promise<{ status: string; error: unknown; steps: { nodeId: string; output: unknown }[] }> {
  const res = await t.request('POST', `/api/workflows/${workflowId}/run`, { token, body: { payload } });
  expect(res.status).toBe(202);
  const { runId } = (await res.json()) as { runId: string };
  for (let i = 0; i < 200; i++) {
    const run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as { status: string; error: unknown; steps: { nodeId: string; output: unknown }[] };
    if (['succeeded', 'failed', 'cancelled'].includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the run did not end');
}

const rows = (n: number) => ({ rows: Array.from({ length: n }, (_, i) => ({ i, text: 'x'.repeat(40) })) });

describe('KEYFLOW_MAX_STEP_OUTPUT_BYTES', () => {
  it('fails a step whose output is over the configured size, naming the limit', async () => {
    expect(JSON.stringify(rows(200)).length).toBeGreaterThan(LIMIT);
    const run = await runWith(rows(200));
    expect(run.status).toBe('failed');
    expect(JSON.stringify(run.error)).toContain(`${LIMIT}-byte limit`);
  });

  it('lets an output under it through, and stores the trigger payload whole up to it', async () => {
    expect(JSON.stringify(rows(20)).length).toBeLessThan(LIMIT);
    const run = await runWith(rows(20));
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((s) => s.nodeId === 'start')?.output).toEqual(rows(20));
    expect(run.steps.find((s) => s.nodeId === 'copy')?.output).toEqual({ rows: rows(20).rows });
  });
});
