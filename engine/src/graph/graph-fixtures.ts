// Builders for graph tests (not a test file itself: shared by the graph tests).
export const at = { x: 0, y: 0 };

export function node(id: string, type: string, config: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { id, type, version: 1, config, position: at, ...extra };
}

export function edge(id: string, source: string, target: string, extra: Record<string, unknown> = {}) {
  return { id, source, target, ...extra };
}

export const hook = node('hook', 'core.webhook');
export const shape = node('shape', 'core.transform', { fields: [] });

/** The example pinned in DESIGN.md "The graph document". */
export const pinnedExample = {
  nodes: [
    { id: 'hook', type: 'core.webhook', version: 1, name: 'Incoming lead', config: { responseMode: 'wait' }, position: { x: 0, y: 0 } },
    {
      id: 'shape',
      type: 'core.transform',
      version: 1,
      config: { fields: [{ name: 'greeting', value: 'Hello {{ $trigger.body.name }}' }] },
      position: { x: 240, y: 0 },
    },
    { id: 'reply', type: 'core.respond', version: 1, config: { status: 200, body: '{{ $node["shape"].output }}' }, position: { x: 480, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: 'hook', target: 'shape' },
    { id: 'e2', source: 'shape', target: 'reply' },
  ],
};

/** hook → each(loop) —item→ fetch → tidy —next→ each; each —done→ report. */
export function loopGraph() {
  return {
    nodes: [
      hook,
      node('each', 'core.loop', { items: '{{ $trigger.body.rows }}', concurrency: 4 }),
      node('fetch', 'core.http', { method: 'GET', url: 'https://api.example.com/{{ $item.id }}' }),
      node('tidy', 'core.transform', { fields: [] }),
      node('report', 'core.transform', { fields: [] }),
    ],
    edges: [
      edge('e1', 'hook', 'each'),
      edge('e2', 'each', 'fetch', { sourceHandle: 'item' }),
      edge('e3', 'fetch', 'tidy'),
      edge('e4', 'tidy', 'each', { targetHandle: 'next' }),
      edge('e5', 'each', 'report', { sourceHandle: 'done' }),
    ],
  };
}

/** A trigger followed by a chain of `n - 1` transforms. */
export function chain(n: number) {
  const nodes = [hook, ...Array.from({ length: n - 1 }, (_, i) => node(`n${i}`, 'core.transform', { fields: [{ name: 'i', value: i }] }))];
  const edges = nodes.slice(1).map((to, i) => edge(`e${i}`, nodes[i]!.id, to.id));
  return { nodes, edges };
}
