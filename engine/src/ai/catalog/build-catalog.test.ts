import { describe, expect, it } from 'vitest';
import { extractCatalog, perMillionMicros } from './build-catalog.ts';

const chat = (provider: string, extra: Record<string, unknown> = {}) => ({
  litellm_provider: provider,
  mode: 'chat',
  input_cost_per_token: 1.25e-6,
  output_cost_per_token: 1e-5,
  max_input_tokens: 1000,
  max_output_tokens: 100,
  ...extra,
});

describe('extractCatalog', () => {
  const source = {
    sample_spec: { litellm_provider: 'openai', mode: 'chat' },
    'gpt-x': chat('openai', { cache_read_input_token_cost: 1.25e-7, supports_response_schema: true, supports_function_calling: true, supports_vision: true }),
    'ft:gpt-x': chat('openai'),
    'gpt-x-audio-preview': chat('openai'),
    'gpt-x-search-preview': chat('openai'),
    'text-embedding-x': chat('openai', { mode: 'embedding' }),
    'gpt-old': chat('openai', { deprecation_date: '2026-11-26' }),
    'gpt-late': chat('openai', { deprecation_date: '2026-11-27' }),
    'azure/gpt-x': chat('azure', { input_cost_per_token: 1.65e-7 }),
    'azure/eu/gpt-x': chat('azure'),
    'azure/mistral-large': chat('azure'),
    'gemini-free': chat('gemini', { input_cost_per_token: 0 }),
    'gemini-y': chat('gemini', { input_cost_per_token: 1e-7 }),
    'gemini/gemini-y': chat('gemini', { input_cost_per_token: 3e-7, output_cost_per_reasoning_token: 2.5e-6 }),
    'claude-z': chat('anthropic', { cache_creation_input_token_cost: 3.75e-6 }),
    'mistral/x': chat('mistral'),
    'deepseek/deepseek-v4': chat('deepseek', { input_cost_per_token: 3.625e-9, max_input_tokens: undefined, max_tokens: 5000 }),
  };
  const out = extractCatalog(source);
  const refs = out.map((e) => `${e.provider}/${e.model}`);

  it('keeps only usable chat models of our providers, sorted', () => {
    expect(refs).toEqual(['anthropic/claude-z', 'azure_openai/gpt-x', 'deepseek/deepseek-v4', 'gemini/gemini-y', 'openai/gpt-late', 'openai/gpt-x']);
  });

  it('converts USD per token to exact micro-dollars per million tokens', () => {
    expect(out.find((e) => e.model === 'gpt-x' && e.provider === 'openai')).toEqual({
      provider: 'openai', model: 'gpt-x', input: 1_250_000, output: 10_000_000, cacheRead: 125_000, cacheWrite: null, reasoning: null,
      maxInput: 1000, maxOutput: 100, supports: { json: true, tools: true, vision: true },
    });
    expect(out.find((e) => e.provider === 'deepseek')).toMatchObject({ input: 3625, maxInput: 5000 });
    expect(out.find((e) => e.provider === 'anthropic')?.cacheWrite).toBe(3_750_000);
  });

  it('prefers the provider-prefixed entry when both spellings exist', () => {
    expect(out.find((e) => e.provider === 'gemini')).toMatchObject({ input: 300_000, reasoning: 2_500_000 });
  });

  it.each([
    [1e-6, 1_000_000],
    [5e-9, 5000],
    [1.875e-8, 18_750],
    [undefined, null],
  ])('perMillionMicros(%s) = %s', (usd, micros) => {
    expect(perMillionMicros(usd)).toBe(micros);
  });

  it('refuses a price finer than a micro-dollar per million tokens', () => {
    expect(() => perMillionMicros(1.5e-13)).toThrow(/not a whole/);
  });
});
