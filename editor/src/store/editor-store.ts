// The editor's state in two zustand slices: graph (the document as React Flow nodes and
// edges, with every edit recorded for undo) and ui (panels, messages, read-only and compare
// modes). Components select with useShallow and call actions; node data holds no callbacks.
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import type { Graph } from '@keyflow/engine/graph';
import { MAIN_HANDLE } from '@keyflow/nodes/contract';
import { create, type StateCreator } from 'zustand';
import { placeFragment, idForType, uniqueId, copySelection } from './clipboard.ts';
import { connectionProblem, type ConnectionAttempt } from './connection-rules.ts';
import { clearDraft, saveDraft } from './drafts.ts';
import { docKey, docToGraph, graphToDoc } from './graph-doc.ts';
import { emptyHistory, record, type History } from './history.ts';
import { NOTE_PREFIX, type DescriptorLike, type DescriptorMap, type Doc, type KfEdge, type KfNode, type KfNoteNode, type KfWorkflowNode } from './types.ts';
import { changeOf, type GraphDiff, type NodeChangeKind } from './diff.ts';
import { createRunSlice, rederive, type RunSlice } from './run-slice.ts';

export interface VersionView {
  label: string;
  graph: Graph;
  diff?: GraphDiff;
}

export interface Toast {
  id: number;
  kind: 'info' | 'error';
  message: string;
}

export interface GraphSlice {
  workflowId: string | undefined;
  nodes: KfNode[];
  edges: KfEdge[];
  history: History;
  /** The server version the canvas was loaded from or last saved as (the next save's baseVersion). */
  baseVersion: number;
  /** docKey of the last saved document. */
  savedKey: string;
  dirty: boolean;
  descriptors: DescriptorMap;

  load(input: { workflowId: string; graph: Graph; version: number; savedGraph?: Graph }): void;
  setDescriptors(list: readonly DescriptorLike[]): void;
  onNodesChange(changes: NodeChange<KfNode>[]): void;
  onEdgesChange(changes: EdgeChange<KfEdge>[]): void;
  /** Adds the edge, or returns why it is refused (also shown as a toast). */
  connect(attempt: ConnectionAttempt): string | undefined;
  addNode(descriptor: DescriptorLike, position: { x: number; y: number }, config?: Record<string, unknown>): string | undefined;
  addNote(position: { x: number; y: number }, text?: string): string | undefined;
  editNote(id: string, text: string): void;
  renameNode(id: string, name: string): void;
  updateConfig(id: string, config: Record<string, unknown>): void;
  setDisabled(id: string, disabled: boolean): void;
  /** Pins an output as the node's test data (undefined unpins); one undoable edit, saved with the draft. */
  setPinned(id: string, output: unknown): void;
  removeEdge(id: string): void;
  deleteSelected(): void;
  selectAll(): void;
  duplicateSelected(): void;
  copy(): Graph | undefined;
  /** Adds a fragment with fresh ids as one edit (`label` names it in the history: paste, generate, import). */
  paste(graph: Graph, offset?: { x: number; y: number }, label?: string): void;
  applyLayout(positions: ReadonlyMap<string, { x: number; y: number }>): void;
  /** Replaces the whole document (version restore, import) as one undoable edit. */
  replaceGraph(graph: Graph, label: string): void;
  undo(): void;
  redo(): void;
  markSaved(version: number, savedGraph?: Graph): void;
  /** Writes the draft now (normally done shortly after each edit). */
  flushDraft(): void;
  graph(): Graph;
}

export interface UiSlice {
  toasts: Toast[];
  helpOpen: boolean;
  sidePanel: 'inspector' | 'versions' | 'compare' | 'runs';
  readOnly: boolean;
  /** Faults the server reported on save (422), by node id. */
  serverIssues: Record<string, string[]>;
  /** An old version open read-only, or two versions compared, drawn instead of the working graph. */
  view: VersionView | undefined;
  /** The change kind of each node in the view's comparison, for its highlight. */
  diffKinds: Record<string, NodeChangeKind> | undefined;
  toast(kind: Toast['kind'], message: string): void;
  dismissToast(id: number): void;
  setHelpOpen(open: boolean): void;
  setSidePanel(panel: UiSlice['sidePanel']): void;
  setReadOnly(readOnly: boolean): void;
  setServerIssues(issues: Record<string, string[]>): void;
  /** Opens a view (the working graph becomes read-only meanwhile) or closes it. */
  setView(view: VersionView | undefined): void;
}

