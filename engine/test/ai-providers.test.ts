import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providerIds, type ProviderId } from '../src/ai/types.ts';
import type { RecordedRequest } from './fakes/index.ts';
import { models, startProviderFixture, type ProviderFixture } from './fakes/provider-fixture.ts';

let f: ProviderFixture;
beforeAll(async () => {
  f = await startProviderFixture();
});
afterEach(() => f.fakes.reset());
afterAll(async () => f.fakes.close());

type Body = Record<string, unknown> & { messages?: Array<Record<string, unknown>> };
const bodyOf = (r: RecordedRequest): Body => r.body as Body;

const expectedPath: Record<ProviderId, (stream: boolean) => string> = {
  openai: () => '/v1/chat/completions',
  deepseek: () => '/chat/completions',
  azure_openai: () => '/openai/deployments/my-deploy/chat/completions',
  anthropic: () => '/v1/messages',
  gemini: (stream) => `/v1beta/models/gemini-2.5-flash:${stream ? 'streamGenerateContent' : 'generateContent'}`,
};

describe('plain completion through each SDK', () => {
  const finish: Record<ProviderId, string> = { openai: 'stop', deepseek: 'stop', azure_openai: 'stop', anthropic: 'end_turn', gemini: 'STOP' };
  const reportedModel: Record<ProviderId, string> = { ...models, azure_openai: 'gpt-4o-mini-2024-07-18' };

  it.each(providerIds)('%s returns the text, model and finish reason, in one authenticated, spec-valid request', async (id) => {
    f.fakes.servers[id].enqueue({ text: 'Bonjour.' });
    const res = await f.providers[id].complete({ model: models[id], maxTokens: 50, messages: [{ role: 'user', content: 'Say hi in French' }] }, f.credential(id));
    expect(res.text).toBe('Bonjour.');
    expect(res.model).toBe(reportedModel[id]);
    expect(res.finishReason).toBe(finish[id]);
    const fake = f.fakes.servers[id];
    expect(fake.requests).toHaveLength(1);
    expect(fake.lastRequest.key).toBe(f.keys[id]);
    expect(fake.lastRequest.specErrors).toEqual([]);
    expect(fake.lastRequest.path).toBe(expectedPath[id](false));
  });
});

describe('system, temperature and max tokens land where each spec names them', () => {
  const cases: Array<[ProviderId, (r: RecordedRequest) => void]> = [
    ['openai', (r) => {
      expect(bodyOf(r).messages?.[0]).toEqual({ role: 'system', content: 'Be brief.' });
      expect(bodyOf(r)).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.3, max_completion_tokens: 77 });
      expect(bodyOf(r)).not.toHaveProperty('max_tokens');
      expect(r.headers.authorization).toBe(`Bearer ${f.keys.openai}`);
    }],
    ['deepseek', (r) => {
      expect(bodyOf(r).messages?.[0]).toEqual({ role: 'system', content: 'Be brief.' });
      expect(bodyOf(r)).toMatchObject({ model: 'deepseek-chat', temperature: 0.3, max_tokens: 77 });
      expect(bodyOf(r)).not.toHaveProperty('max_completion_tokens');
    }],
    ['azure_openai', (r) => {
      expect(bodyOf(r).messages?.[0]).toEqual({ role: 'system', content: 'Be brief.' });
      expect(bodyOf(r)).toMatchObject({ temperature: 0.3, max_completion_tokens: 77 });
      expect(r.query.get('api-version')).toBe('2024-10-21');
      expect(r.headers['api-key']).toBe(f.keys.azure_openai);
      expect(r.headers.authorization).toBeUndefined();
    }],
    ['anthropic', (r) => {
      expect(bodyOf(r)).toMatchObject({ model: models.anthropic, system: 'Be brief.', temperature: 0.3, max_tokens: 77 });
      expect(bodyOf(r).messages).toEqual([{ role: 'user', content: 'Hi' }]);
      expect(r.headers.authorization).toBe(`Bearer ${f.keys.anthropic}`);
      expect(r.headers['anthropic-version']).toBeTruthy();
    }],
    ['gemini', (r) => {
      expect(bodyOf(r).systemInstruction).toMatchObject({ parts: [{ text: 'Be brief.' }] });
      expect(bodyOf(r).generationConfig).toEqual({ temperature: 0.3, maxOutputTokens: 77 });
      expect(bodyOf(r).contents).toEqual([{ role: 'user', parts: [{ text: 'Hi' }] }]);
      expect(r.headers['x-goog-api-key']).toBe(f.keys.gemini);
      expect(r.query.get('key')).toBeNull();
    }],
  ];
  it.each(cases)('%s', async (id, check) => {
    await f.providers[id].complete({ model: models[id], system: 'Be brief.', temperature: 0.3, maxTokens: 77, messages: [{ role: 'user', content: 'Hi' }] }, f.credential(id));
    expect(f.fakes.servers[id].lastRequest.specErrors).toEqual([]);
    check(f.fakes.servers[id].lastRequest);
  });
});

describe('image parts for vision', () => {
  const png = Buffer.from('fake-png-bytes').toString('base64');
  const cases: Array<[ProviderId, unknown]> = [
    ['openai', { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] }],
    ['azure_openai', { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] }],
    ['anthropic', { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }] }],
    ['gemini', { role: 'user', parts: [{ text: 'What is this?' }, { inlineData: { mimeType: 'image/png', data: png } }] }],
  ];
  it.each(cases)('%s', async (id, expected) => {
    await f.providers[id].complete({ model: models[id], maxTokens: 20, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', mediaType: 'image/png', base64: png }] }] }, f.credential(id));
    const r = f.fakes.servers[id].lastRequest;
    expect(r.specErrors).toEqual([]);
    const body = bodyOf(r);
    expect(id === 'gemini' ? (body.contents as unknown[])[0] : body.messages?.at(-1)).toEqual(expected);
  });
});
