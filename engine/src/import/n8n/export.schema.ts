// The n8n workflow export, read leniently (unknown fields are ignored: n8n adds them often)
// but with every field we use given a type, so a wrong shape is a 422 naming it.
import { z } from 'zod';
import { IMPORT_LIMITS } from './limits.ts';

const parameters = z.record(z.string(), z.unknown());

export const n8nNodeSchema = z.looseObject({
  id: z.string().max(200).optional(),
  name: z.string().min(1, 'a node needs a name').max(1000),
  type: z.string().min(1).max(300),
  typeVersion: z.number().finite().optional(),
  position: z.tuple([z.number().finite(), z.number().finite()]).rest(z.unknown()).optional().catch(undefined),
  parameters: parameters.optional(),
  credentials: z.record(z.string(), z.unknown()).optional(),
  disabled: z.boolean().optional().catch(undefined),
  notes: z.string().max(100_000).optional().catch(undefined),
});

const target = z.looseObject({
  node: z.string().max(1000),
  type: z.string().max(100).optional(),
  index: z.int().min(0).max(1000).optional(),
});

/** connections[sourceName][connectionType][outputIndex] = targets (n8n writes null for an unused output). */
export const n8nConnectionsSchema = z.record(z.string(), z.record(z.string(), z.array(z.array(target).nullable()).max(1000)));

export const n8nExportSchema = z.looseObject({
  name: z.string().max(1000).optional().catch(undefined),
  nodes: z.array(n8nNodeSchema).max(IMPORT_LIMITS.maxNodes * 4, `an export has at most ${IMPORT_LIMITS.maxNodes * 4} nodes, sticky notes included`),
  connections: n8nConnectionsSchema.default({}),
  settings: z.looseObject({ timezone: z.string().max(100).optional().catch(undefined) }).optional().catch(undefined),
});

export type N8nNode = z.output<typeof n8nNodeSchema>;
export type N8nExport = z.output<typeof n8nExportSchema>;
