// Registered once at module level: a new object per render would remount every node.
import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import { NoteNode } from './NoteNode.tsx';
import { RunEdge } from './RunEdge.tsx';
import { WorkflowNode } from './WorkflowNode.tsx';

export const nodeTypes: NodeTypes = { workflow: WorkflowNode, note: NoteNode };
/** The working canvas's edges: the default (bezier) edge, marked when it carried data in the run shown. */
export const runEdgeTypes: EdgeTypes = { default: RunEdge };
