import { describe, expect, it } from 'vitest';
import { createTestContext, describeNode, NodeError, NonRetriableNodeError, parseNodeConfig, type AiCompleteRequest, type AiCompleteResult, type AiFacade } from '../contract/index.ts';
import { defaultRegistry } from '../index.ts';
import { aiCompleteNode, MAX_DECISION_CANDIDATES } from './complete.node.ts';

const credA = '0b4c9a36-4b8e-4c1e-9d59-0d5c9c1f2a11';

function answer(over: Partial<AiCompleteResult> = {}): AiCompleteResult {
  return {
    text: 'Hi Ada',
    provider: 'deepseek',
    model: 'deepseek-chat',
    usage: { inputTokens: 12, outputTokens: 3, cachedTokens: 0, costMicros: 42 },
    decision: { candidates: [{ provider: 'deepseek', model: 'deepseek-chat', expectedCostMicros: 40 }], chosen: { provider: 'deepseek', model: 'deepseek-chat' }, why: 'cheapest' },
    ...over,
  };
}

/** A facade that records its requests and answers with `reply` (or throws it). */
function fakeAi(reply: AiCompleteResult | Error = answer()) {
  const calls: AiCompleteRequest[] = [];
  const ai: AiFacade = {
    async complete(req) {
      calls.push(req);
      if (reply instanceof Error) throw reply;
      return reply;
    },
  };
  return { ai, calls };
}

function run(config: Record<string, unknown>, ai?: AiFacade) {
  return aiCompleteNode.run(createTestContext(parseNodeConfig(aiCompleteNode, config), ai ? { ai } : {}));
}

describe('ai.complete config', () => {
  it('fills the defaults', () => {
    expect(parseNodeConfig(aiCompleteNode, { prompt: 'hi' })).toEqual({ prompt: 'hi', maxTokens: 1024 });
  });

  it.each([
    ['an empty prompt', { prompt: '' }, 'prompt'],
    ['an unknown tier', { prompt: 'x', tier: 'cheap' }, 'tier'],
    ['a model without its provider', { prompt: 'x', model: 'gpt-4o' }, 'model'],
    ['a credential id that is not a uuid', { prompt: 'x', credentialIds: ['key-1'] }, 'credentialIds'],
    ['maxTokens 0', { prompt: 'x', maxTokens: 0 }, 'maxTokens'],
    ['maxTokens over 32000', { prompt: 'x', maxTokens: 32_001 }, 'maxTokens'],
    ['a fractional maxTokens', { prompt: 'x', maxTokens: 10.5 }, 'maxTokens'],
    ['temperature above 2', { prompt: 'x', temperature: 2.5 }, 'temperature'],
    ['a jsonSchema that is not an object', { prompt: 'x', jsonSchema: 'object' }, 'jsonSchema'],
    ['an unknown field', { prompt: 'x', apiKey: 'sk-nope' }, 'apiKey'],
    ['an unknown task', { prompt: 'x', task: 'poetry' }, 'task'],
    ['a reference model without its provider', { prompt: 'x', referenceModel: 'gpt-4o' }, 'referenceModel'],
    ['a reference model beside a pinned model', { prompt: 'x', model: 'openai/gpt-4o', referenceModel: 'openai/gpt-4o-mini' }, 'referenceModel'],
  ])('refuses %s', (_name, config, field) => {
    try {
      parseNodeConfig(aiCompleteNode, config);
      expect.unreachable('config should be refused');
    } catch (err) {
      expect(err).toBeInstanceOf(NonRetriableNodeError);
      const issues = (err as NonRetriableNodeError).details?.issues as { path: (string | number)[] }[];
      expect(issues.map((i) => i.path[0])).toContain(field);
    }
  });

  it('is registered, an action in the ai category, with a bounded retry policy', () => {
    expect(defaultRegistry.get('ai.complete', 1)).toBe(aiCompleteNode);
    expect(aiCompleteNode).toMatchObject({ category: 'ai', kind: 'action', outputs: ['main'], inputs: ['main'] });
    expect(aiCompleteNode.retry.maxAttempts).toBe(2);
    const fields = describeNode(aiCompleteNode);
    expect(JSON.stringify(fields)).toContain('maxTokens');
  });
});

