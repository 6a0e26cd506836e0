import { describe, expect, it } from 'vitest';
import { graphToDoc } from '../store/graph-doc.ts';
import { testDescriptors } from '../store/test-descriptors.ts';
import { layoutPositions } from './auto-layout.ts';

const descriptors = new Map(testDescriptors.map((d) => [`${d.type}@${d.version}`, d]));

describe('layoutPositions', () => {
  it('lays a branching graph out left to right, true branch above false, without overlaps', async () => {
    const at = { x: 0, y: 0 };
    const doc = graphToDoc({
      nodes: [
        { id: 'reply', type: 'core.respond', version: 1, config: {}, position: at },
        { id: 'no', type: 'core.transform', version: 1, config: {}, position: at },
        { id: 'yes', type: 'core.transform', version: 1, config: {}, position: at },
        { id: 'check', type: 'core.condition', version: 1, config: {}, position: at },
        { id: 'hook', type: 'core.webhook', version: 1, config: {}, position: at },
      ],
      edges: [
        { id: 'e1', source: 'hook', target: 'check' },
        { id: 'e2', source: 'check', target: 'yes', sourceHandle: 'true' },
        { id: 'e3', source: 'check', target: 'no', sourceHandle: 'false' },
        { id: 'e4', source: 'yes', target: 'reply' },
        { id: 'e5', source: 'no', target: 'reply' },
      ],
      notes: [{ id: 'n1', text: 'stays', position: { x: 5, y: 5 } }],
    });
    const p = await layoutPositions(doc, descriptors);
    const x = (id: string) => p.get(id)!.x;
    const y = (id: string) => p.get(id)!.y;
    expect(x('hook')).toBeLessThan(x('check'));
    expect(x('check')).toBeLessThan(x('yes'));
    expect(x('yes')).toBe(x('no'));
    expect(x('yes')).toBeLessThan(x('reply'));
    expect(y('yes')).toBeLessThan(y('no'));
    expect(Math.abs(y('yes') - y('no'))).toBeGreaterThanOrEqual(64);
    expect(p.has('note:n1')).toBe(false);
  });
});
