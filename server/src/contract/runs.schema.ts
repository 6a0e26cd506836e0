import { z } from 'zod';

export const runStatus = z.enum(['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled']);
export const runIdParams = z.strictObject({ id: z.uuid() });
export const runTrigger = z.enum(['manual', 'webhook', 'schedule', 'rerun', 'test']);
export const listRunsQuery = z.strictObject({
  workflowId: z.uuid().optional(),
  status: runStatus.optional(),
  trigger: runTrigger.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  before: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const rerunBody = z.strictObject({ fromNodeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional() });
/** `graph`: run an unsaved draft (validated as a save is, stored as a draft snapshot, never saved as a version). */
export const manualRunBody = z
  .strictObject({ payload: z.unknown().optional(), version: z.int().min(1).optional(), graph: z.unknown().optional() })
  .refine((b) => b.graph === undefined || b.version === undefined, { path: ['graph'], message: 'give either a graph (the draft) or a version, not both' });

export const usageCallView = z.object({
  provider: z.string(), model: z.string(), outcome: z.string(), latencyMs: z.int(), costMicros: z.int(),
  tokens: z.object({ input: z.int(), output: z.int(), cacheRead: z.int(), cacheWrite: z.int(), reasoning: z.int() }),
  at: z.string(),
});
export const stepView = z.object({
  usage: z.array(usageCallView),
  id: z.uuid(), nodeId: z.string(), scope: z.string(), attempt: z.int(), status: z.string(), input: z.unknown(), output: z.unknown(), error: z.unknown(),
  costMicros: z.int(), seq: z.int(), startedAt: z.string(), finishedAt: z.string().nullable(), resumeAt: z.string().nullable(),
});
export const runView = z.object({
  id: z.uuid(), workflowId: z.uuid(), workflowVersion: z.int(), trigger: z.string(), status: runStatus, error: z.unknown(), output: z.unknown(),
  costMicros: z.int(), rerunOf: z.uuid().nullable(), createdAt: z.string(), startedAt: z.string().nullable(), finishedAt: z.string().nullable(), resumeAt: z.string().nullable(),
});
export const runDetail = runView.extend({ triggerPayload: z.unknown(), steps: z.array(stepView) });

export const webhookSignatureBody = z.strictObject({
  preset: z.enum(['slack', 'github', 'stripe', 'standardWebhooks', 'typeform', 'calcom', 'webflow']).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  secret: z.string().min(8).max(500),
});
export const webhookNodeParams = z.strictObject({ id: z.uuid(), nodeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
export const webhookView = z.object({ nodeId: z.string(), url: z.string(), testUrl: z.string(), signed: z.boolean() });
