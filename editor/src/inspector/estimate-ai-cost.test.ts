import { describe, expect, it } from 'vitest';
import { estimateAiCost, estimateTokens, formatUsd } from './estimate-ai-cost.ts';
import type { CatalogModelInfo, ModelCatalog } from './inspector-queries.ts';

function model(ref: string, tier: CatalogModelInfo['tier'], input: number, output: number, extra: Partial<CatalogModelInfo> = {}): CatalogModelInfo {
  const [provider, name] = ref.split('/') as [string, string];
  return { ref, provider, model: name, tier, prices: { input, output }, maxInput: 128_000, maxOutput: 16_000, supports: { json: true, tools: true, vision: false }, ...extra };
}

const catalog: ModelCatalog = {
  priceDate: '2026-07-24',
  tiers: ['economy', 'balanced', 'premium'],
  providers: ['openai', 'anthropic'],
  defaultTier: 'balanced',
  models: [
    model('openai/mini', 'economy', 150_000, 600_000),
    model('openai/mid', 'balanced', 1_000_000, 4_000_000),
    model('anthropic/mid', 'balanced', 800_000, 4_000_000, { supports: { json: false, tools: true, vision: false } }),
    model('openai/big', 'premium', 5_000_000, 20_000_000),
  ],
};
const both = new Set(['openai', 'anthropic']);

describe('AI cost estimate', () => {
  it('counts tokens as the router does', () => {
    expect(estimateTokens('abcd'.repeat(10))).toBe(10);
    expect(estimateTokens('héé')).toBe(3);
  });

  it("prices the cheapest model of the owner's default tier: prompt at input rate, maxTokens at output rate", () => {
    const e = estimateAiCost({ prompt: 'x'.repeat(400), maxTokens: 1000 }, catalog, both);
    // 100 prompt tokens + 8 of message overhead.
    expect(e).toMatchObject({ ok: true, mode: 'tier', tier: 'balanced', promptTokens: 108 });
    expect(e.ok && e.model.ref).toBe('anthropic/mid');
    expect(e.ok && e.costMicros).toBe(Math.ceil((108 * 800_000 + 1000 * 4_000_000) / 1_000_000));
  });

  it('respects the node tier, JSON output and the keys the owner holds', () => {
    expect(estimateAiCost({ prompt: 'x', tier: 'economy' }, catalog, both)).toMatchObject({ ok: true, model: { ref: 'openai/mini' } });
    expect(estimateAiCost({ prompt: 'x', jsonSchema: { type: 'object' } }, catalog, both)).toMatchObject({ ok: true, model: { ref: 'openai/mid' } });
    expect(estimateAiCost({ prompt: 'x', tier: 'premium' }, catalog, new Set(['anthropic']))).toMatchObject({ ok: false, reason: expect.stringMatching(/premium/) });
    expect(estimateAiCost({ prompt: 'x' }, catalog, new Set())).toMatchObject({ ok: true, anyProvider: true });
  });

  it('prices a pinned model, or says why it cannot', () => {
    expect(estimateAiCost({ prompt: 'x', model: 'openai/big', maxTokens: 100 }, catalog, both)).toMatchObject({ ok: true, mode: 'pinned', tier: 'premium', costMicros: Math.ceil((9 * 5_000_000 + 100 * 20_000_000) / 1e6) });
    expect(estimateAiCost({ prompt: 'x', model: 'openai/nope' }, catalog, both)).toMatchObject({ ok: false, reason: 'openai/nope is not in the price table' });
    expect(estimateAiCost({ prompt: 'x', model: 'openai/big', maxTokens: 20_000 }, catalog, both)).toMatchObject({ ok: false, reason: expect.stringMatching(/at most 16000 tokens/) });
  });

  it.each([
    [0, '$0'],
    [420, '$0.00042'],
    [3_100, '$0.0031'],
    [1_250_000, '$1.25'],
  ])('%d micro-dollars read %s', (micros, text) => {
    expect(formatUsd(micros)).toBe(text);
  });
});
