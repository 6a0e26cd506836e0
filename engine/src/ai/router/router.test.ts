import { describe, expect, it } from 'vitest';
import { ProviderError } from '../types.ts';
import { AllProvidersFailed, BudgetExceeded, NoModelAvailable } from './router-errors.ts';
import { routerHarness, usageOf } from './test-stubs.ts';

describe('router: choosing', () => {
  it('sends the call to the cheapest eligible model and explains why', async () => {
    const h = routerHarness();
    const r = await h.router.route(h.call());
    expect(r).toMatchObject({ provider: 'openai', model: 'o-small', costMicros: 3 });
    expect(h.providers.openai.calls[0]?.req.model).toBe('o-small');
    expect(r.decision.chosen).toEqual({ provider: 'openai', model: 'o-small' });
    expect(r.decision.candidates.map((c) => `${c.provider}/${c.model}:${c.expectedCostMicros}`)).toEqual([
      'openai/o-small:41', 'deepseek/d-chat:45', 'anthropic/a-small:128', 'openai/o-mid:410', 'openai/o-big:1025', 'anthropic/a-big:1530',
    ]);
    expect(r.decision.why).toMatch(/cheapest of 6 model\(s\) meeting tier ≥ economy/);
  });

  it('gives the same decision for the same inputs', async () => {
    const h = routerHarness();
    const a = await h.router.route(h.call({ needs: { tier: 'balanced' }, providerOrder: ['anthropic'] }));
    const b = await h.router.route(h.call({ needs: { tier: 'balanced' }, providerOrder: ['anthropic'] }));
    expect(b.decision).toEqual(a.decision);
  });

  it('requires vision when a message carries an image', async () => {
    const h = routerHarness();
    const image = { type: 'image' as const, mediaType: 'image/png', base64: 'iVBORw0KGgo=' };
    const r = await h.router.route(h.call({ request: { messages: [{ role: 'user', content: [image] }], maxTokens: 100 } }));
    expect(r.decision.candidates.some((c) => c.provider === 'deepseek')).toBe(false);
  });

  it('a pinned model is the only one tried, with no failover', async () => {
    const h = routerHarness({ scripts: { openai: [{ error: new ProviderError('openai', 'server', 'boom', { status: 500 }) }] } });
    const ok = routerHarness();
    const r = await ok.router.route(ok.call({ pinnedModel: 'openai/o-big' }));
    expect(r).toMatchObject({ model: 'o-big', decision: { why: 'pinned model openai/o-big' } });
    await expect(h.router.route(h.call({ pinnedModel: 'openai/o-big' }))).rejects.toThrow(AllProvidersFailed);
    expect(h.providers.deepseek.calls).toHaveLength(0);
  });

  it('refuses when no model fits, before any provider call', async () => {
    const h = routerHarness();
    await expect(h.router.route(h.call({ credentials: [] }))).rejects.toThrow(NoModelAvailable);
    expect(h.usage.events).toEqual([]);
  });
});

describe('router: usage events', () => {
  it('records every attempt, with the real cost and the baseline cost of the same usage', async () => {
    const h = routerHarness({ scripts: { openai: [{ error: new ProviderError('openai', 'rate_limited', 'slow down', { status: 429 }) }], deepseek: [{ usage: usageOf(1000, 500) }] } });
    const r = await h.router.route(h.call({ runId: 'run-1', stepId: 'step-1', workflowId: 'wf-1', baselineModel: 'anthropic/a-big' }));
    expect(r.costMicros).toBe(490); // 1000 × 0.28 + 500 × 0.42
    expect(h.usage.events).toEqual([
      expect.objectContaining({ provider: 'openai', model: 'o-small', credentialId: 'openai-key', outcome: 'rate_limited', costMicros: 0, baselineCostMicros: 0, runId: 'run-1' }),
      {
        ownerId: 'owner-1', runId: 'run-1', stepId: 'step-1', workflowId: 'wf-1', credentialId: 'deepseek-key', provider: 'deepseek', model: 'd-chat',
        usage: usageOf(1000, 500), costMicros: 490, baselineCostMicros: 10_500, baselineModel: 'anthropic/a-big', latencyMs: 0, outcome: 'ok',
      },
    ]);
    expect(r.attempts.map((a) => [a.provider, a.outcome, a.status])).toEqual([['openai', 'rate_limited', 429], ['deepseek', 'ok', undefined]]);
  });

  it('without a baseline the event says so instead of guessing', async () => {
    const h = routerHarness();
    await h.router.route(h.call({ baselineModel: 'openai/not-in-table' }));
    expect(h.usage.events[0]).toMatchObject({ baselineCostMicros: null, baselineModel: null });
  });
});

describe('router: budget', () => {
  it('reserves the worst case, then settles the real cost', async () => {
    const h = routerHarness({ budgets: { 'owner-1': 1_000 } });
    await h.router.route(h.call());
    expect([...h.budget.ledger.values()]).toEqual([{ spent: 3, reserved: 0 }]);
    expect(await h.budget.remaining('owner-1')).toBe(997);
  });

  it('releases the reservation of a failed attempt', async () => {
    const h = routerHarness({ budgets: { 'owner-1': 1_000 }, scripts: { openai: [{ error: new ProviderError('openai', 'server', 'x') }] } });
    await h.router.route(h.call());
    expect([...h.budget.ledger.values()]).toEqual([{ spent: 5, reserved: 0 }]); // deepseek: 10 in / 5 out = 4.9 → 5
  });

  it('throws BudgetExceeded, naming need and rest, and reaches no provider', async () => {
    const h = routerHarness({ budgets: { 'owner-1': 40 } });
    const err = await h.router.route(h.call()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceeded);
    expect(err).toMatchObject({ neededMicros: 41, remainingMicros: 40, status: 402 });
    expect((err as Error).message).toBe('AI budget exceeded: this call may cost up to $0.000041 but $0.000040 is left this month');
    expect(Object.values(h.providers).every((p) => p.calls.length === 0)).toBe(true);
    expect(h.usage.events).toEqual([]);
  });

  it('during failover, a candidate whose worst case no longer fits is skipped as over budget', async () => {
    // Worst cases: o-small 41, d-chat 45, a-small 128; the budget is 44.
    const h = routerHarness({ budgets: { 'owner-1': 44 }, scripts: { openai: [{ error: new ProviderError('openai', 'timeout', 't') }] } });
    const err = await h.router.route(h.call()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllProvidersFailed);
    expect((err as Error).message).toMatch(/openai\/o-small: timeout.*deepseek: over budget/);
    expect(h.providers.deepseek.calls).toHaveLength(0);
  });
});
