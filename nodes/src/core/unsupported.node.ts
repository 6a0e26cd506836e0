import { z } from 'zod';
import { defineNode, HANDLE_PATTERN, MAIN_HANDLE, NonRetriableNodeError } from '../contract/index.ts';

/**
 * Placeholders for nodes an import could not map (n8n today). They keep the original type
 * and parameters so nothing the user wrote is lost, keep the graph valid to save and edit,
 * fail at run with a message naming the original type, and activation refuses a workflow that
 * holds one (server: workflows.routes activate).
 */
export const UNSUPPORTED_TYPES: readonly string[] = Object.freeze(['core.unsupported', 'core.unsupported_trigger']);

const originalFields = {
  originalType: z.string().min(1).max(200).describe('The node type in the system it came from, e.g. n8n-nodes-base.telegram'),
  source: z.enum(['n8n']).default('n8n'),
  parameters: z.record(z.string(), z.unknown()).default({}).describe('The original parameters, untouched'),
  reason: z.string().max(2000).optional().describe('Why it could not be mapped'),
};

function failure(config: { originalType: string; reason?: string | undefined }): NonRetriableNodeError {
  const why = config.reason ? `: ${config.reason}` : '';
  return new NonRetriableNodeError(`this node is a placeholder for ${config.originalType}, which Keyflow cannot run${why}; replace it with a Keyflow node`, {
    details: { originalType: config.originalType },
  });
}

/** An action placeholder. Its outputs are the original's (IF true/false, Switch cases…), so edges survive. */
export const unsupportedNode = defineNode({
  type: 'core.unsupported',
  version: 1,
  title: 'Unsupported (imported)',
  description: 'Stands in for an imported node Keyflow cannot run; replace it before activating.',
  category: 'core',
  // 'switch' is the one kind whose outputs come from config: the original node's outputs.
  kind: 'switch',
  config: z.strictObject({
    ...originalFields,
    outputs: z
      .array(z.string().regex(HANDLE_PATTERN, 'a handle is 1-64 letters, digits, _ or -'))
      .min(1)
      .max(64)
      .refine((h) => new Set(h).size === h.length, 'outputs must not repeat')
      .default([MAIN_HANDLE])
      .describe('Output handles kept from the original node'),
  }),
  outputs: (config) => config.outputs,
  async run(ctx) {
    throw failure(ctx.config);
  },
});

/** A trigger placeholder, so a workflow whose trigger could not be mapped still has its one trigger. */
export const unsupportedTriggerNode = defineNode({
  type: 'core.unsupported_trigger',
  version: 1,
  title: 'Unsupported trigger (imported)',
  description: 'Stands in for an imported trigger Keyflow cannot listen to; replace it before activating.',
  category: 'trigger',
  kind: 'trigger',
  config: z.strictObject(originalFields),
  async run(ctx) {
    throw failure(ctx.config);
  },
});

/** Placeholder nodes of a graph, by id and original type: what activation names when it refuses. */
export function placeholdersOf(graph: unknown): { id: string; name?: string; originalType: string }[] {
  const nodes = (graph as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  const found: { id: string; name?: string; originalType: string }[] = [];
  for (const n of nodes as { id?: unknown; type?: unknown; name?: unknown; config?: { originalType?: unknown } }[]) {
    if (typeof n?.type !== 'string' || !UNSUPPORTED_TYPES.includes(n.type) || typeof n.id !== 'string') continue;
    found.push({ id: n.id, ...(typeof n.name === 'string' ? { name: n.name } : {}), originalType: typeof n.config?.originalType === 'string' ? n.config.originalType : 'unknown' });
  }
  return found;
}