export type EditorState = GraphSlice & UiSlice & RunSlice;

const DRAFT_DELAY_MS = 300;
let draftTimer: ReturnType<typeof setTimeout> | undefined;
let toastSeq = 0;

const docOf = (s: GraphSlice): Doc => ({ nodes: s.nodes, edges: s.edges });

const createGraphSlice: StateCreator<EditorState, [], [], GraphSlice> = (set, get) => {
  /** Where a drag or resize started: the whole gesture is one undo step. */
  let gestureBase: Doc | undefined;

  function scheduleDraft(): void {
    if (draftTimer) clearTimeout(draftTimer);
    draftTimer = setTimeout(() => get().flushDraft(), DRAFT_DELAY_MS);
  }

  /** Records one edit from the current document to `next`. */
  function commit(label: string, next: Doc, opts: { before?: Doc; mergeKey?: string } = {}): void {
    const s = get();
    if (s.readOnly) return;
    const before = opts.before ?? docOf(s);
    const dirty = docKey(next) !== s.savedKey;
    const entry = { label, before, after: next, at: Date.now(), ...(opts.mergeKey ? { mergeKey: opts.mergeKey } : {}) };
    set({ nodes: next.nodes, edges: next.edges, history: record(s.history, entry), dirty });
    scheduleDraft();
  }

  function moveTo(doc: Doc, history: History): void {
    const s = get();
    const dirty = docKey(doc) !== s.savedKey;
    set({ nodes: doc.nodes, edges: doc.edges, history, dirty });
    scheduleDraft();
  }

  function mapNode(id: string, fn: (n: KfNode) => KfNode): KfNode[] | undefined {
    const nodes = get().nodes;
    const i = nodes.findIndex((n) => n.id === id);
    if (i < 0) return undefined;
    const next = nodes.slice();
    next[i] = fn(nodes[i]!);
    return next;
  }

  function takenIds(): Set<string> {
    const s = get();
    const taken = new Set<string>();
    for (const n of s.nodes) taken.add(n.id.startsWith(NOTE_PREFIX) ? n.id.slice(NOTE_PREFIX.length) : n.id);
    for (const e of s.edges) taken.add(e.id);
    return taken;
  }

  const deselect = <T extends { selected?: boolean }>(items: T[]): T[] => items.map((x) => (x.selected ? { ...x, selected: false } : x));

  return {
    workflowId: undefined,
    nodes: [],
    edges: [],
    history: emptyHistory(),
    baseVersion: 1,
    savedKey: '',
    dirty: false,
    descriptors: new Map(),

    load({ workflowId, graph, version, savedGraph }) {
      if (draftTimer) clearTimeout(draftTimer);
      gestureBase = undefined;
      const doc = graphToDoc(graph);
      const savedKey = docKey(savedGraph ? graphToDoc(savedGraph) : doc);
      set({ workflowId, nodes: doc.nodes, edges: doc.edges, history: emptyHistory(), baseVersion: version, savedKey, dirty: docKey(doc) !== savedKey, serverIssues: {}, view: undefined, diffKinds: undefined, readOnly: false, run: undefined, runViews: {}, runEdges: new Set<string>() });
    },

    setDescriptors(list) {
      set({ descriptors: new Map(list.map((d) => [`${d.type}@${d.version}`, d])) });
    },

    onNodesChange(changes) {
      const s = get();
      // Removal goes through deleteSelected (one undo step for nodes and their edges).
      const allowed = s.readOnly ? changes.filter((c) => c.type === 'select' || c.type === 'dimensions' && !c.resizing && c.resizing !== false) : changes.filter((c) => c.type !== 'remove');
      if (allowed.length === 0) return;
      let gestureStart = false;
      let gestureEnd = false;
      let editWithoutGesture = false;
      for (const c of allowed) {
        if (c.type === 'position') {
          if (c.dragging) gestureStart = true;
          else if (c.position) {
            if (gestureBase) gestureEnd = true;
            else editWithoutGesture = true;
          }
        } else if (c.type === 'dimensions' && c.resizing !== undefined) {
          if (c.resizing) gestureStart = true;
          else gestureEnd = true;
        }
      }
      if (gestureStart && !gestureBase) gestureBase = docOf(s);
      const nodes = applyNodeChanges(allowed, s.nodes);
      if (gestureEnd && gestureBase) {
        const before = gestureBase;
        gestureBase = undefined;
        commit('move', { nodes, edges: s.edges }, { before });
      } else if (editWithoutGesture && !gestureBase) {
        commit('move', { nodes, edges: s.edges });
      } else {
        set({ nodes });
      }
    },

    onEdgesChange(changes) {
      const s = get();
      const allowed = changes.filter((c) => c.type === 'select');
      if (allowed.length > 0) set({ edges: applyEdgeChanges(allowed, s.edges) });
    },

    connect(attempt) {
      const s = get();
      if (s.readOnly) return 'this version is read-only';
      const problem = connectionProblem(docOf(s), attempt, s.descriptors);
      if (problem) {
        s.toast('error', `Cannot connect: ${problem}.`);
        return problem;
      }
      const edge: KfEdge = { id: uniqueId(`e_${attempt.source}_${attempt.target}`, takenIds()), source: attempt.source, target: attempt.target };
      // 'main' is what an absent handle means: documents stay as people write them.
      if (attempt.sourceHandle && attempt.sourceHandle !== MAIN_HANDLE) edge.sourceHandle = attempt.sourceHandle;
      if (attempt.targetHandle && attempt.targetHandle !== MAIN_HANDLE) edge.targetHandle = attempt.targetHandle;
      commit('connect', { nodes: s.nodes, edges: [...s.edges, edge] });
      return undefined;
    },

    addNode(descriptor, position, config = {}) {
      const s = get();
      if (s.readOnly) return undefined;
      const id = idForType(descriptor.type, takenIds());
      const node: KfWorkflowNode = { id, type: 'workflow', position: { ...position }, data: { type: descriptor.type, version: descriptor.version, config }, selected: true };
      commit('add', { nodes: [...deselect(s.nodes), node], edges: deselect(s.edges) });
      return id;
    },

    addNote(position, text = '') {
      const s = get();
      if (s.readOnly) return undefined;
      const id = NOTE_PREFIX + uniqueId('note', takenIds());
      const note: KfNoteNode = { id, type: 'note', position: { ...position }, data: { text }, width: 220, height: 120, zIndex: -1 };
      commit('add note', { nodes: [...s.nodes, note], edges: s.edges });
      return id;
    },

    editNote(id, text) {
      const nodes = mapNode(id, (n) => (n.type === 'note' ? { ...n, data: { ...n.data, text } } : n));
      if (nodes) commit('edit note', { nodes, edges: get().edges }, { mergeKey: `note:${id}` });
    },

    renameNode(id, name) {
      const nodes = mapNode(id, (n) => {
        if (n.type !== 'workflow') return n;
        const data = { ...n.data };
        if (name.trim() === '') delete data.name;
        else data.name = name;
        return { ...n, data };
      });
      if (nodes) commit('rename', { nodes, edges: get().edges }, { mergeKey: `name:${id}` });
    },

    updateConfig(id, config) {
      const nodes = mapNode(id, (n) => (n.type === 'workflow' ? { ...n, data: { ...n.data, config } } : n));
      if (nodes) commit('change config', { nodes, edges: get().edges }, { mergeKey: `config:${id}` });
    },

    setDisabled(id, disabled) {
      const nodes = mapNode(id, (n) => {
        if (n.type !== 'workflow') return n;
        const data = { ...n.data };
        if (disabled) data.disabled = true;
        else delete data.disabled;
        return { ...n, data };
      });
      if (nodes) commit(disabled ? 'disable' : 'enable', { nodes, edges: get().edges });
    },

    setPinned(id, output) {
      const nodes = mapNode(id, (n) => {
        if (n.type !== 'workflow') return n;
        const data = { ...n.data };
        if (output === undefined) delete data.pinned;
        else data.pinned = { output };
        return { ...n, data };
      });
      if (nodes) commit(output === undefined ? 'unpin' : 'pin', { nodes, edges: get().edges });
    },

    removeEdge(id) {
      const s = get();
      if (!s.edges.some((e) => e.id === id)) return;
      commit('disconnect', { nodes: s.nodes, edges: s.edges.filter((e) => e.id !== id) });
    },

    deleteSelected() {
      const s = get();
      const gone = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
      const edges = s.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
      if (gone.size === 0 && edges.length === s.edges.length) return;
      commit(gone.size > 0 ? 'delete' : 'disconnect', { nodes: s.nodes.filter((n) => !gone.has(n.id)), edges });
    },

    selectAll() {
      const s = get();
      set({ nodes: s.nodes.map((n) => (n.selected ? n : { ...n, selected: true })), edges: s.edges.map((e) => (e.selected ? e : { ...e, selected: true })) });
    },

    duplicateSelected() {
      const fragment = get().copy();
      if (fragment) get().paste(fragment, { x: 40, y: 40 });
    },

    copy() {
      return copySelection(docOf(get()));
    },

    paste(graph, offset = { x: 40, y: 40 }, label = 'paste') {
      const s = get();
      if (s.readOnly) return;
      const placed = placeFragment(docOf(s), graph, offset);
      if (placed.nodes.length === 0) return;
      commit(label, { nodes: [...deselect(s.nodes), ...placed.nodes], edges: [...deselect(s.edges), ...placed.edges] });
    },

    applyLayout(positions) {
      const s = get();
      const nodes = s.nodes.map((n) => {
        const p = positions.get(n.id);
        return p && (p.x !== n.position.x || p.y !== n.position.y) ? { ...n, position: { x: p.x, y: p.y } } : n;
      });
      commit('auto-layout', { nodes, edges: s.edges });
    },

    replaceGraph(graph, label) {
      commit(label, graphToDoc(graph));
    },

    undo() {
      const s = get();
      if (s.readOnly) return;
      const entry = s.history.past[s.history.past.length - 1];
      if (!entry) return;
      gestureBase = undefined;
      moveTo(entry.before, { past: s.history.past.slice(0, -1), future: [entry, ...s.history.future] });
    },

    redo() {
      const s = get();
      if (s.readOnly) return;
      const [entry, ...rest] = s.history.future;
      if (!entry) return;
      moveTo(entry.after, { past: [...s.history.past, entry], future: rest });
    },

    markSaved(version, savedGraph) {
      const s = get();
      if (draftTimer) clearTimeout(draftTimer);
      const savedKey = savedGraph ? docKey(graphToDoc(savedGraph)) : docKey(docOf(s));
      set({ baseVersion: version, savedKey, dirty: docKey(docOf(s)) !== savedKey, serverIssues: {} });
      if (s.workflowId && !get().dirty) clearDraft(s.workflowId);
    },

    flushDraft() {
      if (draftTimer) clearTimeout(draftTimer);
      draftTimer = undefined;
      const s = get();
      if (!s.workflowId || s.readOnly) return;
      if (!s.dirty) {
        clearDraft(s.workflowId);
        return;
      }
      if (!saveDraft(s.workflowId, { baseVersion: s.baseVersion, savedAt: new Date().toISOString(), graph: docToGraph(docOf(s)) })) {
        s.toast('error', 'Your browser refused to keep a draft (storage full?): save soon to keep these edits.');
      }
    },

    graph() {
      return docToGraph(docOf(get()));
    },
  };
};

