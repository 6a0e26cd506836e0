// The AI path's loop, apart from where keys and settings come from: ask for the graph as JSON,
// check it with the API's validator, feed the issues back a bounded number of times.
import type { NodeRegistry } from '@keyflow/nodes/contract';
import type { Tier } from '../ai/catalog/catalog.ts';
import type { Router } from '../ai/router/router.ts';
import type { RouteCall } from '../ai/router/router-types.ts';
import type { ChatMessage } from '../ai/types.ts';
import { repairPrompt, userPrompt } from './ai-prompt.ts';
import { checkAiAnswer } from './check-ai-answer.ts';
import type { GenerateResult } from './generate-types.ts';
import { credentialsToPick } from './plan-workflow.ts';

/** How the AI path went, for the response and the bench. */
export interface AiTrace {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  /** Why the planner answered instead, when the AI path was tried and failed. */
  failure?: string;
}

export interface AiGenerateDeps {
  router: Router;
  call: Pick<RouteCall, 'ownerId' | 'credentials' | 'providerOrder' | 'baselineModel'>;
  tier: Tier;
  registry: NodeRegistry;
  system: string;
  schema: Record<string, unknown>;
  maxRepairs: number;
  maxTokens: number;
  onUsed?: (credentialId: string) => Promise<void> | void;
}

/** A valid graph from the model, or undefined after 1 + maxRepairs answers that were not (trace says why). Router errors propagate. */
export async function aiGenerate(deps: AiGenerateDeps, description: string, options: { minScheduleSeconds?: number }, trace: AiTrace): Promise<GenerateResult | undefined> {
  const messages: ChatMessage[] = [{ role: 'user', content: userPrompt(description) }];
  for (let turn = 0; turn <= deps.maxRepairs; turn++) {
    const routed = await deps.router.route({
      ...deps.call,
      request: { system: deps.system, messages, maxTokens: deps.maxTokens, temperature: 0, json: { schema: deps.schema, name: 'workflow' } },
      needs: { tier: deps.tier, json: true },
    });
    const u = routed.result.usage;
    trace.calls += 1;
    trace.inputTokens += u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens;
    trace.outputTokens += u.outputTokens + u.reasoningTokens;
    trace.costMicros += routed.costMicros;
    const used = routed.attempts.at(-1)?.credentialId;
    if (used) await deps.onUsed?.(used);
    const checked = checkAiAnswer(routed.result.text, deps.registry, options);
    if (checked.ok) {
      delete trace.failure;
      return { graph: checked.graph, explanation: checked.explanation, source: 'ai', unplaced: checked.unplaced, credentials: credentialsToPick(checked.graph, deps.registry) };
    }
    const first = checked.issues[0];
    trace.failure = `the model's answer was not a valid graph (${checked.issues.length} issue${checked.issues.length === 1 ? '' : 's'}, first: ${first?.path.join('.') || 'answer'}: ${first?.message ?? ''})`;
    messages.push({ role: 'assistant', content: routed.result.text }, { role: 'user', content: repairPrompt(checked.issues) });
  }
  return undefined;
}
