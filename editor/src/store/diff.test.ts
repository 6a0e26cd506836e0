import { describe, expect, it } from 'vitest';
import type { Graph } from '@keyflow/engine/graph';
import { changeOf, diffGraphs, overlayGraph } from './diff.ts';

const v1: Graph = {
  nodes: [
    { id: 'hook', type: 'core.webhook', version: 1, config: {}, position: { x: 0, y: 0 } },
    { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'greeting', value: 'Hello' }] }, position: { x: 240, y: 0 } },
    { id: 'old', type: 'core.delay', version: 1, config: { amount: 1, unit: 'minutes' }, position: { x: 240, y: 200 } },
    { id: 'reply', type: 'core.respond', version: 1, config: { status: 200, body: 'ok' }, position: { x: 480, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: 'hook', target: 'shape' },
    { id: 'e2', source: 'shape', target: 'reply' },
    { id: 'e3', source: 'hook', target: 'old' },
  ],
};

const v2: Graph = {
  nodes: [
    { id: 'hook', type: 'core.webhook', version: 1, name: 'Lead', config: {}, position: { x: 0, y: 0 } },
    { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'greeting', value: 'Hi' }, { name: 'extra', value: 1 }] }, position: { x: 240, y: 0 } },
    { id: 'reply', type: 'core.respond', version: 1, config: { status: 200, body: 'ok' }, position: { x: 500, y: 20 } },
    { id: 'fresh', type: 'core.http', version: 1, config: { method: 'GET', url: 'https://x.test' }, position: { x: 700, y: 0 } },
  ],
  edges: [
    { id: 'x1', source: 'hook', target: 'shape' },
    { id: 'e2', source: 'shape', target: 'reply' },
    { id: 'e4', source: 'reply', target: 'fresh' },
  ],
};

describe('diffGraphs', () => {
  it('lists added, removed, changed and moved nodes, with config differences by path', () => {
    const d = diffGraphs(v1, v2);
    expect(d.added).toEqual(['fresh']);
    expect(d.removed).toEqual(['old']);
    expect(d.moved).toEqual(['reply']);
    expect([...d.changed.keys()]).toEqual(['hook', 'shape']);
    expect(d.changed.get('hook')).toEqual([{ path: 'name', before: undefined, after: 'Lead' }]);
    expect(d.changed.get('shape')).toEqual([
      { path: 'config.fields.0.value', before: 'Hello', after: 'Hi' },
      { path: 'config.fields.1', before: undefined, after: { name: 'extra', value: 1 } },
    ]);
    // Edges compare by what they connect: e1 and x1 are the same edge.
    expect(d.addedEdges).toEqual(['e4']);
    expect(d.removedEdges).toEqual(['e3']);
    expect(changeOf(d, 'fresh')).toBe('added');
    expect(changeOf(d, 'old')).toBe('removed');
    expect(changeOf(d, 'shape')).toBe('changed');
    expect(changeOf(d, 'reply')).toBe('moved');
  });

  it('finds nothing between equal graphs', () => {
    const d = diffGraphs(v1, structuredClone(v1));
    expect([d.added, d.removed, d.moved, [...d.changed.keys()], d.addedEdges, d.removedEdges].flat()).toEqual([]);
  });

  it('draws removed nodes and edges beside the newer graph', () => {
    const d = diffGraphs(v1, v2);
    const g = overlayGraph(v1, v2, d);
    expect(g.nodes.map((n) => n.id)).toEqual(['hook', 'shape', 'reply', 'fresh', 'old']);
    expect(g.edges.map((e) => e.id)).toEqual(['x1', 'e2', 'e4', 'e3']);
  });
});