const createUiSlice: StateCreator<EditorState, [], [], UiSlice> = (set, get) => ({
  toasts: [],
  helpOpen: false,
  sidePanel: 'inspector',
  readOnly: false,
  serverIssues: {},
  view: undefined,
  diffKinds: undefined,
  toast(kind, message) {
    const toast = { id: ++toastSeq, kind, message };
    // The newest few; a repeated message replaces its older copy.
    set({ toasts: [...get().toasts.filter((t) => t.message !== message).slice(-3), toast] });
  },
  dismissToast(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
  setHelpOpen(helpOpen) {
    set({ helpOpen });
  },
  setSidePanel(sidePanel) {
    set({ sidePanel });
  },
  setReadOnly(readOnly) {
    set({ readOnly });
  },
  setServerIssues(serverIssues) {
    set({ serverIssues });
  },
  setView(view) {
    let diffKinds: Record<string, NodeChangeKind> | undefined;
    if (view?.diff) {
      diffKinds = {};
      for (const n of view.graph.nodes) {
        const kind = changeOf(view.diff, n.id);
        if (kind) diffKinds[n.id] = kind;
      }
    }
    set({ view, diffKinds, readOnly: view !== undefined });
    // A run shown on the canvas is redrawn on whichever graph is now visible.
    if (get().run) set(rederive(get()));
  },
});

export const useEditorStore = create<EditorState>()((...a) => ({ ...createGraphSlice(...a), ...createUiSlice(...a), ...createRunSlice<EditorState>()(...a) }));
