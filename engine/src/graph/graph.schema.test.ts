import { describe, expect, it } from 'vitest';
import { pinnedExample } from './graph-fixtures.ts';
import { graphSchema } from './graph.schema.ts';

describe('graphSchema', () => {
  it('parses the pinned document unchanged', () => {
    expect(graphSchema.parse(pinnedExample)).toEqual(pinnedExample);
  });

  it.each([
    ['an id over 64 characters', { id: 'x'.repeat(65) }],
    ['an id with a dot', { id: 'a.b' }],
    ['a config that is an array', { config: [] }],
    ['a type without an integration', { type: 'webhook' }],
    ['a version of zero', { version: 0 }],
    ['a position with z', { position: { x: 0, y: 0, z: 0 } }],
    ['a non-boolean disabled', { disabled: 'yes' }],
  ])('rejects a node with %s', (_name, patch) => {
    const doc = structuredClone(pinnedExample);
    Object.assign(doc.nodes[1]!, patch);
    expect(graphSchema.safeParse(doc).success).toBe(false);
  });

  it.each([
    ['a numeric handle', { sourceHandle: 1 }],
    ['a handle with spaces', { targetHandle: 'a b' }],
    ['no target', { target: undefined }],
  ])('rejects an edge with %s', (_name, patch) => {
    const doc = structuredClone(pinnedExample);
    Object.assign(doc.edges[0]!, patch);
    expect(graphSchema.safeParse(doc).success).toBe(false);
  });
});
