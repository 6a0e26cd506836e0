// What React Flow is told about a node before drawing it: its size and handles, from the same
// descriptors the node component draws its handles from; measured nodes go through untouched.
import { describe, expect, it } from 'vitest';
import { testDescriptors } from '../store/test-descriptors.ts';
import type { KfNoteNode, KfWorkflowNode } from '../store/types.ts';
import { NODE_HEIGHT, NODE_WIDTH, declaredHandles, withDeclaredGeometry } from './node-geometry.ts';

const descriptors = new Map(testDescriptors.map((d) => [`${d.type}@${d.version}`, d]));
const wf = (type: string, config: Record<string, unknown> = {}): KfWorkflowNode => ({ id: 'a', type: 'workflow', position: { x: 0, y: 0 }, data: { type, version: 1, config } });

describe('declared node geometry', () => {
  it('gives an unmeasured node its size and one handle per input and output, where the component draws them', () => {
    const out = withDeclaredGeometry(wf('core.transform'), descriptors);
    expect(out.initialWidth).toBe(NODE_WIDTH);
    expect(out.initialHeight).toBe(NODE_HEIGHT);
    expect(out.handles).toEqual([
      { id: 'main', type: 'target', position: 'left', x: -1, y: 26, width: 12, height: 12 },
      { id: 'main', type: 'source', position: 'right', x: 193, y: 26, width: 12, height: 12 },
    ]);
  });

  it('follows dynamic outputs (a switch: one per case, then default) spread down the side', () => {
    const out = withDeclaredGeometry(wf('core.switch', { cases: [{ handle: 'vip' }, {}] }), descriptors);
    const sources = (out.handles ?? []).filter((h) => h.type === 'source');
    expect(sources.map((h) => h.id)).toEqual(['vip', 'case1', 'default']);
    expect(sources.map((h) => h.y)).toEqual([1 + 62 / 4 - 6, 1 + 62 / 2 - 6, 1 + (62 * 3) / 4 - 6]);
    expect(declaredHandles([], ['main'])).toHaveLength(1);
  });

  it('leaves a node React Flow has measured as it is, and gives a note no handles', () => {
    const measured = { ...wf('core.transform'), measured: { width: 200, height: 80 } };
    expect(withDeclaredGeometry(measured, descriptors)).toBe(measured);
    const note: KfNoteNode = { id: 'note:n', type: 'note', position: { x: 0, y: 0 }, data: { text: '' } };
    expect(withDeclaredGeometry(note, descriptors)).toMatchObject({ handles: [], initialWidth: 220, initialHeight: 120 });
  });
});
