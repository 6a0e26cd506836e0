import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProviders } from '../src/ai/providers/index.ts';
import { ProviderError, providerIds, type CompletionRequest, type ProviderId } from '../src/ai/types.ts';
import { Secret } from '../src/vault/secret.ts';
import type { FakeReply } from './fakes/index.ts';
import { canaryKey, models, startProviderFixture, type ProviderFixture } from './fakes/provider-fixture.ts';

let f: ProviderFixture;
beforeAll(async () => {
  f = await startProviderFixture();
});
afterEach(() => f.fakes.reset());
afterAll(async () => f.fakes.close());

const ask = (id: ProviderId, extra: Partial<CompletionRequest> = {}): CompletionRequest => ({ model: models[id], maxTokens: 20, messages: [{ role: 'user', content: 'hi' }], ...extra });

/** Every way an error gets printed or stored, including hidden fields and the cause chain. */
function renderings(err: unknown): string[] {
  return [String(err), err instanceof Error ? err.message : '', err instanceof Error ? String(err.stack) : '', JSON.stringify(err), inspect(err, { depth: 20, showHidden: true })];
}

function expectNoKey(err: unknown, key: string): void {
  const uuid = key.slice('sk-canary-'.length);
  for (const text of renderings(err)) {
    expect(text).not.toContain(key);
    expect(text).not.toContain(uuid.slice(0, 18));
    expect(text).not.toContain(uuid.slice(-12));
  }
}

describe('the key never appears in an error', () => {
  // Providers and proxies echo keys in error texts: whole, or the tail after a mask.
  const replies: Array<[string, (key: string) => FakeReply, boolean]> = [
    ['401 quoting the whole key', () => ({ status: 401 }), false],
    ['400 quoting a masked key', (key) => ({ status: 400, message: `Incorrect API key provided: sk-canary-****${key.slice(-12)}` }), false],
    ['429 quoting the key in a URL', (key) => ({ status: 429, message: `Quota exceeded for https://api.example.com/v1?key=${key}` }), false],
    ['500', () => ({ status: 500 }), false],
    ['timeout', () => ({ hang: true }), false],
    ['403 on a streaming call, echoing the key', (key) => ({ status: 403, message: `forbidden for ${key}` }), true],
  ];
  const quick = () => createProviders({ baseUrls: f.fakes.baseUrls, timeoutMs: 300 });
  const cases = providerIds.flatMap((id) => replies.map(([name, reply, stream]) => [id, name, reply, stream] as const));

  it.each(cases)('%s: %s', async (id, _name, reply, stream) => {
    const key = canaryKey();
    f.fakes.servers[id].enqueue(reply(key));
    const err = await quick()[id].complete(ask(id, stream ? { onDelta: () => {} } : {}), { apiKey: new Secret(key) }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(f.fakes.servers[id].lastRequest.key).toBe(key);
    expectNoKey(err, key);
  });

  it.each(providerIds)('%s: connection refused', async (id) => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const key = canaryKey();
    const err = await createProviders({ baseUrls: { [id]: origin }, timeoutMs: 2_000 })[id].testKey({ apiKey: new Secret(key) }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expectNoKey(err, key);
  });
});

describe('credentials from the environment never ride along', () => {
  const names = ['OPENAI_ADMIN_KEY', 'OPENAI_API_KEY', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY', 'AZURE_OPENAI_API_KEY'];
  const saved = new Map(names.map((n) => [n, process.env[n]]));
  const planted = canaryKey();
  beforeAll(() => names.forEach((n) => (process.env[n] = planted)));
  afterAll(() => saved.forEach((v, n) => (v === undefined ? delete process.env[n] : (process.env[n] = v))));

  it.each(providerIds)('%s sends only the credential’s key', async (id) => {
    await f.providers[id].complete(ask(id), f.credential(id));
    const { headers, key } = f.fakes.servers[id].lastRequest;
    expect(key).toBe(f.keys[id]);
    expect(JSON.stringify(headers)).not.toContain(planted);
  });
});

describe('Azure endpoint', () => {
  it('an operator-configured base URL wins over the credential’s endpoint, as for every provider', async () => {
    const providers = createProviders({ baseUrls: { azure_openai: f.fakes.baseUrls.azure_openai }, timeoutMs: 2_000 });
    const res = await providers.azure_openai.complete(ask('azure_openai'), { apiKey: new Secret(f.keys.azure_openai), baseUrl: 'https://acme.openai.azure.com', apiVersion: '2025-04-01-preview' });
    expect(res.text).toBe('Hello from the fake.');
    expect(f.fakes.servers.azure_openai.lastRequest.query.get('api-version')).toBe('2025-04-01-preview');
  });

  it('without one, the credential’s own resource endpoint is used', async () => {
    const res = await createProviders({ timeoutMs: 2_000 }).azure_openai.complete(ask('azure_openai'), { apiKey: new Secret(f.keys.azure_openai), baseUrl: f.fakes.baseUrls.azure_openai, apiVersion: '2024-10-21' });
    expect(res.text).toBe('Hello from the fake.');
    expect(f.fakes.servers.azure_openai.lastRequest.query.get('api-version')).toBe('2024-10-21');
  });

  it('no endpoint at all is a bad request, before any traffic', async () => {
    const err = await createProviders().azure_openai.complete(ask('azure_openai'), { apiKey: new Secret(canaryKey()) }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ provider: 'azure_openai', kind: 'bad_request', retryable: false });
  });
});
