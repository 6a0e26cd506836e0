// Graph document <-> React Flow. The document is what the API stores; the canvas adds only
// view state (selection, measured sizes) that is dropped on the way back.
import type { Graph, GraphEdge, GraphNode, GraphNote } from '@keyflow/engine/graph';
import { NOTE_PREFIX, isNote, type Doc, type KfEdge, type KfNode, type KfNoteNode, type KfWorkflowNode } from './types.ts';

export function nodeToFlow(n: GraphNode): KfWorkflowNode {
  const data: KfWorkflowNode['data'] = { type: n.type, version: n.version, config: n.config };
  if (n.name !== undefined) data.name = n.name;
  if (n.disabled !== undefined) data.disabled = n.disabled;
  return { id: n.id, type: 'workflow', position: { x: n.position.x, y: n.position.y }, data };
}

export function noteToFlow(n: GraphNote): KfNoteNode {
  const node: KfNoteNode = { id: NOTE_PREFIX + n.id, type: 'note', position: { x: n.position.x, y: n.position.y }, data: { text: n.text }, zIndex: -1 };
  if (n.width !== undefined) node.width = n.width;
  if (n.height !== undefined) node.height = n.height;
  return node;
}

export function edgeToFlow(e: GraphEdge): KfEdge {
  const edge: KfEdge = { id: e.id, source: e.source, target: e.target };
  if (e.sourceHandle != null) edge.sourceHandle = e.sourceHandle;
  if (e.targetHandle != null) edge.targetHandle = e.targetHandle;
  return edge;
}

export function graphToDoc(graph: Graph): Doc {
  return { nodes: [...graph.nodes.map(nodeToFlow), ...(graph.notes ?? []).map(noteToFlow)], edges: graph.edges.map(edgeToFlow) };
}

function flowToNode(n: KfWorkflowNode): GraphNode {
  const out: GraphNode = { id: n.id, type: n.data.type, version: n.data.version, config: n.data.config, position: { x: n.position.x, y: n.position.y } };
  if (n.data.name !== undefined && n.data.name !== '') out.name = n.data.name;
  if (n.data.disabled) out.disabled = true;
  return out;
}

function flowToNote(n: KfNoteNode): GraphNote {
  const out: GraphNote = { id: n.id.slice(NOTE_PREFIX.length), text: n.data.text, position: { x: n.position.x, y: n.position.y } };
  if (typeof n.width === 'number') out.width = Math.round(n.width);
  if (typeof n.height === 'number') out.height = Math.round(n.height);
  return out;
}

function flowToEdge(e: KfEdge): GraphEdge {
  const out: GraphEdge = { id: e.id, source: e.source, target: e.target };
  if (e.sourceHandle != null) out.sourceHandle = e.sourceHandle;
  if (e.targetHandle != null) out.targetHandle = e.targetHandle;
  return out;
}

/** The graph document of a canvas state; notes only when there are some, so plain graphs round-trip. */
export function docToGraph(doc: Doc): Graph {
  const nodes: GraphNode[] = [];
  const notes: GraphNote[] = [];
  for (const n of doc.nodes) {
    if (isNote(n)) notes.push(flowToNote(n));
    else nodes.push(flowToNode(n as KfWorkflowNode));
  }
  const graph: Graph = { nodes, edges: doc.edges.map(flowToEdge) };
  if (notes.length > 0) graph.notes = notes;
  return graph;
}

/** A stable text of the document, to tell whether two canvas states are the same graph. */
export function docKey(doc: Doc): string {
  return JSON.stringify(docToGraph(doc));
}

export function workflowNodes(nodes: readonly KfNode[]): KfWorkflowNode[] {
  return nodes.filter((n): n is KfWorkflowNode => n.type === 'workflow');
}
