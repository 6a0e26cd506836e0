import { z } from 'zod';
import { defineNode, NodeError, NonRetriableNodeError, type AiCompleteResult, type AiDecision } from '../contract/index.ts';

export const aiTiers = ['economy', 'balanced', 'premium'] as const;

/**
 * What the call does. The router compares benchmark scores in the task's categories
 * (engine/src/ai/catalog/quality/quality.ts, taskCategories):
 *   general, writing → chat and writing; extraction → data/structured output + instruction
 *   following; classification → instruction following; summarization → instruction following +
 *   chat and writing; coding → coding; reasoning → math and reasoning; vision → vision.
 * Unset: extraction when a JSON schema is given, otherwise general.
 */
export const aiTasks = ['general', 'writing', 'extraction', 'classification', 'summarization', 'coding', 'reasoning', 'vision'] as const;

const modelRefField = z
  .string()
  .max(200)
  .regex(/^[a-z_]+\/[A-Za-z0-9][A-Za-z0-9._:@/-]*$/, 'must be "<provider>/<model>", e.g. "openai/gpt-4o-mini"');

/** Candidates kept in the step output: enough to show why, small enough for every run record. */
export const MAX_DECISION_CANDIDATES = 10;

export const aiCompleteConfig = z
  .strictObject({
  prompt: z.string().min(1, 'must not be empty').max(200_000),
  system: z.string().max(100_000).optional(),
  tier: z.enum(aiTiers).optional().describe('At least this class of model; default: the owner setting'),
  model: modelRefField.optional().describe('Pin one model (never substituted); otherwise the cheapest that fits is chosen'),
  referenceModel: modelRefField.optional().describe('Route to the cheapest of your models at least as good as this one for the task, by public benchmarks'),
  task: z.enum(aiTasks).optional().describe('What the call does; default: extraction with a JSON schema, otherwise general'),
  credentialIds: z.array(z.uuid()).min(1).max(20).optional().describe('Use only these keys'),
  jsonSchema: z.record(z.string(), z.unknown()).optional().describe('JSON Schema the answer must follow; a miss is sent back once with what is wrong, then fails'),
  maxTokens: z.int().min(1).max(32_000).default(1024),
  temperature: z.number().min(0).max(2).optional(),
})
  .superRefine((c, ctx) => {
    if (c.model !== undefined && c.referenceModel !== undefined) ctx.addIssue({ code: 'custom', path: ['referenceModel'], message: 'cannot be combined with model: a pinned model is never substituted' });
  });

const usageSchema = z.object({ inputTokens: z.number(), outputTokens: z.number(), cachedTokens: z.number().optional() });
const scoreSchema = z.object({ benchmark: z.string(), value: z.number(), reference: z.number(), floor: z.number() });
const decisionSchema = z.object({
  candidates: z.array(z.object({ provider: z.string(), model: z.string(), expectedCostMicros: z.number(), skipped: z.string().optional(), scores: z.array(scoreSchema).optional() })),
  candidateCount: z.number(),
  chosen: z.object({ provider: z.string(), model: z.string() }),
  why: z.string(),
  quality: z
    .object({
      task: z.string(),
      categories: z.array(z.string()),
      margin: z.string(),
      marginLabel: z.string(),
      reference: z.object({ ref: z.string(), expectedCostMicros: z.number().nullable(), origin: z.string() }),
      rejected: z.array(z.object({ provider: z.string(), model: z.string(), expectedCostMicros: z.number(), reason: z.string() })),
    })
    .optional(),
});

export const aiCompleteOutput = z.object({
  text: z.string(),
  json: z.unknown().optional(),
  provider: z.string(),
  model: z.string(),
  usage: usageSchema,
  costMicros: z.int(),
  decision: decisionSchema.optional(),
});
export type AiCompleteOutput = z.infer<typeof aiCompleteOutput>;

function trimDecision(d: AiDecision): z.infer<typeof decisionSchema> {
  return { candidates: d.candidates.slice(0, MAX_DECISION_CANDIDATES), candidateCount: d.candidates.length, chosen: d.chosen, why: d.why, ...(d.quality ? { quality: d.quality } : {}) };
}

function toOutput(r: AiCompleteResult): AiCompleteOutput {
  const { costMicros, ...tokens } = r.usage;
  return {
    text: r.text,
    ...(r.json !== undefined ? { json: r.json } : {}),
    provider: r.provider,
    model: r.model,
    usage: tokens,
    costMicros,
    ...(r.decision ? { decision: trimDecision(r.decision) } : {}),
  };
}

/**
 * Asks an AI model through the owner's keys. The router picks the cheapest model that fits
 * (or the pinned one), fails over between providers, and refuses calls over the budget.
 */
export const aiCompleteNode = defineNode({
  type: 'ai.complete',
  version: 1,
  title: 'AI completion',
  description: 'Sends a prompt to the cheapest fitting AI model among your keys and returns its answer.',
  keywords: ["ai", "gpt", "chatgpt", "openai", "claude", "llm", "summarise", "summarize", "summary", "classify", "translate", "sentiment", "generate", "write", "draft", "analyse", "analyze", "extract", "rewrite", "answer", "chatbot", "agent"],
  examples: [
    { text: "Summarise the message with AI", config: {"prompt": "Summarise this in three sentences:\n{{ $trigger.body }}", "tier": "economy"} },
    { text: "Classify the email as urgent or not", config: {"prompt": "Is this urgent? Answer yes or no.\n{{ $trigger.body }}", "tier": "economy"} },
  ],
  category: 'ai',
  kind: 'action',
  config: aiCompleteConfig,
  output: aiCompleteOutput,
  // The router already failed over between providers; one more try later covers an outage
  // that every provider shared for a moment, more would only repeat it.
  retry: { maxAttempts: 2, initialDelayMs: 2_000, maxDelayMs: 30_000 },
  // A provider call may take up to two minutes, and a failover may need a second one.
  timeoutMs: 300_000,
  async run(ctx) {
    if (!ctx.ai) throw new NonRetriableNodeError('AI calls are not available in this engine');
    const c = ctx.config;
    let result: AiCompleteResult;
    try {
      result = await ctx.ai.complete({
        prompt: c.prompt,
        maxTokens: c.maxTokens,
        signal: ctx.signal,
        ...(c.system !== undefined ? { system: c.system } : {}),
        ...(c.tier !== undefined ? { tier: c.tier } : {}),
        ...(c.model !== undefined ? { model: c.model } : {}),
        ...(c.referenceModel !== undefined ? { referenceModel: c.referenceModel } : {}),
        ...(c.task !== undefined ? { task: c.task } : {}),
        ...(c.credentialIds !== undefined ? { credentialIds: c.credentialIds } : {}),
        ...(c.jsonSchema !== undefined ? { jsonSchema: c.jsonSchema } : {}),
        ...(c.temperature !== undefined ? { temperature: c.temperature } : {}),
      });
    } catch (error) {
      if (error instanceof NodeError) throw error;
      // The facade speaks NodeError; anything else is unexpected, so keep its text out of the
      // run record (it might quote a provider's body) and let the executor retry.
      throw new NodeError('the AI call failed', { cause: error });
    }
    return { output: toOutput(result) };
  },
});
