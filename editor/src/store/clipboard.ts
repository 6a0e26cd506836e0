// Copy and paste as graph JSON (the document's own shape), so a copied group pastes into
// another workflow, another tab, or a text editor. Pasted ids are renamed so they never
// collide; edges inside the group are kept; positions are offset.
import { graphSchema, ID_PATTERN, type Graph } from '@keyflow/engine/graph';
import { docToGraph, edgeToFlow, nodeToFlow, noteToFlow } from './graph-doc.ts';
import { NOTE_PREFIX, type Doc, type KfEdge, type KfNode } from './types.ts';

// A fragment is a graph document (strict, bounded like a whole workflow) that need not be runnable.
const fragmentSchema = graphSchema;

/** The selected part of the document, as graph JSON (edges only when both ends are selected). */
export function copySelection(doc: Doc): Graph | undefined {
  const selected = doc.nodes.filter((n) => n.selected);
  if (selected.length === 0) return undefined;
  const ids = new Set(selected.map((n) => n.id));
  return docToGraph({ nodes: selected, edges: doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) });
}

export type ParsedFragment = { ok: true; graph: Graph } | { ok: false; message: string };

/** Reads pasted text: graph JSON, or a Keyflow export ({ keyflow: 1, graph }). */
export function parseFragment(text: string): ParsedFragment {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'the clipboard does not hold Keyflow nodes (it is not JSON)' };
  }
  if (value && typeof value === 'object' && 'keyflow' in value && 'graph' in value) value = (value as { graph: unknown }).graph;
  const parsed = fragmentSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, message: `the clipboard does not hold Keyflow nodes (${first ? `${first.path.join('.') || 'document'}: ${first.message}` : 'wrong shape'})` };
  }
  return { ok: true, graph: parsed.data };
}

/** A fresh id from `base` that is not in `taken` (and then is). */
export function uniqueId(base: string, taken: Set<string>): string {
  const stem = (base.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/_\d+$/, '') || 'node').slice(0, 56);
  let id = stem;
  for (let i = 2; taken.has(id) || !ID_PATTERN.test(id); i++) id = `${stem}_${i}`;
  taken.add(id);
  return id;
}

/** The id a new node of `type` gets: its action name ('core.transform' -> 'transform'). */
export function idForType(type: string, taken: Set<string>): string {
  return uniqueId(type.split('.').pop() ?? 'node', taken);
}

export interface PlacedFragment {
  nodes: KfNode[];
  edges: KfEdge[];
}

/**
 * Renames every id of `graph` away from the ids of `doc`, keeps the edges between pasted
 * nodes, and moves the group by `offset`. The pasted elements come back selected.
 */
export function placeFragment(doc: Doc, graph: Graph, offset: { x: number; y: number }): PlacedFragment {
  const taken = new Set<string>(doc.nodes.map((n) => (n.id.startsWith(NOTE_PREFIX) ? n.id.slice(NOTE_PREFIX.length) : n.id)));
  for (const e of doc.edges) taken.add(e.id);
  const rename = new Map<string, string>();
  const nodes: KfNode[] = [];
  for (const n of graph.nodes) {
    if (rename.has(n.id)) continue; // a repeated id in pasted text: keep the first
    const id = uniqueId(n.id, taken);
    rename.set(n.id, id);
    nodes.push({ ...nodeToFlow({ ...n, id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } }), selected: true });
  }
  for (const note of graph.notes ?? []) {
    const id = uniqueId(note.id, taken);
    nodes.push({ ...noteToFlow({ ...note, id, position: { x: note.position.x + offset.x, y: note.position.y + offset.y } }), selected: true });
  }
  const edges: KfEdge[] = [];
  for (const e of graph.edges) {
    const source = rename.get(e.source);
    const target = rename.get(e.target);
    if (!source || !target) continue;
    edges.push({ ...edgeToFlow({ ...e, id: uniqueId(e.id, taken), source, target }), selected: true });
  }
  return { nodes, edges };
}
