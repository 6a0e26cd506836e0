// A node's input and output handles from its descriptor (dynamic outputs from its config, as
// the server computes them: core.switch names one output per case, then 'default').
import { DEFAULT_HANDLE, MAIN_HANDLE } from '@keyflow/nodes/contract';
import type { DescriptorLike, KfNodeData } from './types.ts';

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

export function inputsOf(descriptor: DescriptorLike | undefined): string[] {
  if (!descriptor) return [MAIN_HANDLE];
  return strings(descriptor.inputs) ?? [];
}

export function outputsOf(descriptor: DescriptorLike | undefined, data: Pick<KfNodeData, 'config'>): string[] {
  if (!descriptor) return [MAIN_HANDLE];
  const fixed = strings(descriptor.outputs);
  if (fixed) return fixed;
  // 'dynamic': the switch convention (cases[i].handle ?? case<i>, then default).
  const cases = Array.isArray(data.config.cases) ? data.config.cases : [];
  const handles = cases.map((c, i) => (c && typeof c === 'object' && typeof (c as { handle?: unknown }).handle === 'string' ? (c as { handle: string }).handle : `case${i}`));
  return [...handles, DEFAULT_HANDLE];
}
