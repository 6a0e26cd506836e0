// Registered once at module level: a new object per render would remount every node.
import type { NodeTypes } from '@xyflow/react';
import { NoteNode } from './NoteNode.tsx';
import { WorkflowNode } from './WorkflowNode.tsx';

export const nodeTypes: NodeTypes = { workflow: WorkflowNode, note: NoteNode };
