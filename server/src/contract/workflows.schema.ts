// Bodies and responses of the workflow API, shared by the server, the editor and the OpenAPI
// document. The graph itself is checked by validateGraph (engine/graph), which reports every
// fault with its path; here it is only "some JSON".
import { z } from 'zod';

const name = z.string().trim().min(1, 'must not be empty').max(200);
const graph = z.unknown().refine((g) => g !== undefined, 'is required');

export const createWorkflowBody = z.strictObject({ name, graph });
export const renameWorkflowBody = z.strictObject({ name });
export const updateWorkflowBody = z.strictObject({ name: name.optional(), graph, baseVersion: z.int().min(1) });
export const importWorkflowBody = z.strictObject({ keyflow: z.literal(1), name, graph, exportedAt: z.string().max(40).optional() });
export const activateBody = z.strictObject({ version: z.int().min(1).optional() });

export const listWorkflowsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

export const workflowIdParams = z.strictObject({ id: z.uuid() });
export const versionParams = z.strictObject({ id: z.uuid(), n: z.coerce.number().int().min(1).max(2_147_483_647) });
/** Reading a version may also name a draft snapshot (below zero: the graph an unsaved test run ran on). */
export const versionReadParams = versionParams.extend({ n: z.coerce.number().int().min(-2_147_483_648).max(2_147_483_647).refine((n) => n !== 0, 'is not a version') });

export const workflowSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  active: z.boolean(),
  currentVersion: z.int(),
  activeVersion: z.int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const workflowDetail = workflowSummary.extend({ graph: z.unknown() });
/** The newest run of a workflow (any trigger), for the list screen; null when it never ran. */
export const lastRunSummary = z.object({ id: z.uuid(), status: z.string(), createdAt: z.string(), finishedAt: z.string().nullable() });
export const workflowListItem = workflowSummary.extend({ lastRun: lastRunSummary.nullable() });
export const workflowList = z.object({ items: z.array(workflowListItem), nextCursor: z.string().nullable() });
export const versionSummary = z.object({ version: z.int(), note: z.string().nullable(), createdAt: z.string() });
export const versionDetail = versionSummary.extend({ graph: z.unknown() });
export const workflowExport = z.object({ keyflow: z.literal(1), name: z.string(), graph: z.unknown(), exportedAt: z.string() });

/**
 * POST /api/workflows/import/n8n: an n8n export as n8n writes it. The top-level keys n8n uses
 * are listed (anything else is refused by name); what is inside is read by the importer
 * (engine/src/import/n8n), which bounds and types it and names any bad field.
 */
export const n8nImportBody = z.strictObject({
  nodes: z.array(z.unknown()),
  connections: z.unknown().optional(),
  name: z.unknown().optional(),
  settings: z.unknown().optional(),
  id: z.unknown().optional(),
  versionId: z.unknown().optional(),
  active: z.unknown().optional(),
  tags: z.unknown().optional(),
  meta: z.unknown().optional(),
  pinData: z.unknown().optional(),
  staticData: z.unknown().optional(),
  description: z.unknown().optional(),
  createdAt: z.unknown().optional(),
  updatedAt: z.unknown().optional(),
  triggerCount: z.unknown().optional(),
  isArchived: z.unknown().optional(),
});
export const n8nImportResponse = z.object({
  name: z.string().optional(),
  graph: z.unknown(),
  report: z.object({
    nodes: z.array(
      z.object({ name: z.string(), n8nType: z.string(), keyflowType: z.string().nullable(), status: z.enum(['mapped', 'placeholder']), reason: z.string().optional(), nodeId: z.string().optional() }),
    ),
    credentialsToConnect: z.array(z.object({ node: z.string(), nodeId: z.string().optional(), n8nCredentialType: z.string() })),
    expressions: z.object({ translated: z.int(), kept: z.int() }),
    stickyNotes: z.array(z.object({ text: z.string() })).optional(),
    warnings: z.array(z.string()),
  }),
});
