// Real descriptors for the inspector's tests: exactly what GET /api/nodes serves.
import { defaultRegistry, describeNode } from '@keyflow/nodes';
import type { NodeDescriptor } from './types.ts';

const all = defaultRegistry.list().map(describeNode);

export function descriptor(type: string): NodeDescriptor {
  const d = all.find((x) => x.type === type);
  if (!d) throw new Error(`no node ${type}`);
  return d;
}

/** A descriptor around a hand-written config schema, for field kinds no shipped node uses yet. */
export function syntheticDescriptor(configSchema: Record<string, unknown>, extra: Partial<NodeDescriptor> = {}): NodeDescriptor {
  return {
    type: 'test.node',
    version: 1,
    title: 'Test node',
    description: 'A node for tests',
    category: 'integration',
    kind: 'action',
    inputs: ['main'],
    outputs: ['main'],
    credential: null,
    configSchema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false, ...configSchema },
    outputSchema: null,
    ...extra,
  };
}
