// Where a node picked from the palette goes: beside the selection, or at the viewport's centre.
import type { KfNode } from '../store/types.ts';

export const NODE_GAP_X = 260;

export function besideSelection(nodes: readonly KfNode[]): { x: number; y: number } | undefined {
  const selected = nodes.filter((n) => n.selected && n.type === 'workflow');
  if (selected.length === 0) return undefined;
  const right = selected.reduce((a, b) => (b.position.x > a.position.x ? b : a));
  return { x: right.position.x + NODE_GAP_X, y: right.position.y };
}
