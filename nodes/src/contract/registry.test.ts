import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode } from './define-node.ts';
import { createNodeRegistry } from './registry.ts';

function node(type: string, version: number) {
  return defineNode({ type, version, title: type, description: '', category: 'core', kind: 'action', config: z.strictObject({}), run: async () => ({ output: version }) });
}

describe('createNodeRegistry', () => {
  const registry = createNodeRegistry([node('b.y', 1), node('a.x', 2), node('a.x', 1), node('a.x', 10)]);

  it('finds a definition by type and version', () => {
    expect(registry.get('a.x', 2)?.version).toBe(2);
    expect(registry.get('a.x', 3)).toBeUndefined();
    expect(registry.get('nope.nope', 1)).toBeUndefined();
  });

  it('gives the latest version of a type', () => {
    expect(registry.latest('a.x')?.version).toBe(10);
    expect(registry.latest('nope.nope')).toBeUndefined();
  });

  it('lists by type, then version (numerically)', () => {
    expect(registry.list().map((d) => `${d.type}@${d.version}`)).toEqual(['a.x@1', 'a.x@2', 'a.x@10', 'b.y@1']);
    expect(registry.versions('a.x')).toEqual([1, 2, 10]);
    expect(registry.versions('c.z')).toEqual([]);
  });

  it('refuses the same type@version twice', () => {
    expect(() => createNodeRegistry([node('a.x', 1), node('a.x', 1)])).toThrow('node a.x@1 is registered twice');
  });
});
