import { defaultRegistry } from '@keyflow/nodes';
import { describe, expect, it } from 'vitest';
import { chain, edge, hook, loopGraph, node, pinnedExample, shape } from './graph-fixtures.ts';
import { validateGraph, type GraphIssue } from './validate-graph.ts';

function issuesOf(graph: unknown): GraphIssue[] {
  const result = validateGraph(graph, defaultRegistry);
  return result.ok ? [] : result.issues;
}

const cond = node('check', 'core.condition', { if: '{{ $trigger.body.ok }}' });

describe('validateGraph accepts', () => {
  it.each([
    ['the pinned example from DESIGN.md', pinnedExample],
    ['a loop with a back edge into its next input', loopGraph()],
    ['a condition with both branches merged', {
      nodes: [hook, cond, node('yes', 'core.transform', { fields: [] }), node('no', 'core.transform', { fields: [] }), node('join', 'core.merge', { mode: 'first' })],
      edges: [edge('e1', 'hook', 'check'), edge('e2', 'check', 'yes', { sourceHandle: 'true' }), edge('e3', 'check', 'no', { sourceHandle: 'false' }), edge('e4', 'yes', 'join'), edge('e5', 'no', 'join')],
    }],
    ['switch cases by generated and named handle', {
      nodes: [hook, node('route', 'core.switch', { value: '{{ $trigger.body.kind }}', cases: [{ equals: 'a' }, { equals: 'b', handle: 'bee' }] }), shape],
      edges: [edge('e1', 'hook', 'route'), edge('e2', 'route', 'shape', { sourceHandle: 'case0' }), edge('e3', 'route', 'shape', { sourceHandle: 'bee' }), edge('e4', 'route', 'shape', { sourceHandle: 'default' })],
    }],
    ['explicit main handles and null handles', { nodes: [hook, shape], edges: [edge('e1', 'hook', 'shape', { sourceHandle: 'main', targetHandle: null })] }],
    ['an expression where a number is expected (checked at run time)', { nodes: [hook, node('wait', 'core.delay', { amount: '{{ $trigger.body.n }}', unit: 'minutes' })], edges: [edge('e1', 'hook', 'wait')] }],
    ['a disabled node whose config is unfinished', { nodes: [hook, node('later', 'core.http', {}, { disabled: true })], edges: [edge('e1', 'hook', 'later')] }],
    ['a lone trigger', { nodes: [node('t', 'core.manual')], edges: [] }],
    ['sticky notes', { nodes: [node('t', 'core.manual')], edges: [], notes: [{ id: 'note1', text: 'Remember <b>this</b>', position: { x: 10, y: -20 }, width: 200, height: 120 }] }],
  ])('%s', (_name, graph) => {
    const result = validateGraph(graph, defaultRegistry);
    expect(result).toEqual({ ok: true, graph });
  });
});

const twoNodes = (a: Record<string, unknown>, b: Record<string, unknown> = shape, edges: unknown[] = [edge('e1', 'hook', 'shape')]) => ({ nodes: [a, b], edges });

