// Descriptors as GET /api/nodes serves them, for store and component tests.
import { defaultRegistry, describeNode } from '@keyflow/nodes';
import type { DescriptorLike } from './types.ts';

export const testDescriptors: DescriptorLike[] = defaultRegistry.list().map(describeNode);

export function descriptor(type: string): DescriptorLike {
  const d = testDescriptors.find((x) => x.type === type);
  if (!d) throw new Error(`no descriptor ${type}`);
  return d;
}
