// Pinned test data: a node with `pinned` is not run by a test run (by hand, or the test
// webhook URL); its pinned output flows on instead. A production run ignores the pin.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestEngine, probe, type TestEngine } from './support/engine.ts';
import { graphNodeSchema } from '../src/graph/graph.schema.ts';

const pos = { x: 0, y: 0 };
const graph = {
  nodes: [
    { id: 'start', type: 'core.manual', version: 1, config: {}, position: pos },
    { id: 'count', type: 'test.count', version: 1, config: { label: 'real' }, position: pos, pinned: { output: { label: 'pinned', n: 7 } } },
    { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'seen', value: '{{ $node["count"].output.label }}' }] }, position: pos },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'count' },
    { id: 'e2', source: 'count', target: 'shape' },
  ],
};

describe('pinned data', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await createTestEngine('embedded');
  });
  afterAll(() => t.close());
  beforeEach(() => probe.reset());

  it.each(['manual', 'test'] as const)('a %s run uses the pinned output and does not run the node', async (trigger) => {
    const run = await t.run(graph, {}, { trigger });
    expect(run.status).toBe('succeeded');
    const step = run.steps.find((s) => s.nodeId === 'count')!;
    expect(step).toMatchObject({ status: 'succeeded', input: { pinned: true }, output: { label: 'pinned', n: 7 }, costMicros: 0 });
    expect(probe.calls.size).toBe(0);
    expect(run.steps.find((s) => s.nodeId === 'shape')!.output).toMatchObject({ seen: 'pinned' });
  });

  it.each(['webhook', 'schedule', 'rerun'] as const)('a %s run ignores the pin and runs the node', async (trigger) => {
    const run = await t.run(graph, {}, { trigger });
    expect(run.status).toBe('succeeded');
    expect([...probe.calls.values()]).toEqual([1]);
    expect(run.steps.find((s) => s.nodeId === 'shape')!.output).toMatchObject({ seen: 'real' });
  });

  it('accepts a pin in the graph schema and refuses unknown pin fields', () => {
    expect(graphNodeSchema.safeParse(graph.nodes[1]).success).toBe(true);
    expect(graphNodeSchema.safeParse({ ...graph.nodes[1], pinned: { output: 1, extra: true } }).success).toBe(false);
  });
});
