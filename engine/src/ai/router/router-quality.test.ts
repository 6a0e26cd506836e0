// The router under the quality rule: what the step's explanation carries, the savings baseline,
// pinned models, and the rule's interplay with failover and budget.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/catalog.ts';
import { ProviderError, providerIds, type ProviderId } from '../types.ts';
import { CircuitBreaker } from './breaker.ts';
import { createRouter } from './router.ts';
import type { RouteCall } from './router-types.ts';
import { cred, memoryBudgetStore, memoryUsageSink, stubProvider, usageOf, type Step } from './test-stubs.ts';

const catalog = loadCatalog();
const now = () => Date.UTC(2026, 11, 2);

function harness(scripts: Partial<Record<ProviderId, Step[]>> = {}, budgets: Record<string, number | null> = {}) {
  const providers = Object.fromEntries(providerIds.map((p) => [p, stubProvider(p, scripts[p] ?? [{ usage: usageOf(800, 500) }])]));
  const usage = memoryUsageSink();
  const router = createRouter({ providers, catalog, breaker: new CircuitBreaker({ now }), budget: memoryBudgetStore(budgets, now), usage, now });
  const call = (over: Partial<RouteCall> = {}): RouteCall => ({
    ownerId: 'owner-1',
    request: { messages: [{ role: 'user', content: 'Summarise: ' + 'x'.repeat(3000) }], maxTokens: 500 },
    needs: {},
    credentials: providerIds.map((p) => cred(p)),
    quality: { task: 'summarization', referenceModel: 'openai/gpt-4o-mini', margin: 'equal' },
    ...over,
  });
  return { router, usage, call, providers };
}

describe('router with the quality rule', () => {
  it('explains: reference, each candidate’s scores and price, why the winner won', async () => {
    const h = harness();
    const r = await h.router.route(h.call());
    const q = r.decision.quality;
    expect(q).toMatchObject({ task: 'summarization', categories: ['instruction_following', 'chat_writing'], margin: 'equal', marginLabel: 'at least as good as', reference: { ref: 'openai/gpt-4o-mini', origin: 'reference model' } });
    expect(q?.reference.expectedCostMicros).toBeGreaterThan(0);
    const winner = r.decision.candidates[0];
    expect(winner).toMatchObject({ provider: r.provider, model: r.model });
    expect(winner?.scores?.length).toBeGreaterThan(0);
    for (const s of winner?.scores ?? []) expect(s).toEqual({ benchmark: expect.stringMatching(/^(LiveBench|LMArena)/), value: expect.any(Number), reference: expect.any(Number), floor: expect.any(Number) });
    expect(r.decision.why).toContain('at least as good as openai/gpt-4o-mini (reference model) for summarization');
    expect(r.decision.why).toContain(winner?.scores?.[0]?.benchmark);
    expect(r.decision.why).toMatch(/expected \$0\.\d{6} vs \$0\.\d{6} on the reference/);
    // The code model was cheaper and is named as refused, with its reason.
    expect(q?.rejected).toContainEqual(expect.objectContaining({ model: 'deepseek-coder', reason: 'a coding model, never used for summarization' }));
    expect(r.decision.why).toContain('cheaper but refused');
    expect(r.model).not.toBe('deepseek-coder');
  });

  it('prices each call on its reference model for the quality-rule savings', async () => {
    const h = harness();
    const r = await h.router.route(h.call({ baselineModel: 'anthropic/claude-opus-4-1' }));
    const ok = h.usage.events.find((e) => e.outcome === 'ok');
    expect(ok?.referenceModel).toBe('openai/gpt-4o-mini');
    expect(ok?.referenceCostMicros).toBe(Math.ceil((800 * 150_000 + 500 * 600_000) / 1e6));
    // The owner's baseline is still priced beside it, for the report's other figure.
    expect(ok?.baselineModel).toBe('anthropic/claude-opus-4-1');
    expect(ok?.costMicros).toBe(r.costMicros);
  });

  it('a tier names its reference model', async () => {
    const h = harness();
    const r = await h.router.route(h.call({ needs: { tier: 'premium' }, quality: { task: 'general', margin: 'equal' } }));
    expect(r.decision.quality?.reference).toMatchObject({ ref: 'openai/gpt-4.1', origin: 'tier reference' });
  });

  it('a pinned model is never substituted, and carries no quality verdict', async () => {
    const h = harness();
    const r = await h.router.route(h.call({ pinnedModel: 'deepseek/deepseek-coder' }));
    expect(r.model).toBe('deepseek-coder');
    expect(r.decision.quality).toBeUndefined();
    await expect(h.router.route(h.call({ pinnedModel: 'deepseek/deepseek-chat' }))).rejects.toThrow(/pinned model deepseek\/deepseek-chat retired on 2026-07-24/);
  });

  it('fails over only to models the rule admitted', async () => {
    const first = await harness().router.route(harness().call());
    const p = first.provider;
    const h = harness({ [p]: [{ error: new ProviderError(p, 'server', 'boom', { status: 503 }) }] });
    const r = await h.router.route(h.call());
    expect(r.provider).not.toBe(p);
    const admitted = r.decision.candidates.map((c) => `${c.provider}/${c.model}`);
    for (const a of r.attempts) expect(admitted).toContain(`${a.provider}/${a.model}`);
    expect(r.attempts.at(-1)?.outcome).toBe('ok');
    expect(r.decision.why).toMatch(/after .*server/);
  });

  it('the budget still refuses a call the admitted models cannot fit', async () => {
    const h = harness({}, { 'owner-1': 10 });
    await expect(h.router.route(h.call())).rejects.toThrow(/budget/i);
  });
});
