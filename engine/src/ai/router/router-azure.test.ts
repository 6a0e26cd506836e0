// Azure deployments: an Azure credential's deployment → model map decides which Azure models
// the router may choose, what a call is priced as (the mapped model), and which deployment name
// is sent; a name outside the map never reaches Azure.
import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../catalog/catalog.ts';
import { Secret } from '../../vault/secret.ts';
import { AllProvidersFailed, NoModelAvailable } from './router-errors.ts';
import type { OwnerCredential } from './router-types.ts';
import { routerHarness, testEntries, usageOf } from './test-stubs.ts';

const all = { json: true, tools: true, vision: true };
const entries: CatalogEntry[] = [
  ...testEntries,
  { provider: 'azure_openai', model: 'gpt-mini', input: 50_000, output: 200_000, cacheRead: null, cacheWrite: null, reasoning: null, maxInput: 128_000, maxOutput: 16_384, supports: all },
  { provider: 'azure_openai', model: 'gpt-large', input: 5_000_000, output: 20_000_000, cacheRead: null, cacheWrite: null, reasoning: null, maxInput: 128_000, maxOutput: 16_384, supports: all },
];

function azure(deployments?: Record<string, string>, id = 'azure-key'): OwnerCredential {
  return { id, provider: 'azure_openai', credential: { apiKey: new Secret('a'.repeat(32)), baseUrl: 'https://acme.openai.azure.com', apiVersion: '2024-10-21', ...(deployments ? { deployments } : {}) } };
}

describe('router: Azure deployments', () => {
  it('prices the call by the mapped model and sends the deployment name', async () => {
    const h = routerHarness({ entries, scripts: { azure_openai: [{ usage: usageOf(1000, 500) }] } });
    const r = await h.router.route(h.call({ credentials: [azure({ 'prod-mini': 'gpt-mini' })] }));
    expect(r).toMatchObject({ provider: 'azure_openai', model: 'gpt-mini' });
    expect(h.providers.azure_openai.calls.map((c) => c.req.model)).toEqual(['prod-mini']);
    // 1000 × 0.05 + 500 × 0.2 micro-dollars: gpt-mini's prices, not a guess from the deployment name.
    expect(r.costMicros).toBe(150);
    expect(h.usage.events[0]).toMatchObject({ provider: 'azure_openai', model: 'gpt-mini', costMicros: 150 });
  });

  it('chooses among the deployments: the cheapest that fits, or the one a pinned model names', async () => {
    const h = routerHarness({ entries });
    const creds = [azure({ big: 'gpt-large', small: 'gpt-mini' })];
    await h.router.route(h.call({ credentials: creds }));
    await h.router.route(h.call({ credentials: creds, pinnedModel: 'azure_openai/gpt-large' }));
    expect(h.providers.azure_openai.calls.map((c) => c.req.model)).toEqual(['small', 'big']);
  });

  it('a model no deployment serves is no candidate, and no name outside the map is sent', async () => {
    const h = routerHarness({ entries });
    const creds = [azure({ big: 'gpt-large' }), { ...azure({ other: 'gpt-large' }, 'azure-2') }];
    const r = await h.router.route(h.call({ credentials: creds }));
    expect(r.decision.candidates.map((c) => c.model)).toEqual(['gpt-large']);
    await expect(h.router.route(h.call({ credentials: creds, pinnedModel: 'azure_openai/gpt-mini' }))).rejects.toSatisfy((e) => e instanceof AllProvidersFailed || e instanceof NoModelAvailable);
    const sent = h.providers.azure_openai.calls.map((c) => c.req.model);
    expect(sent.every((m) => m === 'big' || m === 'other')).toBe(true);
    expect(sent).not.toContain('gpt-mini');
  });

  it('the second credential serves a model the first does not deploy', async () => {
    const h = routerHarness({ entries });
    await h.router.route(h.call({ credentials: [azure({ big: 'gpt-large' }, 'a1'), azure({ tiny: 'gpt-mini' }, 'a2')] }));
    expect(h.providers.azure_openai.calls.map((c) => [c.req.model, c.credential.deployments])).toEqual([['tiny', { tiny: 'gpt-mini' }]]);
    expect(h.usage.events[0]).toMatchObject({ credentialId: 'a2', model: 'gpt-mini' });
  });

  it('a credential without a map keeps the old rule: the deployment carries the model\'s name', async () => {
    const h = routerHarness({ entries });
    await h.router.route(h.call({ credentials: [azure()] }));
    expect(h.providers.azure_openai.calls.map((c) => c.req.model)).toEqual(['gpt-mini']);
  });
});