describe('ai.complete run', () => {
  it('sends every configured field to ctx.ai with the step signal', async () => {
    const { ai, calls } = fakeAi();
    const schema = { type: 'object', properties: { name: { type: 'string' } } };
    await run({ prompt: 'Greet Ada', system: 'Be brief', tier: 'premium', model: 'openai/gpt-4o', credentialIds: [credA], jsonSchema: schema, maxTokens: 200, temperature: 0.2 }, ai);
    expect(calls).toHaveLength(1);
    const { signal, ...rest } = calls[0]!;
    expect(rest).toEqual({ prompt: 'Greet Ada', system: 'Be brief', tier: 'premium', model: 'openai/gpt-4o', credentialIds: [credA], jsonSchema: schema, maxTokens: 200, temperature: 0.2 });
    expect(signal).toBeInstanceOf(AbortSignal);
  });

  it('sends the task and the reference model', async () => {
    const { ai, calls } = fakeAi();
    await run({ prompt: 'Summarise', task: 'summarization', referenceModel: 'openai/gpt-4o-mini' }, ai);
    expect(calls[0]).toMatchObject({ task: 'summarization', referenceModel: 'openai/gpt-4o-mini' });
  });

  it('keeps the quality explanation and each candidate’s scores in the step output', async () => {
    const quality = { task: 'summarization', categories: ['instruction_following'], margin: 'equal', marginLabel: 'at least as good as', reference: { ref: 'openai/gpt-4o-mini', expectedCostMicros: 90, origin: 'reference model' }, rejected: [{ provider: 'deepseek', model: 'deepseek-coder', expectedCostMicros: 10, reason: 'a coding model, never used for summarization' }] };
    const scores = [{ benchmark: 'LiveBench 2025-04-25, instruction following', value: 57.5, reference: 56.8, floor: 55.8 }];
    const { ai } = fakeAi(answer({ decision: { candidates: [{ provider: 'openai', model: 'gpt-4.1-nano', expectedCostMicros: 40, scores }], chosen: { provider: 'openai', model: 'gpt-4.1-nano' }, why: 'w', quality } }));
    const { output } = await run({ prompt: 'hi' }, ai);
    expect((output as { decision: unknown }).decision).toEqual({ candidates: [{ provider: 'openai', model: 'gpt-4.1-nano', expectedCostMicros: 40, scores }], candidateCount: 1, chosen: { provider: 'openai', model: 'gpt-4.1-nano' }, why: 'w', quality });
  });

  it('leaves out what the config does not set, so the owner settings apply', async () => {
    const { ai, calls } = fakeAi();
    await run({ prompt: 'hi' }, ai);
    expect(Object.keys(calls[0]!).sort()).toEqual(['maxTokens', 'prompt', 'signal']);
  });

  it('outputs text, provider, model, tokens, cost and the decision', async () => {
    const { ai } = fakeAi(answer({ json: { name: 'Ada' } }));
    const { output } = await run({ prompt: 'hi' }, ai);
    expect(output).toEqual({
      text: 'Hi Ada',
      json: { name: 'Ada' },
      provider: 'deepseek',
      model: 'deepseek-chat',
      usage: { inputTokens: 12, outputTokens: 3, cachedTokens: 0 },
      costMicros: 42,
      decision: { candidates: [{ provider: 'deepseek', model: 'deepseek-chat', expectedCostMicros: 40 }], candidateCount: 1, chosen: { provider: 'deepseek', model: 'deepseek-chat' }, why: 'cheapest' },
    });
  });

  it('keeps the cheapest candidates of a long decision and their count', async () => {
    const candidates = Array.from({ length: 25 }, (_, i) => ({ provider: 'openai', model: `m${i}`, expectedCostMicros: i }));
    const { ai } = fakeAi(answer({ decision: { candidates, chosen: { provider: 'openai', model: 'm0' }, why: 'cheapest' } }));
    const { output } = (await run({ prompt: 'hi' }, ai)) as { output: { decision: { candidates: unknown[]; candidateCount: number } } };
    expect(output.decision.candidates).toEqual(candidates.slice(0, MAX_DECISION_CANDIDATES));
    expect(output.decision.candidateCount).toBe(25);
  });

  it('fails for good without an AI facade', async () => {
    await expect(run({ prompt: 'hi' })).rejects.toBeInstanceOf(NonRetriableNodeError);
  });

  it.each([
    ['a non-retriable error', new NonRetriableNodeError('AI budget exceeded'), false],
    ['a retryable error', new NodeError('every AI provider failed'), true],
  ])('passes %s from the facade through unchanged', async (_name, error, retryable) => {
    const { ai } = fakeAi(error);
    const failure = await run({ prompt: 'hi' }, ai).catch((e: unknown) => e);
    expect(failure).toBe(error);
    expect((failure as NodeError).retryable).toBe(retryable);
  });

  it('turns an unexpected failure into a retryable error without its text', async () => {
    const { ai } = fakeAi(new Error('socket hang up near sk-secret-value'));
    const failure = (await run({ prompt: 'hi' }, ai).catch((e: unknown) => e)) as NodeError;
    expect(failure).toBeInstanceOf(NodeError);
    expect(failure.retryable).toBe(true);
    expect(failure.message).toBe('the AI call failed');
  });
});
