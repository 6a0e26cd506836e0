// Adjacency for a validated graph, for the executor. Handles follow the contract: a null or
// absent handle is 'main'; an edge into a 'next' input is a loop's back edge.
import { handleOf, LOOP_BACK_HANDLE, LOOP_ITEM_HANDLE } from '@keyflow/nodes/contract';
import type { Graph, GraphEdge, GraphNode } from './graph.schema.ts';

export interface GraphIndex {
  readonly nodes: ReadonlyMap<string, GraphNode>;
  /** Edges out of each node, in document order (every node has an entry). */
  readonly outgoing: ReadonlyMap<string, readonly GraphEdge[]>;
  /** Edges into each node, in document order (every node has an entry). */
  readonly incoming: ReadonlyMap<string, readonly GraphEdge[]>;
}

/** A loop's back edge: the end of its body feeding its 'next' input. */
export function isBackEdge(edge: GraphEdge): boolean {
  return handleOf(edge.targetHandle) === LOOP_BACK_HANDLE;
}

/** Builds the index in O(n + e). Edges naming unknown nodes are left out. */
export function indexGraph(graph: Graph): GraphIndex {
  const nodes = new Map<string, GraphNode>();
  const outgoing = new Map<string, GraphEdge[]>();
  const incoming = new Map<string, GraphEdge[]>();
  for (const node of graph.nodes) {
    if (nodes.has(node.id)) continue;
    nodes.set(node.id, node);
    outgoing.set(node.id, []);
    incoming.set(node.id, []);
  }
  for (const edge of graph.edges) {
    const out = outgoing.get(edge.source);
    const into = incoming.get(edge.target);
    if (!out || !into) continue;
    out.push(edge);
    into.push(edge);
  }
  return { nodes, outgoing, incoming };
}

function unique(ids: Iterable<string>): string[] {
  return [...new Set(ids)];
}

/** Target ids of the edges out of `nodeId`, optionally only from output `handle`. */
export function successors(index: GraphIndex, nodeId: string, handle?: string): string[] {
  const edges = index.outgoing.get(nodeId) ?? [];
  return unique(edges.filter((e) => handle === undefined || handleOf(e.sourceHandle) === handle).map((e) => e.target));
}

/** Source ids of the edges into `nodeId`; back edges only when `withBackEdges`. */
export function predecessors(index: GraphIndex, nodeId: string, withBackEdges = false): string[] {
  const edges = index.incoming.get(nodeId) ?? [];
  return unique(edges.filter((e) => withBackEdges || !isBackEdge(e)).map((e) => e.source));
}

/**
 * A loop's body: the nodes reachable from its 'item' output, not crossing back edges or the
 * loop itself. The executor runs exactly these once per item.
 */
export function loopBody(index: GraphIndex, loopId: string): Set<string> {
  const body = new Set<string>();
  const stack = successors(index, loopId, LOOP_ITEM_HANDLE).filter((id) => id !== loopId);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (body.has(id)) continue;
    body.add(id);
    for (const edge of index.outgoing.get(id) ?? []) {
      if (!isBackEdge(edge) && edge.target !== loopId && !body.has(edge.target)) stack.push(edge.target);
    }
  }
  return body;
}

/**
 * Node ids so that every node comes after its sources (back edges ignored). Deterministic:
 * Kahn's algorithm seeded in document order. Throws on a cycle: call it on a validated graph.
 */
export function topologicalOrder(graph: Graph | GraphIndex): string[] {
  const index = 'outgoing' in graph ? graph : indexGraph(graph);
  const pending = new Map<string, number>();
  for (const [id, edges] of index.incoming) pending.set(id, edges.filter((e) => !isBackEdge(e)).length);
  const order: string[] = [];
  for (const [id, count] of pending) if (count === 0) order.push(id);
  for (let i = 0; i < order.length; i++) {
    for (const edge of index.outgoing.get(order[i]!) ?? []) {
      if (isBackEdge(edge)) continue;
      const left = pending.get(edge.target)! - 1;
      pending.set(edge.target, left);
      if (left === 0) order.push(edge.target);
    }
  }
  if (order.length !== index.nodes.size) throw new Error('the graph has a cycle');
  return order;
}
