// The server validates these graphs when the bench saves them; here, the shape the bench's
// figures depend on: the counts asked for, no duplicate link, edges only forward (no cycle),
// nothing into the trigger.
import { describe, expect, it } from 'vitest';
import { benchGraph } from './editor-graphs.ts';
import { bigPayload } from './editor-runs.ts';

describe('benchGraph', () => {
  it.each([[50, 49], [500, 600], [1000, 999], [2000, 1999]])('%i nodes and %i edges', (nodes, edges) => {
    const g = benchGraph(nodes, edges);
    expect(g.nodes).toHaveLength(nodes);
    expect(g.edges).toHaveLength(edges);
    expect(new Set(g.nodes.map((n) => n.id)).size).toBe(nodes);
    expect(new Set(g.edges.map((e) => `${e.source}>${e.target}`)).size).toBe(edges);
    const index = new Map(g.nodes.map((n, i) => [n.id, i]));
    for (const e of g.edges) {
      expect(index.get(e.source)!).toBeLessThan(index.get(e.target)!);
      expect(e.target).not.toBe('start');
    }
    expect(g.nodes.filter((n) => n.type === 'core.manual')).toHaveLength(1);
  });

  it('refuses an edge count it cannot draw without a duplicate', () => {
    expect(() => benchGraph(10, 20)).toThrow(/between 9 and 17/);
  });
});

describe('bigPayload', () => {
  it('is about the size asked for (the step inspector figure is for a 5 MB output), rows of objects', () => {
    const size = 5 * 1024 * 1024;
    const json = JSON.stringify(bigPayload(size));
    expect(json.length).toBeGreaterThanOrEqual(size);
    expect(json.length).toBeLessThan(size * 1.01);
    expect(bigPayload(10_000).rows[0]).toMatchObject({ id: 0, name: 'Customer 0' });
  });
});
