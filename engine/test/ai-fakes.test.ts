import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providerIds } from '../src/ai/types.ts';
import { startFakes, validateJsonSchema, type Fakes, type SpecFile } from './fakes/index.ts';

const load = (name: string) => JSON.parse(readFileSync(new URL(`./fakes/specs/${name}`, import.meta.url), 'utf8')) as SpecFile;

describe('trimmed OpenAI CreateChatCompletionRequest', () => {
  const spec = load('openai-chat-completions.request.json');
  const ok = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 5 };
  it('accepts a request we send', () => {
    expect(validateJsonSchema(spec, ok)).toEqual([]);
  });
  it.each([
    ['no messages', { model: 'gpt-4o-mini' }, '$.messages: required'],
    ['an empty message list', { ...ok, messages: [] }, '$.messages: fewer than 1 items'],
    ['an unknown role', { ...ok, messages: [{ role: 'robot', content: 'hi' }] }, '$.messages[0]: matches none of'],
    ['a misspelt field', { ...ok, max_output_tokens: 5 }, '$.max_output_tokens: not in the spec'],
    ['temperature above 2', { ...ok, temperature: 3 }, '$.temperature: matches none of'],
    ['a json_schema format without a name', { ...ok, response_format: { type: 'json_schema', json_schema: { schema: {} } } }, '$.response_format: matches none of'],
  ])('rejects %s', (_name, body, expected) => {
    expect(validateJsonSchema(spec, body).join('\n')).toContain(expected);
  });
});

describe('trimmed Anthropic CreateMessageParams', () => {
  const spec = load('anthropic-messages.request.json');
  const ok = { model: 'claude-3-5-haiku-20241022', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
  it('accepts a request we send', () => {
    expect(validateJsonSchema(spec, { ...ok, tools: [{ name: 'out', description: 'x', input_schema: { type: 'object' } }], tool_choice: { type: 'tool', name: 'out' } })).toEqual([]);
  });
  it.each([
    ['no max_tokens', { model: ok.model, messages: ok.messages }, '$.max_tokens: required'],
    ['a system role message', { ...ok, messages: [{ role: 'system', content: 'x' }] }, '$.messages[0]'],
    ['a tool name with spaces', { ...ok, tools: [{ name: 'my tool', input_schema: { type: 'object' } }] }, '$.tools[0].name'],
    ['a non-object input_schema', { ...ok, tools: [{ name: 't', input_schema: { type: 'array' } }] }, '$.tools[0].input_schema'],
  ])('rejects %s', (_name, body, expected) => {
    expect(validateJsonSchema(spec, body).join('\n')).toContain(expected);
  });
});

describe('the fakes', () => {
  let fakes: Fakes;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.reset());
  afterAll(async () => fakes.close());

  const completionUrl = (id: (typeof providerIds)[number]): string =>
    ({
      openai: `${fakes.baseUrls.openai}/chat/completions`,
      deepseek: `${fakes.baseUrls.deepseek}/chat/completions`,
      azure_openai: `${fakes.baseUrls.azure_openai}/openai/deployments/d/chat/completions?api-version=2024-10-21`,
      anthropic: `${fakes.baseUrls.anthropic}/v1/messages`,
      gemini: `${fakes.baseUrls.gemini}/v1beta/models/gemini-2.5-flash:generateContent`,
    })[id];

  it.each(providerIds)('%s answers 401 when the auth header is missing, and records the request', async (id) => {
    const res = await fetch(completionUrl(id), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(fakes.servers[id].lastRequest).toMatchObject({ method: 'POST', key: undefined, body: {} });
  });

  it('gemini answers 400 INVALID_ARGUMENT for a body outside the REST reference', async () => {
    const res = await fetch(completionUrl('gemini'), { method: 'POST', headers: { 'x-goog-api-key': 'k' }, body: JSON.stringify({ contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    expect(fakes.servers.gemini.lastRequest.specErrors.join()).toContain('contents.0.role');
  });

  it('azure refuses a call without api-version, as Azure does', async () => {
    const res = await fetch(`${fakes.baseUrls.azure_openai}/openai/deployments/d/chat/completions`, { method: 'POST', headers: { 'api-key': 'k' }, body: '{}' });
    expect(res.status).toBe(404);
  });
});
