import { describe, expect, it } from 'vitest';
import { chain, edge, hook, loopGraph, node } from './graph-fixtures.ts';
import { indexGraph, isBackEdge, loopBody, predecessors, successors, topologicalOrder } from './graph-index.ts';
import { graphSchema, type Graph } from './graph.schema.ts';

const parse = (g: unknown): Graph => graphSchema.parse(g);

describe('graph index helpers', () => {
  const graph = parse(loopGraph());
  const index = indexGraph(graph);

  it('indexes edges in and out of every node', () => {
    expect(index.nodes.size).toBe(5);
    expect(index.outgoing.get('each')!.map((e) => e.id)).toEqual(['e2', 'e5']);
    expect(index.incoming.get('each')!.map((e) => e.id)).toEqual(['e1', 'e4']);
    expect(index.incoming.get('hook')).toEqual([]);
  });

  it.each<[string, string | undefined, string[]]>([
    ['each', undefined, ['fetch', 'report']],
    ['each', 'item', ['fetch']],
    ['each', 'done', ['report']],
    ['hook', 'main', ['each']],
    ['tidy', undefined, ['each']],
    ['report', undefined, []],
  ])('successors of %s via %s', (id, handle, expected) => {
    expect(successors(index, id, handle)).toEqual(expected);
  });

  it('leaves back edges out of predecessors unless asked', () => {
    expect(predecessors(index, 'each')).toEqual(['hook']);
    expect(predecessors(index, 'each', true)).toEqual(['hook', 'tidy']);
    expect(graph.edges.filter(isBackEdge).map((e) => e.id)).toEqual(['e4']);
  });

  it("finds a loop's body", () => {
    expect([...loopBody(index, 'each')].sort()).toEqual(['fetch', 'tidy']);
  });

  it('orders nodes after their sources, ignoring back edges', () => {
    expect(topologicalOrder(graph)).toEqual(['hook', 'each', 'fetch', 'report', 'tidy']);
    expect(topologicalOrder(index)).toEqual(topologicalOrder(graph));
  });

  it('orders a diamond deterministically, in document order', () => {
    const diamond = parse({
      nodes: [node('d', 'core.merge'), node('c', 'core.transform'), node('b', 'core.transform'), hook],
      edges: [edge('e1', 'hook', 'c'), edge('e2', 'hook', 'b'), edge('e3', 'b', 'd'), edge('e4', 'c', 'd')],
    });
    expect(topologicalOrder(diamond)).toEqual(['hook', 'c', 'b', 'd']);
  });

  it('orders a 500-node chain', () => {
    const order = topologicalOrder(parse(chain(500)));
    expect(order).toHaveLength(500);
    expect(order[0]).toBe('hook');
    expect(order[499]).toBe('n498');
  });

  it('refuses to order a cycle', () => {
    const cyclic = parse({ nodes: [hook, node('a', 'core.transform')], edges: [edge('e1', 'hook', 'a'), edge('e2', 'a', 'a')] });
    expect(() => topologicalOrder(cyclic)).toThrow('the graph has a cycle');
  });
});
