// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { validateGraph, type Graph } from '@keyflow/engine/graph';
import { defaultRegistry } from '@keyflow/nodes';
import { useEditorStore } from './editor-store.ts';
import { descriptor, testDescriptors } from './test-descriptors.ts';
import { loadDraft } from './drafts.ts';
import { MERGE_WINDOW_MS } from './history.ts';

const base: Graph = {
  nodes: [
    { id: 'hook', type: 'core.webhook', version: 1, config: {}, position: { x: 0, y: 0 } },
    { id: 'shape', type: 'core.transform', version: 1, config: { fields: [] }, position: { x: 240, y: 0 } },
    { id: 'reply', type: 'core.respond', version: 1, config: { status: 200, body: 'ok' }, position: { x: 480, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: 'hook', target: 'shape' },
    { id: 'e2', source: 'shape', target: 'reply' },
  ],
};

const s = () => useEditorStore.getState();

function select(...ids: string[]) {
  s().onNodesChange(s().nodes.map((n) => ({ type: 'select' as const, id: n.id, selected: ids.includes(n.id) })));
}

beforeEach(() => {
  localStorage.clear();
  s().setReadOnly(false);
  s().load({ workflowId: 'wf1', graph: structuredClone(base), version: 3 });
  s().setDescriptors(testDescriptors);
});

/** Applies `edit`, checks the graph changed, then that undo restores it exactly and redo re-applies it. */
function expectUndoable(edit: () => void) {
  const before = s().graph();
  edit();
  const after = s().graph();
  expect(after).not.toEqual(before);
  expect(s().dirty).toBe(true);
  s().undo();
  expect(s().graph()).toEqual(before);
  expect(s().dirty).toBe(false);
  s().redo();
  expect(s().graph()).toEqual(after);
}

describe('undo and redo of every edit kind', () => {
  it.each<[string, () => void]>([
    ['add', () => s().addNode(descriptor('core.delay'), { x: 10, y: 300 })],
    ['delete (with its edges)', () => { select('shape'); s().deleteSelected(); }],
    ['connect', () => s().connect({ source: 'hook', target: 'reply' })],
    ['disconnect', () => s().removeEdge('e2')],
    ['rename', () => s().renameNode('shape', 'Shape the lead')],
    ['config change', () => s().updateConfig('reply', { status: 201, body: 'made' })],
    ['disable', () => s().setDisabled('shape', true)],
    ['paste', () => s().paste({ nodes: [base.nodes[1]!], edges: [] })],
    ['duplicate', () => { select('shape', 'reply'); s().duplicateSelected(); }],
    ['auto-layout', () => s().applyLayout(new Map([['hook', { x: 0, y: 100 }], ['shape', { x: 300, y: 100 }]]))],
    ['version restore', () => s().replaceGraph({ nodes: [base.nodes[0]!], edges: [] }, 'restore version 1')],
    ['add a sticky note', () => s().addNote({ x: 0, y: -200 }, 'remember')],
  ])('%s', (_name, edit) => expectUndoable(edit));

  it('edits a sticky note, then undoes the edit and the note', () => {
    const id = s().addNote({ x: 0, y: -200 }, 'first')!;
    s().editNote(id, 'second');
    expect(s().graph().notes).toEqual([{ id: 'note', text: 'second', position: { x: 0, y: -200 }, width: 220, height: 120 }]);
    s().undo();
    expect(s().graph().notes?.[0]?.text).toBe('first');
    s().undo();
    expect(s().graph().notes).toBeUndefined();
  });

  it('records one drag as one move, however many frames it took', () => {
    expectUndoable(() => {
      for (let x = 1; x <= 30; x++) s().onNodesChange([{ type: 'position', id: 'shape', position: { x: 240 + x, y: x }, dragging: true }]);
      s().onNodesChange([{ type: 'position', id: 'shape', position: { x: 300, y: 40 }, dragging: false }]);
    });
    expect(s().history.past).toHaveLength(1);
    expect(s().graph().nodes[1]!.position).toEqual({ x: 300, y: 40 });
  });

  it('records one resize of a note as one edit', () => {
    const id = s().addNote({ x: 0, y: 0 })!;
    for (let w = 230; w < 300; w += 10) s().onNodesChange([{ type: 'dimensions', id, dimensions: { width: w, height: 150 }, resizing: true, setAttributes: true }]);
    s().onNodesChange([{ type: 'dimensions', id, dimensions: { width: 320, height: 160 }, resizing: false, setAttributes: true }]);
    expect(s().history.past.map((h) => h.label)).toEqual(['add note', 'move']);
    expect(s().graph().notes?.[0]).toMatchObject({ width: 320, height: 160 });
    s().undo();
    expect(s().graph().notes?.[0]).toMatchObject({ width: 220, height: 120 });
  });

  it('does not record selection or measurements', () => {
    select('hook');
    s().onNodesChange([{ type: 'dimensions', id: 'hook', dimensions: { width: 180, height: 60 } }]);
    expect(s().history.past).toHaveLength(0);
    expect(s().dirty).toBe(false);
  });

  it('merges quick config edits of one node into one step, but not edits of two nodes', () => {
    vi.useFakeTimers();
    try {
      s().updateConfig('reply', { status: 201, body: 'a' });
      s().updateConfig('reply', { status: 201, body: 'ab' });
      s().updateConfig('shape', { fields: [{ name: 'x', value: 1 }] });
      vi.advanceTimersByTime(MERGE_WINDOW_MS + 10);
      s().updateConfig('shape', { fields: [{ name: 'x', value: 2 }] });
      expect(s().history.past).toHaveLength(3);
      s().undo();
      s().undo();
      s().undo();
      expect(s().graph()).toEqual(base);
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets the redo branch after a new edit', () => {
    s().renameNode('hook', 'A');
    s().undo();
    s().setDisabled('shape', true);
    s().redo();
    expect(s().graph().nodes[0]!.name).toBeUndefined();
  });

  it('undoes and redoes across a save, and knows which state is the saved one', () => {
    s().renameNode('hook', 'Before save');
    s().markSaved(4);
    expect(s().dirty).toBe(false);
    s().undo();
    expect(s().dirty).toBe(true);
    expect(s().graph().nodes[0]!.name).toBeUndefined();
    s().redo();
    expect(s().dirty).toBe(false);
    expect(s().baseVersion).toBe(4);
  });
});

describe('connection rules', () => {
  const loopGraph: Graph = {
    nodes: [
      { id: 'hook', type: 'core.webhook', version: 1, config: {}, position: { x: 0, y: 0 } },
      { id: 'each', type: 'core.loop', version: 1, config: { items: '{{ $trigger.body.items }}' }, position: { x: 200, y: 0 } },
      { id: 'body', type: 'core.transform', version: 1, config: { fields: [] }, position: { x: 400, y: 0 } },
      { id: 'after', type: 'core.transform', version: 1, config: { fields: [] }, position: { x: 400, y: 200 } },
    ],
    edges: [
      { id: 'e1', source: 'hook', target: 'each' },
      { id: 'e2', source: 'each', target: 'body', sourceHandle: 'item' },
      { id: 'e3', source: 'each', target: 'after', sourceHandle: 'done' },
    ],
  };

  it.each([
    ['into a trigger', { source: 'shape', target: 'hook' }, /is a trigger: nothing may lead into it/],
    ['a node to itself', { source: 'shape', target: 'shape' }, /cannot be connected to itself/],
    ['a duplicate edge', { source: 'hook', target: 'shape', sourceHandle: 'main' }, /already connected/],
    ['a cycle', { source: 'reply', target: 'shape' }, /close a cycle/],
    ['an output the node lacks', { source: 'hook', target: 'reply', sourceHandle: 'nope' }, /has no output 'nope'/],
  ])('refuses %s with a reason, shown as a toast', (_name, attempt, reason) => {
    const edges = s().edges;
    expect(s().connect(attempt)).toMatch(reason);
    expect(s().edges).toBe(edges);
    expect(s().toasts.at(-1)?.message).toMatch(reason);
    expect(s().history.past).toHaveLength(0);
  });

  // The same rules as the server's validator: every edge refused here is refused there too.
  it.each([
    ['into a trigger', base, { id: 'x', source: 'shape', target: 'hook' }],
    ['to itself', base, { id: 'x', source: 'shape', target: 'shape' }],
    ['duplicate', base, { id: 'x', source: 'hook', target: 'shape', sourceHandle: 'main' }],
    ['cycle', base, { id: 'x', source: 'reply', target: 'shape' }],
    ['back edge from outside the body', loopGraph, { id: 'x', source: 'after', target: 'each', targetHandle: 'next' }],
  ])('matches the server on %s', (_name, graph, edge) => {
    expect(validateGraph(graph, defaultRegistry).ok).toBe(true);
    s().load({ workflowId: 'wf1', graph, version: 1 });
    expect(s().connect(edge)).toBeDefined();
    const server = validateGraph({ ...graph, edges: [...graph.edges, edge] }, defaultRegistry);
    expect(server.ok).toBe(false);
    expect(!server.ok && server.issues.some((i) => i.path[0] === 'edges')).toBe(true);
  });

  it('matches the server on an allowed back edge', () => {
    const edge = { id: 'x', source: 'body', target: 'each', targetHandle: 'next' };
    s().load({ workflowId: 'wf1', graph: loopGraph, version: 1 });
    expect(s().connect(edge)).toBeUndefined();
    expect(validateGraph(s().graph(), defaultRegistry).ok).toBe(true);
  });

  it("allows a back edge from a loop's body into its 'next' input", () => {
    s().load({ workflowId: 'wf1', graph: loopGraph, version: 1 });
    expect(s().connect({ source: 'body', target: 'each', targetHandle: 'next' })).toBeUndefined();
    expect(s().edges.at(-1)).toMatchObject({ source: 'body', target: 'each', targetHandle: 'next' });
  });

  it("refuses a back edge from outside the loop's body, and a cycle into its main input", () => {
    s().load({ workflowId: 'wf1', graph: loopGraph, version: 1 });
    expect(s().connect({ source: 'after', target: 'each', targetHandle: 'next' })).toMatch(/end of its body/);
    expect(s().connect({ source: 'body', target: 'each' })).toMatch(/close a cycle/);
  });

  it('connects branch outputs by handle', () => {
    s().load({ workflowId: 'wf1', graph: { nodes: [...base.nodes, { id: 'check', type: 'core.condition', version: 1, config: { if: 'x' }, position: { x: 0, y: 200 } }], edges: [] }, version: 1 });
    expect(s().connect({ source: 'check', target: 'reply', sourceHandle: 'true' })).toBeUndefined();
    expect(s().connect({ source: 'check', target: 'reply', sourceHandle: 'false' })).toBeUndefined();
    expect(s().connect({ source: 'check', target: 'reply', sourceHandle: 'true' })).toMatch(/already connected/);
  });
});

describe('copy and paste', () => {
  it('renames pasted ids so they never collide, keeps inner edges, offsets positions', () => {
    select('shape', 'reply');
    const copied = s().copy()!;
    expect(copied).toEqual({ nodes: [base.nodes[1], base.nodes[2]], edges: [base.edges[1]] });
    s().paste(JSON.parse(JSON.stringify(copied)) as Graph, { x: 40, y: 40 });
    const g = s().graph();
    expect(g.nodes.map((n) => n.id)).toEqual(['hook', 'shape', 'reply', 'shape_2', 'reply_2']);
    expect(g.nodes[3]!.position).toEqual({ x: 280, y: 40 });
    expect(g.edges).toHaveLength(3);
    expect(g.edges[2]).toMatchObject({ source: 'shape_2', target: 'reply_2' });
    expect(new Set(g.edges.map((e) => e.id)).size).toBe(3);
    // Only the pasted group is selected, so a second paste copies it again.
    expect(s().nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['shape_2', 'reply_2']);
    s().paste(copied);
    expect(s().graph().nodes.map((n) => n.id).slice(5)).toEqual(['shape_3', 'reply_3']);
  });

  it('drops edges that leave the pasted group', () => {
    s().paste({ nodes: [base.nodes[1]!], edges: [base.edges[0]!, base.edges[1]!] });
    expect(s().graph().edges).toHaveLength(2);
  });

  it('pastes into an empty second workflow with the ids it had', () => {
    select('hook', 'shape');
    const copied = s().copy()!;
    s().load({ workflowId: 'wf2', graph: { nodes: [], edges: [] }, version: 1 });
    s().paste(copied, { x: 0, y: 0 });
    expect(s().graph()).toEqual({ nodes: [base.nodes[0], base.nodes[1]], edges: [base.edges[0]] });
  });
});

describe('drafts', () => {
  it('keeps unsaved edits in localStorage with the base version, and clears them on save', () => {
    s().renameNode('hook', 'Draft name');
    s().flushDraft();
    const draft = loadDraft('wf1')!;
    expect(draft.baseVersion).toBe(3);
    expect(draft.graph.nodes[0]!.name).toBe('Draft name');
    s().markSaved(4);
    expect(loadDraft('wf1')).toBeUndefined();
  });

  it('writes the draft shortly after an edit without being asked', async () => {
    vi.useFakeTimers();
    try {
      s().renameNode('hook', 'Later');
      expect(loadDraft('wf1')).toBeUndefined();
      vi.advanceTimersByTime(1000);
      expect(loadDraft('wf1')?.graph.nodes[0]!.name).toBe('Later');
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops the draft when undo returns to the saved graph', () => {
    s().renameNode('hook', 'X');
    s().flushDraft();
    s().undo();
    s().flushDraft();
    expect(loadDraft('wf1')).toBeUndefined();
  });

  it('ignores a corrupt or foreign draft', () => {
    localStorage.setItem('keyflow.draft.wf1', '{"baseVersion":1,"savedAt":"2026-01-01T00:00:00Z","graph":{"nodes":[{"id":"x"}],"edges":[]}}');
    expect(loadDraft('wf1')).toBeUndefined();
    expect(localStorage.getItem('keyflow.draft.wf1')).toBeNull();
  });

  it('loads a draft as unsaved work over the saved graph', () => {
    const edited = structuredClone(base);
    edited.nodes[0]!.name = 'From draft';
    s().load({ workflowId: 'wf1', graph: edited, version: 3, savedGraph: base });
    expect(s().dirty).toBe(true);
    s().markSaved(4);
    expect(s().dirty).toBe(false);
  });
});

describe('read-only', () => {
  it('refuses edits while read-only', () => {
    s().setReadOnly(true);
    s().renameNode('hook', 'nope');
    s().addNode(descriptor('core.delay'), { x: 0, y: 0 });
    expect(s().graph()).toEqual(base);
  });
});
