// What changed between two versions of a graph: nodes added, removed, changed (with each
// config difference by path) or only moved; edges added and removed.
import type { Graph, GraphNode } from '@keyflow/engine/graph';

export interface FieldChange {
  /** Dotted path inside the node: 'config.fields.0.value', 'name', 'disabled'. */
  path: string;
  before: unknown;
  after: unknown;
}

export interface GraphDiff {
  added: string[];
  removed: string[];
  changed: Map<string, FieldChange[]>;
  moved: string[];
  addedEdges: string[];
  removedEdges: string[];
}

export type NodeChangeKind = 'added' | 'removed' | 'changed' | 'moved';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Leaf-by-leaf differences of two JSON values, paths joined with dots. */
export function jsonDiff(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  if (Object.is(before, after)) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) jsonDiff(before[i], after[i], `${path}.${i}`, out);
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of [...keys].sort()) jsonDiff(before[k], after[k], `${path}.${k}`, out);
    return;
  }
  out.push({ path, before, after });
}

function nodeChanges(a: GraphNode, b: GraphNode): FieldChange[] {
  const out: FieldChange[] = [];
  for (const key of ['type', 'version', 'name', 'disabled'] as const) jsonDiff(a[key], b[key], key, out);
  jsonDiff(a.config, b.config, 'config', out);
  return out;
}

const edgeKey = (e: Graph['edges'][number]) => [e.source, e.sourceHandle ?? 'main', e.target, e.targetHandle ?? 'main'].join('\0');

/** How `after` differs from `before`. Edges are compared by what they connect, not by id. */
export function diffGraphs(before: Graph, after: Graph): GraphDiff {
  const a = new Map(before.nodes.map((n) => [n.id, n]));
  const b = new Map(after.nodes.map((n) => [n.id, n]));
  const diff: GraphDiff = { added: [], removed: [], changed: new Map(), moved: [], addedEdges: [], removedEdges: [] };
  for (const [id, node] of b) {
    const old = a.get(id);
    if (!old) {
      diff.added.push(id);
      continue;
    }
    const changes = nodeChanges(old, node);
    if (changes.length > 0) diff.changed.set(id, changes);
    else if (old.position.x !== node.position.x || old.position.y !== node.position.y) diff.moved.push(id);
  }
  for (const id of a.keys()) if (!b.has(id)) diff.removed.push(id);
  const aEdges = new Map(before.edges.map((e) => [edgeKey(e), e.id]));
  const bEdges = new Map(after.edges.map((e) => [edgeKey(e), e.id]));
  for (const [k, id] of bEdges) if (!aEdges.has(k)) diff.addedEdges.push(id);
  for (const [k, id] of aEdges) if (!bEdges.has(k)) diff.removedEdges.push(id);
  return diff;
}

/** The kind of change of one node id in a diff, if any. */
export function changeOf(diff: GraphDiff, id: string): NodeChangeKind | undefined {
  if (diff.added.includes(id)) return 'added';
  if (diff.removed.includes(id)) return 'removed';
  if (diff.changed.has(id)) return 'changed';
  if (diff.moved.includes(id)) return 'moved';
  return undefined;
}

/**
 * One graph to draw a comparison on: every node of `after`, plus the removed nodes of
 * `before` where they were, so removals show on the canvas too.
 */
export function overlayGraph(before: Graph, after: Graph, diff: GraphDiff): Graph {
  const removed = new Set(diff.removed);
  const removedEdges = new Set(diff.removedEdges);
  return {
    nodes: [...after.nodes, ...before.nodes.filter((n) => removed.has(n.id))],
    edges: [...after.edges, ...before.edges.filter((e) => removedEdges.has(e.id) && !after.edges.some((x) => x.id === e.id))],
  };
}
