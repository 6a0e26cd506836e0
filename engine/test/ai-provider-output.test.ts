import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providerIds, ProviderError, type ProviderId } from '../src/ai/types.ts';
import type { RecordedRequest } from './fakes/index.ts';
import { models, startProviderFixture, type ProviderFixture } from './fakes/provider-fixture.ts';

let f: ProviderFixture;
beforeAll(async () => {
  f = await startProviderFixture();
});
afterEach(() => f.fakes.reset());
afterAll(async () => f.fakes.close());

type Body = Record<string, unknown> & { messages?: Array<{ role: string; content: unknown }> };
const bodyOf = (r: RecordedRequest): Body => r.body as Body;
const person = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'] };
const answer = '{"name":"Ada","age":36}';

describe('JSON output with a schema', () => {
  const cases: Array<[ProviderId, (b: Body) => void]> = [
    ['openai', (b) => expect(b.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'person', schema: person } })],
    ['azure_openai', (b) => expect(b.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'person', schema: person } })],
    ['deepseek', (b) => {
      // No json_schema at DeepSeek: JSON mode, with the schema in the system prompt.
      expect(b.response_format).toEqual({ type: 'json_object' });
      expect(b.messages?.[0]?.role).toBe('system');
      expect(String(b.messages?.[0]?.content)).toContain(JSON.stringify(person));
    }],
    ['anthropic', (b) => {
      expect(b.tools).toEqual([{ name: 'person', description: expect.any(String), input_schema: person }]);
      expect(b.tool_choice).toEqual({ type: 'tool', name: 'person' });
    }],
    ['gemini', (b) => expect(b.generationConfig).toMatchObject({ responseMimeType: 'application/json', responseJsonSchema: person })],
  ];
  it.each(cases)('%s asks for it as its API names it and returns the JSON text', async (id, check) => {
    f.fakes.servers[id].enqueue({ text: answer });
    const res = await f.providers[id].complete({ model: models[id], maxTokens: 100, json: { schema: person, name: 'person' }, messages: [{ role: 'user', content: 'Who wrote the first program?' }] }, f.credential(id));
    expect(JSON.parse(res.text)).toEqual({ name: 'Ada', age: 36 });
    expect(f.fakes.servers[id].lastRequest.specErrors).toEqual([]);
    check(bodyOf(f.fakes.servers[id].lastRequest));
  });

  it.each(['openai', 'deepseek'] as const)('%s without a schema uses json_object and mentions JSON, which that mode requires', async (id) => {
    await f.providers[id].complete({ model: models[id], maxTokens: 100, json: {}, messages: [{ role: 'user', content: 'hi' }] }, f.credential(id));
    const b = bodyOf(f.fakes.servers[id].lastRequest);
    expect(b.response_format).toEqual({ type: 'json_object' });
    expect(String(b.messages?.[0]?.content)).toMatch(/JSON/);
  });

  it.each([false, true])('anthropic wraps a non-object root schema and unwraps the answer (stream: %s)', async (stream) => {
    const list = { type: 'array', items: { type: 'string' } };
    f.fakes.servers.anthropic.enqueue({ text: '{"value":["a","b"]}' });
    const deltas: string[] = [];
    const res = await f.providers.anthropic.complete({ model: models.anthropic, maxTokens: 50, json: { schema: list }, messages: [{ role: 'user', content: 'two letters' }], ...(stream ? { onDelta: (d: string) => deltas.push(d) } : {}) }, f.credential('anthropic'));
    expect(JSON.parse(res.text)).toEqual(['a', 'b']);
    expect(bodyOf(f.fakes.servers.anthropic.lastRequest).tools).toEqual([expect.objectContaining({ input_schema: { type: 'object', properties: { value: list }, required: ['value'] } })]);
    if (stream) expect(deltas.join('')).toBe(res.text);
  });
});

describe('streaming', () => {
  const streamed: Record<ProviderId, (r: RecordedRequest) => void> = {
    openai: (r) => expect(bodyOf(r)).toMatchObject({ stream: true, stream_options: { include_usage: true } }),
    deepseek: (r) => expect(bodyOf(r)).toMatchObject({ stream: true, stream_options: { include_usage: true } }),
    azure_openai: (r) => expect(bodyOf(r)).toMatchObject({ stream: true, stream_options: { include_usage: true } }),
    anthropic: (r) => expect(bodyOf(r)).toMatchObject({ stream: true }),
    gemini: (r) => {
      expect(r.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
      expect(r.query.get('alt')).toBe('sse');
    },
  };
  const usage: Record<ProviderId, Record<string, unknown>> = {
    openai: { prompt_tokens: 30, completion_tokens: 9, total_tokens: 39, prompt_tokens_details: { cached_tokens: 10 }, completion_tokens_details: { reasoning_tokens: 4 } },
    azure_openai: { prompt_tokens: 30, completion_tokens: 9, total_tokens: 39, prompt_tokens_details: { cached_tokens: 10 }, completion_tokens_details: { reasoning_tokens: 4 } },
    deepseek: { prompt_tokens: 30, completion_tokens: 9, total_tokens: 39, prompt_cache_hit_tokens: 10, prompt_cache_miss_tokens: 20, completion_tokens_details: { reasoning_tokens: 4 } },
    anthropic: { input_tokens: 20, cache_read_input_tokens: 10, cache_creation_input_tokens: 0, output_tokens: 9, output_tokens_details: { thinking_tokens: 4 } },
    gemini: { promptTokenCount: 30, cachedContentTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 4, totalTokenCount: 39 },
  };

  it.each(providerIds)('%s delivers text deltas and the final usage from the stream', async (id) => {
    const text = 'Streaming works one piece at a time.';
    f.fakes.servers[id].enqueue({ text, usage: usage[id] });
    const deltas: string[] = [];
    const res = await f.providers[id].complete({ model: models[id], maxTokens: 50, messages: [{ role: 'user', content: 'stream please' }], onDelta: (d) => deltas.push(d) }, f.credential(id));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(text);
    expect(res.text).toBe(text);
    expect(res.usage).toEqual({ inputTokens: 20, cacheReadTokens: 10, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 4 });
    expect(f.fakes.servers[id].lastRequest.specErrors).toEqual([]);
    streamed[id](f.fakes.servers[id].lastRequest);
  });

  it.each(providerIds)('%s streams JSON output too', async (id) => {
    f.fakes.servers[id].enqueue({ text: answer });
    const deltas: string[] = [];
    const res = await f.providers[id].complete({ model: models[id], maxTokens: 50, json: { schema: person }, messages: [{ role: 'user', content: 'json' }], onDelta: (d) => deltas.push(d) }, f.credential(id));
    expect(JSON.parse(res.text)).toEqual({ name: 'Ada', age: 36 });
    expect(deltas.join('')).toBe(res.text);
  });
});

describe('testKey', () => {
  const modelsPath: Record<ProviderId, string> = { openai: '/v1/models', deepseek: '/models', azure_openai: '/openai/models', anthropic: '/v1/models', gemini: '/v1beta/models' };

  it.each(providerIds)('%s lists models with the key, in one GET', async (id) => {
    await f.providers[id].testKey(f.credential(id));
    const fake = f.fakes.servers[id];
    expect(fake.requests).toHaveLength(1);
    expect(fake.lastRequest).toMatchObject({ method: 'GET', path: modelsPath[id], key: f.keys[id] });
  });

  it.each(providerIds)('%s reports a rejected key as auth', async (id) => {
    f.fakes.servers[id].enqueue({ status: 401 });
    const err = await f.providers[id].testKey(f.credential(id)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: id, kind: 'auth', status: 401, retryable: false });
  });
});
