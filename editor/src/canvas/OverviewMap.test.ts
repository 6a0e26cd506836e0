// The big-workflow minimap draws every node as one rectangle of one path, sized as drawn
// (measured) or as declared, and frames them all.
import { describe, expect, it } from 'vitest';
import type { KfNode } from '../store/types.ts';
import { nodesBox, nodesPath } from './OverviewMap.tsx';

const wf = (id: string, x: number, y: number, measured?: { width: number; height: number }): KfNode => ({ id, type: 'workflow', position: { x, y }, data: { type: 'core.transform', version: 1, config: {} }, ...(measured ? { measured } : {}) });

describe('OverviewMap', () => {
  const nodes: KfNode[] = [wf('a', 0, 0), wf('b', 260, 110, { width: 200, height: 90 }), { id: 'note:n', type: 'note', position: { x: -300, y: 0 }, data: { text: '' }, width: 220, height: 120 }];

  it('draws one rectangle per node of the kind asked for', () => {
    expect(nodesPath(nodes, 'workflow')).toBe('M0 0h200v64h-200zM260 110h200v90h-200z');
    expect(nodesPath(nodes, 'note')).toBe('M-300 0h220v120h-220z');
  });

  it('frames every node, notes included', () => {
    expect(nodesBox(nodes)).toEqual({ x: -300, y: 0, width: 760, height: 200 });
    expect(nodesBox([])).toBeUndefined();
  });
});
