// POST /api/workflows/generate: a description in, a graph to review out (issue 11 item 3).
import { z } from 'zod';
import { generate } from '@keyflow/engine';

export const generateWorkflowBody = z.strictObject({
  description: z
    .string()
    .trim()
    .min(3, 'describe the workflow in a sentence')
    .max(generate.MAX_DESCRIPTION_LENGTH, `at most ${generate.MAX_DESCRIPTION_LENGTH} characters`),
});

export const generateWorkflowResponse = z.object({
  graph: z.object({ nodes: z.array(z.unknown()), edges: z.array(z.unknown()) }),
  explanation: z.array(z.object({ nodeId: z.string(), text: z.string() })),
  source: z.enum(['ai', 'planner']),
  unplaced: z.array(z.string()),
  /** Placed nodes that need a connection the user picks. */
  credentials: z.array(z.object({ nodeId: z.string(), provider: z.string() })),
  /** Set when an AI key was tried: calls, tokens, cost, and why the planner answered if it did. */
  ai: z.object({ calls: z.int(), inputTokens: z.int(), outputTokens: z.int(), costMicros: z.int(), failure: z.string().optional() }).nullable(),
});
