// The canvas node's size and handle places, known before the node is drawn (canvas.css's
// .kf-node and .kf-handle): React Flow gets them as `initialWidth`/`initialHeight` and `handles`
// on every node it has not measured yet, so it neither mounts nor measures the nodes off screen
// to cull them (`onlyRenderVisibleElements`), and edges to them still meet their handles. Once a
// node is drawn, React Flow's own measurement takes over.
import { Position, type NodeHandle } from '@xyflow/react';
import { inputsOf, outputsOf } from '../store/handles.ts';
import { descriptorKey, type DescriptorMap, type KfNode } from '../store/types.ts';

/** canvas.css: .kf-node { width: 200px; min-height: 64px; border: 1px; border-left: 5px } */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;
const BORDER = 1;
const BORDER_LEFT = 5;
/** canvas.css: .kf-handle { width: 12px; height: 12px } (border-box). */
const HANDLE = 12;
/** A sticky note without a stored size (the .kf-note default). */
export const NOTE_SIZE = { width: 220, height: 120 };

/** Where the i-th of `count` handles sits down the node's side, as a fraction of its height. */
export function handleFraction(index: number, count: number): number {
  return (index + 1) / (count + 1);
}

/**
 * The handles as React Flow would measure them on a node of the default size: a handle is
 * centred on the inner edge of the node's border (React Flow's translate(∓50%, -50%)), its top
 * a fraction of the node's padding box.
 */
export function declaredHandles(inputs: readonly string[], outputs: readonly string[]): NodeHandle[] {
  const inner = NODE_HEIGHT - 2 * BORDER;
  const y = (i: number, n: number) => BORDER + handleFraction(i, n) * inner - HANDLE / 2;
  return [
    ...inputs.map((id, i) => ({ id, type: 'target' as const, position: Position.Left, x: BORDER_LEFT - HANDLE / 2, y: y(i, inputs.length), width: HANDLE, height: HANDLE })),
    ...outputs.map((id, i) => ({ id, type: 'source' as const, position: Position.Right, x: NODE_WIDTH - BORDER - HANDLE / 2, y: y(i, outputs.length), width: HANDLE, height: HANDLE })),
  ];
}

/** The node React Flow should get: as stored when already measured, else with its declared size and handles. */
export function withDeclaredGeometry(node: KfNode, descriptors: DescriptorMap): KfNode {
  if (node.measured?.width !== undefined && node.measured.height !== undefined) return node;
  if (node.type === 'note') return { ...node, initialWidth: NOTE_SIZE.width, initialHeight: NOTE_SIZE.height, handles: [] };
  const descriptor = descriptors.get(descriptorKey(node.data.type, node.data.version));
  return { ...node, initialWidth: NODE_WIDTH, initialHeight: NODE_HEIGHT, handles: declaredHandles(inputsOf(descriptor), outputsOf(descriptor, node.data)) };
}

/** Fit-view options for the whole graph: by declared sizes too, since nodes off screen are never measured. */
export const FIT_ALL = { maxZoom: 1, includeHiddenNodes: true } as const;
