import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedUsage, ProviderId } from '../src/ai/types.ts';
import { models, startProviderFixture, type ProviderFixture } from './fakes/provider-fixture.ts';

let f: ProviderFixture;
beforeAll(async () => {
  f = await startProviderFixture();
});
afterEach(() => f.fakes.reset());
afterAll(async () => f.fakes.close());

const u = (inputTokens: number, cacheReadTokens: number, cacheWriteTokens: number, outputTokens: number, reasoningTokens: number): NormalizedUsage => ({ inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, reasoningTokens });

// Native usage exactly as each provider reports it → the disjoint counts the router prices.
const rows: Array<[string, ProviderId, Record<string, unknown>, NormalizedUsage]> = [
  ['openai plain', 'openai', { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 }, u(10, 0, 0, 3, 0)],
  ['openai cached prompt', 'openai', { prompt_tokens: 2006, completion_tokens: 300, total_tokens: 2306, prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } }, u(86, 1920, 0, 300, 0)],
  ['openai reasoning model', 'openai', { prompt_tokens: 75, completion_tokens: 1186, total_tokens: 1261, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 1024, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } }, u(75, 0, 0, 162, 1024)],
  ['openai cache read and write', 'openai', { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500, prompt_tokens_details: { cached_tokens: 400, cache_write_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 200 } }, u(500, 400, 100, 300, 200)],
  ['azure cached prompt', 'azure_openai', { prompt_tokens: 1566, completion_tokens: 1518, total_tokens: 3084, prompt_tokens_details: { cached_tokens: 1408 }, completion_tokens_details: { reasoning_tokens: 576 } }, u(158, 1408, 0, 942, 576)],
  ['deepseek chat cache hit', 'deepseek', { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, prompt_tokens_details: { cached_tokens: 64 }, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 }, u(36, 64, 0, 20, 0)],
  ['deepseek reasoner', 'deepseek', { prompt_tokens: 13, completion_tokens: 300, total_tokens: 313, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 13, completion_tokens_details: { reasoning_tokens: 250 } }, u(13, 0, 0, 50, 250)],
  ['anthropic plain', 'anthropic', { input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 40 }, u(25, 0, 0, 40, 0)],
  ['anthropic cache write', 'anthropic', { input_tokens: 21, cache_creation_input_tokens: 188086, cache_read_input_tokens: 0, output_tokens: 393 }, u(21, 0, 188086, 393, 0)],
  ['anthropic cache read', 'anthropic', { input_tokens: 21, cache_creation_input_tokens: 0, cache_read_input_tokens: 188086, output_tokens: 393 }, u(21, 188086, 0, 393, 0)],
  ['anthropic thinking', 'anthropic', { input_tokens: 50, cache_creation_input_tokens: 0, cache_read_input_tokens: 10, output_tokens: 500, output_tokens_details: { thinking_tokens: 320 } }, u(50, 10, 0, 180, 320)],
  ['gemini plain', 'gemini', { promptTokenCount: 8, candidatesTokenCount: 12, totalTokenCount: 20 }, u(8, 0, 0, 12, 0)],
  ['gemini cached content and thoughts', 'gemini', { promptTokenCount: 1200, cachedContentTokenCount: 1000, candidatesTokenCount: 40, thoughtsTokenCount: 300, totalTokenCount: 1540 }, u(200, 1000, 0, 40, 300)],
];

describe('usage normalisation through each SDK', () => {
  it.each(rows)('%s (no stream)', async (_name, id, usage, expected) => {
    f.fakes.servers[id].enqueue({ usage });
    const res = await f.providers[id].complete({ model: models[id], maxTokens: 10, messages: [{ role: 'user', content: 'hi' }] }, f.credential(id));
    expect(res.usage).toEqual(expected);
  });

  it.each(rows)('%s (stream)', async (_name, id, usage, expected) => {
    f.fakes.servers[id].enqueue({ usage });
    const res = await f.providers[id].complete({ model: models[id], maxTokens: 10, messages: [{ role: 'user', content: 'hi' }], onDelta: () => {} }, f.credential(id));
    expect(res.usage).toEqual(expected);
  });
});

describe('Gemini thought parts', () => {
  it('are not part of the text', async () => {
    f.fakes.servers.gemini.enqueue({
      body: {
        candidates: [{ content: { role: 'model', parts: [{ text: 'Let me think about primes…', thought: true }, { text: '7' }] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1, thoughtsTokenCount: 9, totalTokenCount: 15 },
        modelVersion: 'gemini-2.5-flash',
      },
    });
    const res = await f.providers.gemini.complete({ model: models.gemini, maxTokens: 10, messages: [{ role: 'user', content: 'a prime' }] }, f.credential('gemini'));
    expect(res.text).toBe('7');
    expect(res.usage).toEqual(u(5, 0, 0, 1, 9));
  });
});
