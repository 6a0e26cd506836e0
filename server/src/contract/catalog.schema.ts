// The route preview: which model an AI node would run on with the caller's keys and settings,
// its estimated cost, and why (issue 12). The editor's AI node form reads it.
import { z } from 'zod';
import { modelRef, tiers } from './settings.schema.ts';

export const aiTasks = ['general', 'writing', 'extraction', 'classification', 'summarization', 'coding', 'reasoning', 'vision'] as const;

const count = (max: number, fallback: number) => z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must not be negative').max(max, `must be at most ${max}`).default(fallback);

export const routePreviewQuery = z.strictObject({
  task: z.enum(aiTasks).optional().describe('default: extraction when json=true, otherwise general'),
  tier: z.enum(tiers).optional().describe('default: the owner’s default tier'),
  referenceModel: modelRef.optional().describe('"at least as good as this one"; default: the tier’s reference model'),
  json: z.enum(['true', 'false'], { error: 'must be true or false' }).optional().describe('the node gives a JSON schema'),
  promptTokens: count(1_000_000, 1_000).describe('prompt size the estimate assumes (default 1000)'),
  maxTokens: count(32_000, 1_024).refine((n) => n >= 1, 'must be at least 1').describe('output tokens the estimate assumes (default 1024, the node’s default)'),
});

const money = { expectedCostMicros: z.int(), expectedCostUsd: z.string() };
const score = z.object({ benchmark: z.string(), value: z.number(), reference: z.number(), floor: z.number() });

export const routePreviewResponse = z.object({
  /** Null when nothing can serve the node with these keys and settings; `why` says what is missing. */
  chosen: z.object({ provider: z.string(), model: z.string(), ...money, scores: z.array(score) }).nullable(),
  fallbacks: z.array(z.object({ provider: z.string(), model: z.string(), ...money })),
  candidateCount: z.int(),
  task: z.enum(aiTasks),
  tier: z.enum(tiers),
  margin: z.string(),
  marginLabel: z.string(),
  reference: z.object({ ref: z.string(), origin: z.string(), expectedCostMicros: z.int().nullable(), expectedCostUsd: z.string().nullable() }),
  rejected: z.array(z.object({ provider: z.string(), model: z.string(), expectedCostMicros: z.int(), reason: z.string() })),
  why: z.string(),
  assumed: z.object({ promptTokens: z.int(), maxTokens: z.int() }),
  priceDate: z.string(),
});
