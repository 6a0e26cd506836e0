import { describe, expect, it } from 'vitest';
import { Invalid } from '../../errors.ts';
import { providerIds } from '../types.ts';
import { assignTier, tierThresholds } from './assign-tier.ts';
import { catalogFrom, loadCatalog, priceDate } from './catalog.ts';

describe('pinned catalog', () => {
  const catalog = loadCatalog();

  it('holds a small set of chat models of our five providers with integer prices', () => {
    expect(catalog.models.length).toBeGreaterThan(50);
    expect(catalog.models.length).toBeLessThan(400);
    expect(new Set(catalog.models.map((m) => m.provider))).toEqual(new Set(providerIds));
    for (const m of catalog.models) {
      for (const p of [m.prices.input, m.prices.output, m.prices.cacheRead ?? 0, m.prices.cacheWrite ?? 0, m.prices.reasoning ?? 0]) expect(Number.isSafeInteger(p)).toBe(true);
      expect(m.prices.input).toBeGreaterThan(0);
      expect(m.model).not.toMatch(/^ft:|audio|realtime|search|\//);
    }
    expect(new Set(catalog.models.map((m) => m.ref)).size).toBe(catalog.models.length);
    expect(priceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(catalog.priceDate).toBe(priceDate);
  });

  it.each([
    ['openai/gpt-4o-mini', 150_000, 600_000, 'economy'],
    ['openai/gpt-4o', 2_500_000, 10_000_000, 'premium'],
    ['anthropic/claude-haiku-4-5', 1_000_000, 5_000_000, 'balanced'],
    ['anthropic/claude-sonnet-4-5', 3_000_000, 15_000_000, 'premium'],
    ['deepseek/deepseek-chat', 280_000, 420_000, 'economy'],
    ['gemini/gemini-2.5-flash', 300_000, 2_500_000, 'economy'],
    ['gemini/gemini-2.5-pro', 1_250_000, 10_000_000, 'premium'],
    ['azure_openai/gpt-4o-mini', 165_000, 660_000, 'economy'],
  ])('%s costs %i / %i µ$ per M tokens and is %s', (ref, input, output, tier) => {
    const m = catalog.find(ref);
    expect(m).toMatchObject({ prices: { input, output }, tier });
  });

  it('leaves out models deprecated before the cut-off', () => {
    expect(catalog.find('anthropic/claude-3-7-sonnet-20250219')).toBeUndefined();
    expect(catalog.find('gemini/gemini-2.0-flash')).toBeUndefined();
  });
});

describe('tiers', () => {
  it.each([
    ['x', 999_999, 999_999, 'economy'],
    ['x', 1_000_000, 1_000_000, 'balanced'],
    ['x', 2_999_999, 2_999_999, 'balanced'],
    ['x', 3_000_000, 3_000_000, 'premium'],
    ['gpt-35-turbo-16k', 3_000_000, 4_000_000, 'economy'],
    ['gemini-3.5-flash', 1_500_000, 9_000_000, 'balanced'],
    ['claude-opus', 5_000_000, 25_000_000, 'premium'],
  ] as const)('%s at %i/%i is %s', (model, input, output, tier) => {
    expect(assignTier(model, input, output)).toBe(tier);
  });

  it('documents thresholds in micro-dollars per million blended tokens', () => {
    expect(tierThresholds).toEqual({ balancedFrom: 1_000_000, premiumFrom: 3_000_000 });
  });
});

describe('owner overrides', () => {
  const entry = { provider: 'openai' as const, model: 'm', input: 100_000, output: 400_000, cacheRead: null, cacheWrite: null, reasoning: null, maxInput: 1000, maxOutput: 100, supports: { json: true, tools: true, vision: false } };

  it('replace prices and re-derive the tier', () => {
    const c = catalogFrom([entry], [{ ref: 'openai/m', input: 4_000_000, output: 8_000_000, cacheRead: 1 }]);
    expect(c.find('openai/m')).toMatchObject({ tier: 'premium', prices: { input: 4_000_000, output: 8_000_000, cacheRead: 1, cacheWrite: null } });
  });

  it('can set the tier outright', () => {
    expect(catalogFrom([entry], [{ ref: 'openai/m', tier: 'premium' }]).find('openai/m')?.tier).toBe('premium');
  });

  it.each([
    [{ ref: 'openai/unknown', input: 1 }],
    [{ ref: 'openai/m', input: 1.5 }],
    [{ ref: 'openai/m', output: -1 }],
  ])('rejects %j', (o) => {
    expect(() => catalogFrom([entry], [o])).toThrow(Invalid);
  });
});