describe('validateGraph reports', () => {
  it.each<[string, unknown, (string | number)[][], RegExp]>([
    ['a graph that is not an object', null, [[]], /object/],
    ['an unknown top-level field', { nodes: [], edges: [], viewport: {} }, [['viewport']], /unknown field 'viewport'/],
    ['more than 2000 nodes', { nodes: Array.from({ length: 2001 }, (_, i) => node(`n${i}`, 'core.manual')), edges: [] }, [['nodes']], /at most 2000 nodes/],
    ['more than 4000 edges', { nodes: [], edges: Array.from({ length: 4001 }, (_, i) => edge(`e${i}`, 'a', 'b')) }, [['edges']], /at most 4000 edges/],
    ['more than 200 notes', { nodes: [], edges: [], notes: Array.from({ length: 201 }, (_, i) => ({ id: `s${i}`, text: '', position: { x: 0, y: 0 } })) }, [['notes']], /at most 200 notes/],
    ['a note with an unknown field', { nodes: [hook], edges: [], notes: [{ id: 's1', text: 'hi', position: { x: 0, y: 0 }, html: '<b>' }] }, [['notes', 0, 'html']], /unknown field/],
    ['a note text over 5000 characters', { nodes: [hook], edges: [], notes: [{ id: 's1', text: 'x'.repeat(5001), position: { x: 0, y: 0 } }] }, [['notes', 0, 'text']], /at most 5000/],
    ['a note too small', { nodes: [hook], edges: [], notes: [{ id: 's1', text: '', position: { x: 0, y: 0 }, width: 1 }] }, [['notes', 0, 'width']], /./],
    ['a duplicate note id', { nodes: [hook], edges: [], notes: [{ id: 's1', text: 'a', position: { x: 0, y: 0 } }, { id: 's1', text: 'b', position: { x: 9, y: 9 } }] }, [['notes', 1, 'id']], /duplicate note id 's1'/],
    ['a malformed node id', twoNodes(hook, { ...shape, id: 'a b' }, []), [['nodes', 1, 'id']], /1-64 letters/],
    ['an unknown node field', twoNodes(hook, { ...shape, color: 'red' }), [['nodes', 1, 'color']], /unknown field/],
    ['a name over 200 characters', twoNodes(hook, { ...shape, name: 'x'.repeat(201) }), [['nodes', 1, 'name']], /200/],
    ['a position that is not finite', twoNodes(hook, { ...shape, position: { x: Infinity, y: 0 } }), [['nodes', 1, 'position', 'x']], /./],
    ['a fractional version', twoNodes(hook, { ...shape, version: 1.5 }), [['nodes', 1, 'version']], /expected int/],
    ['an unknown edge field', twoNodes(hook, shape, [edge('e1', 'hook', 'shape', { animated: true })]), [['edges', 0, 'animated']], /unknown field/],
    ['an unknown node type', twoNodes(hook, { ...shape, type: 'core.nope' }), [['nodes', 1, 'type']], /unknown node type 'core.nope'/],
    ['an unknown node version', twoNodes(hook, { ...shape, version: 2 }), [['nodes', 1, 'version']], /core.transform has no version 2 \(known: 1\)/],
    ['a duplicate node id', { nodes: [hook, shape, { ...shape, position: { x: 1, y: 1 } }], edges: [] }, [['nodes', 2, 'id']], /duplicate node id 'shape' \(first at nodes\[1\]\)/],
    ['a duplicate edge id', twoNodes(hook, shape, [edge('e1', 'hook', 'shape'), edge('e1', 'hook', 'shape', { targetHandle: 'main', sourceHandle: 'x' })]), [['edges', 1, 'id'], ['edges', 1, 'sourceHandle']], /duplicate edge id 'e1'/],
    ['an edge to a missing node', twoNodes(hook, shape, [edge('e1', 'hook', 'ghost')]), [['edges', 0, 'target']], /no node 'ghost'/],
    ['an edge from a missing node', twoNodes(hook, shape, [edge('e1', 'ghost', 'shape')]), [['edges', 0, 'source']], /no node 'ghost'/],
    ['a missing handle on a branching node', { nodes: [hook, cond, shape], edges: [edge('e1', 'hook', 'check'), edge('e2', 'check', 'shape')] }, [['edges', 1, 'sourceHandle']], /outputs has several \(true, false\): name one/],
    ['a handle the node does not have', { nodes: [hook, cond, shape], edges: [edge('e1', 'hook', 'check'), edge('e2', 'check', 'shape', { sourceHandle: 'maybe' })] }, [['edges', 1, 'sourceHandle']], /has no 'maybe' \(it has true, false\)/],
    ['a switch handle beyond its cases', { nodes: [hook, node('route', 'core.switch', { value: 1, cases: [{ equals: 1 }] }), shape], edges: [edge('e1', 'hook', 'route'), edge('e2', 'route', 'shape', { sourceHandle: 'case1' })] }, [['edges', 1, 'sourceHandle']], /no 'case1' \(it has case0, default\)/],
    ['an input handle the node does not have', twoNodes(hook, shape, [edge('e1', 'hook', 'shape', { targetHandle: 'side' })]), [['edges', 0, 'targetHandle']], /inputs has no 'side' \(it has main\)/],
    ['a repeated connection', twoNodes(hook, shape, [edge('e1', 'hook', 'shape'), edge('e2', 'hook', 'shape', { sourceHandle: 'main' })]), [['edges', 1]], /repeats the connection of edges\[0\]/],
    ['a cycle', { nodes: [hook, shape, node('b', 'core.transform', { fields: [] })], edges: [edge('e1', 'hook', 'shape'), edge('e2', 'shape', 'b'), edge('e3', 'b', 'shape')] }, [['edges', 1]], /closes a cycle through 'shape', 'b'/],
    ['a self-loop', twoNodes(hook, shape, [edge('e1', 'hook', 'shape'), edge('e2', 'shape', 'shape')]), [['edges', 1]], /cycle through 'shape'/],
    ['a cycle through a loop\'s main input', (() => {
      const g = loopGraph();
      return { ...g, edges: g.edges.map((e) => (e.id === 'e4' ? edge('e4', 'tidy', 'each') : e)) };
    })(), [['edges', 1]], /cycle through 'each', 'fetch', 'tidy'/],
    ['a back edge from outside the loop body', (() => {
      const g = loopGraph();
      return { ...g, edges: [...g.edges, edge('e6', 'hook', 'each', { targetHandle: 'next' })] };
    })(), [['edges', 5, 'source']], /must come from its body/],
    ['a missing required config field', twoNodes(hook, { ...shape, config: {} }), [['nodes', 1, 'config', 'fields']], /expected array/],
    ['an out-of-bounds config value', twoNodes(hook, node('shape', 'core.delay', { amount: 31, unit: 'days' })), [['nodes', 1, 'config', 'amount']], /30 days/],
    ['an unknown config field', twoNodes(hook, { ...shape, config: { fields: [], colour: 1 } }), [['nodes', 1, 'config', 'colour']], /unknown field 'colour'/],
    ['an unknown config field holding an expression', twoNodes(hook, { ...shape, config: { fields: [], colour: '{{ 1 }}' } }), [['nodes', 1, 'config', 'colour']], /unknown field/],
    ['a nested config fault', twoNodes(hook, { ...shape, config: { fields: [{ name: '__proto__.x', value: 1 }] } }), [['nodes', 1, 'config', 'fields', 0, 'name']], /not allowed/],
    ['no trigger', { nodes: [shape], edges: [] }, [['nodes']], /exactly one trigger node, and has none/],
    ['an empty graph', { nodes: [], edges: [] }, [['nodes']], /exactly one trigger/],
    ['two triggers', { nodes: [hook, node('manual', 'core.manual'), shape], edges: [edge('e1', 'hook', 'shape')] }, [['nodes', 1, 'type']], /'hook' is already one/],
    ['an edge into a trigger', { nodes: [hook, shape], edges: [edge('e1', 'hook', 'shape'), edge('e2', 'shape', 'hook')] }, [['edges', 1, 'target']], /is a trigger: nothing may lead into it/],
    ['a disabled trigger', { nodes: [{ ...hook, disabled: true }, shape], edges: [edge('e1', 'hook', 'shape')] }, [['nodes', 0, 'disabled']], /cannot be disabled/],
  ])('%s', (_name, graph, paths, message) => {
    const issues = issuesOf(graph);
    expect(issues.map((i) => i.path)).toEqual(paths);
    expect(issues[0]!.message).toMatch(message);
  });

  it('reports every fault of a graph at once, in a stable order', () => {
    const graph = {
      nodes: [hook, node('bad id!', 'core.transform', { fields: [] }), node('x', 'core.nope'), node('wait', 'core.delay', { amount: 0, unit: 'days' }), node('m', 'core.manual'), shape],
      edges: [edge('e1', 'hook', 'wait'), edge('e2', 'wait', 'ghost'), edge('e3', 'x', 'wait'), edge('e4', 'bad id!', 'wait'), edge('e1', 'wait', 'shape'), edge('e5', 'shape', 'm')],
    };
    const first = issuesOf(graph);
    expect(first.map((i) => i.path)).toEqual([
      ['nodes', 1, 'id'],
      ['edges', 3, 'source'],
      ['nodes', 2, 'type'],
      ['nodes', 3, 'config', 'amount'],
      ['nodes', 4, 'type'],
      ['edges', 1, 'target'],
      ['edges', 4, 'id'],
      ['edges', 5, 'target'],
    ]);
    expect(issuesOf(structuredClone(graph))).toEqual(first);
  });

  it('does not call an edge to a malformed node an edge to a missing node', () => {
    const issues = issuesOf(twoNodes(hook, { ...shape, position: null }));
    expect(issues.map((i) => i.path)).toEqual([['nodes', 1, 'position']]);
  });

  it('adds the issues of checkTemplates under the node config, skipping disabled nodes', () => {
    const graph = { nodes: [hook, node('a', 'core.transform', { fields: [{ name: 'x', value: '{{ oops' }] }), node('b', 'core.transform', { fields: [] }, { disabled: true })], edges: [] };
    const seen: string[] = [];
    const result = validateGraph(graph, defaultRegistry, {
      checkTemplates: (config, n) => {
        seen.push(n.id);
        return JSON.stringify(config).includes('{{ oops') ? [{ path: ['fields', 0, 'value'], message: 'unclosed expression' }] : [];
      },
    });
    expect(seen).toEqual(['hook', 'a']);
    expect(result).toEqual({ ok: false, issues: [{ path: ['nodes', 1, 'config', 'fields', 0, 'value'], message: 'unclosed expression' }] });
  });
});

