// The canvas's view of the graph document: React Flow nodes and edges whose data is the
// document's own fields (serialisable, no callbacks), plus sticky notes as nodes of type 'note'.
import type { NodeDescriptor } from '@keyflow/nodes/contract';
import type { Edge, Node } from '@xyflow/react';

/** A node descriptor exactly as GET /api/nodes serves it. */
export type DescriptorLike = NodeDescriptor;

export type DescriptorMap = ReadonlyMap<string, DescriptorLike>;

export interface KfNodeData extends Record<string, unknown> {
  type: string;
  version: number;
  name?: string;
  config: Record<string, unknown>;
  disabled?: boolean;
}

export interface KfNoteData extends Record<string, unknown> {
  text: string;
}

export type KfWorkflowNode = Node<KfNodeData, 'workflow'>;
export type KfNoteNode = Node<KfNoteData, 'note'>;
export type KfNode = KfWorkflowNode | KfNoteNode;
export type KfEdge = Edge;

/** One state of the document: what undo and redo move between. */
export interface Doc {
  nodes: KfNode[];
  edges: KfEdge[];
}

/** Note ids live in the graph's notes array; on the canvas they are prefixed so they never meet a node id. */
export const NOTE_PREFIX = 'note:';

export function isNote(node: KfNode): node is KfNoteNode {
  return node.type === 'note';
}

export function descriptorKey(type: string, version: number): string {
  return `${type}@${version}`;
}
