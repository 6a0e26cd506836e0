// An Azure key's deployment map from the vault to the provider call: the facade opens the
// credential with its map (load-ai-credentials.ts), the router sends the deployment's name, and
// the usage row names and prices the mapped model.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogFrom, type CatalogEntry } from '../src/ai/catalog/catalog.ts';
import { createAiFactory } from '../src/ai/facade/create-ai-factory.ts';
import { CircuitBreaker } from '../src/ai/router/breaker.ts';
import { stubProvider, testEntries, testQuality, usageOf, type StubProvider } from '../src/ai/router/test-stubs.ts';
import { providerIds, type ProviderId } from '../src/ai/types.ts';
import * as credentials from '../src/store/credentials.repo.ts';
import { saveSettings } from '../src/store/settings.repo.ts';
import { generateKey } from '../src/vault/generate-key.ts';
import { Keyring } from '../src/vault/keyring.ts';
import { Secret } from '../src/vault/secret.ts';
import { createPgliteDatabase, type TestDatabase } from './support/postgres.ts';

let t: TestDatabase;
const keyring = Keyring.fromEnv(generateKey());
const all = { json: true, tools: true, vision: true };
const entries: CatalogEntry[] = [
  ...testEntries,
  { provider: 'azure_openai', model: 'gpt-mini', input: 50_000, output: 200_000, cacheRead: null, cacheWrite: null, reasoning: null, maxInput: 128_000, maxOutput: 16_384, supports: all },
  { provider: 'azure_openai', model: 'gpt-cheaper-but-undeployed', input: 10_000, output: 20_000, cacheRead: null, cacheWrite: null, reasoning: null, maxInput: 128_000, maxOutput: 16_384, supports: all },
];

beforeAll(async () => {
  t = await createPgliteDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe('Azure deployments through the AI facade', () => {
  it('sends the deployment name and records the mapped model at its price', async () => {
    const ownerId = randomUUID();
    await t.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@test.local`, password_hash: 'x' }).execute();
    // The price tier alone decides (no benchmark scores for the made-up Azure models).
    await saveSettings(t.db, ownerId, { routing: { margin: 'any', prefer: [], exclude: [], dataResidency: null } });
    const cred = await credentials.createCredential(t.db, ownerId, { provider: 'azure_openai', label: 'az', secret: new Secret('a'.repeat(32)), meta: { endpoint: 'https://acme.openai.azure.com', apiVersion: '2024-10-21', deployments: { 'prod-mini': 'gpt-mini' } } }, keyring);
    const providers = Object.fromEntries(providerIds.map((p) => [p, stubProvider(p, [{ usage: usageOf(1000, 500) }])])) as Record<ProviderId, StubProvider>;
    const factory = createAiFactory({ db: t.db, keyring, providers, catalog: catalogFrom(entries), quality: testQuality(), breaker: new CircuitBreaker() });
    const ai = factory({ id: randomUUID(), workflowId: randomUUID(), ownerId }, { id: randomUUID(), nodeId: 'ask', scope: '' }, () => {});
    await ai.complete({ prompt: 'Say hello', maxTokens: 100, tier: 'economy' });
    expect(providers.azure_openai.calls.map((c) => c.req.model)).toEqual(['prod-mini']);
    expect(providers.azure_openai.calls[0]!.credential.deployments).toEqual({ 'prod-mini': 'gpt-mini' });
    const rows = await t.db.selectFrom('usage_events').select(['provider', 'model', 'cost_micros', 'credential_id']).where('owner_id', '=', ownerId).execute();
    expect(rows).toEqual([{ provider: 'azure_openai', model: 'gpt-mini', cost_micros: 150, credential_id: cred.id }]);
  });
});