describe('validateGraph on a big graph', () => {
  it('accepts a 500-node chain', () => {
    const graph = chain(500);
    const result = validateGraph(graph, defaultRegistry);
    expect(result.ok).toBe(true);
  });

  it('accepts a 2,000-node chain by default', () => {
    const result = validateGraph(chain(2000), defaultRegistry);
    expect(result.ok).toBe(true);
  });

  it('applies a configured node limit', () => {
    const graph = chain(101);
    expect(validateGraph(graph, defaultRegistry, { maxNodes: 101 }).ok).toBe(true);
    expect(validateGraph(graph, defaultRegistry, { maxNodes: 100 })).toEqual({ ok: false, issues: [{ path: ['nodes'], message: 'a workflow has at most 100 nodes' }] });
  });

  it.each([0, 1.5, 10_001])('refuses a node limit of %s', (maxNodes) => {
    expect(() => validateGraph(chain(2), defaultRegistry, { maxNodes })).toThrow(/maxNodes/);
  });

  it('finds the single cycle closed at the end of a 500-node chain', () => {
    const graph = chain(500);
    graph.edges.push({ id: 'back', source: 'n498', target: 'n0' });
    const issues = issuesOf(graph);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toEqual(['edges', 1]);
    expect(issues[0]!.message).toContain("'n0', 'n1'");
  });
});

describe('validateGraph on nested loops', () => {
  /** `depth` loops each in the body of the one before, the innermost running one transform. */
  function nested(depth: number) {
    const loops = Array.from({ length: depth }, (_, i) => node(`l${i}`, 'core.loop', { items: '{{ [1] }}' }));
    const edges = [edge('e-in', 'hook', 'l0'), edge('e-leaf', `l${depth - 1}`, 'shape', { sourceHandle: 'item' }), edge('e-back', 'shape', `l${depth - 1}`, { targetHandle: 'next' })];
    for (let i = 1; i < depth; i++) {
      edges.push(edge(`e-item${i}`, `l${i - 1}`, `l${i}`, { sourceHandle: 'item' }), edge(`e-done${i}`, `l${i}`, `l${i - 1}`, { sourceHandle: 'done', targetHandle: 'next' }));
    }
    return { nodes: [hook, ...loops, shape], edges };
  }

  it('accepts loops nested 3 deep', () => {
    expect(issuesOf(nested(3))).toEqual([]);
  });

  it('reports the loop nested a 4th level deep, at its node', () => {
    expect(issuesOf(nested(4))).toEqual([{ path: ['nodes', 4], message: 'loops are nested more than 3 deep (this loop is at depth 4)' }]);
  });
});
