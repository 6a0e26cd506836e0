import { describe, expect, it } from 'vitest';
import type { Graph } from '@keyflow/engine/graph';
import { acceptPlan, isBlankCanvas } from './accept.ts';
import type { Doc, KfNode } from '../store/types.ts';

const trigger = (type: string) => type === 'core.manual' || type === 'core.webhook';
const flowNode = (id: string, type: string, x: number, y: number): KfNode => ({ id, type: 'workflow', position: { x, y }, data: { type, version: 1, config: {} } }) as KfNode;
const generated: Graph = {
  nodes: [
    { id: 'hook', type: 'core.webhook', version: 1, config: {}, position: { x: 100, y: 50 } },
    { id: 'tx', type: 'core.transform', version: 1, config: {}, position: { x: 400, y: 80 } },
  ],
  edges: [{ id: 'e', source: 'hook', target: 'tx' }],
};

describe('where an accepted graph goes', () => {
  it('replaces a blank canvas: nothing, or the new workflow’s lone trigger', () => {
    expect(acceptPlan({ nodes: [], edges: [] }, generated, trigger)).toEqual({ mode: 'replace' });
    expect(acceptPlan({ nodes: [flowNode('start', 'core.manual', 0, 0)], edges: [] }, generated, trigger)).toEqual({ mode: 'replace' });
  });

  it('adds beside anything a person made, to the right of it and top-aligned', () => {
    const doc: Doc = { nodes: [flowNode('start', 'core.manual', 0, 0), flowNode('t', 'core.transform', 300, 40)], edges: [{ id: 'e1', source: 'start', target: 't' }] };
    // right edge 300 + 200 (default width) + 300 gap - 100 (incoming left) = 700; top 0 - 50 = -50
    expect(acceptPlan(doc, generated, trigger)).toEqual({ mode: 'add', offset: { x: 700, y: -50 } });
    expect(isBlankCanvas({ nodes: [flowNode('t', 'core.transform', 0, 0)], edges: [] }, trigger)).toBe(false);
  });
});
