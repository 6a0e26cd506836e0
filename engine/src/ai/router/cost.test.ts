import { describe, expect, it } from 'vitest';
import type { NormalizedUsage } from '../types.ts';
import { costMicros, estimatePromptTokens, estimateTokens, expectedCostMicros, IMAGE_TOKENS, worstCaseCostMicros } from './cost.ts';
import { testCatalog } from './test-stubs.ts';

const catalog = testCatalog();
const model = (ref: string) => {
  const m = catalog.find(ref);
  if (!m) throw new Error(ref);
  return m;
};
const u = (p: Partial<NormalizedUsage>): NormalizedUsage => ({ inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, ...p });

describe('costMicros', () => {
  it.each([
    ['openai/o-small', u({}), 0],
    ['openai/o-small', u({ inputTokens: 1000, outputTokens: 500 }), 300],
    ['openai/o-small', u({ inputTokens: 1 }), 1], // 0.1 µ$ rounds up
    ['openai/o-small', u({ inputTokens: 10 }), 1], // exactly 1.0
    ['openai/o-small', u({ inputTokens: 11 }), 2], // 1.1 → 2
    ['openai/o-small', u({ cacheReadTokens: 1000 }), 25], // own cache-read price
    ['openai/o-small', u({ cacheWriteTokens: 1000 }), 100], // no cache-write price: input rate
    ['anthropic/a-small', u({ cacheWriteTokens: 1000 }), 313], // 312.5 → 313
    ['openai/o-mid', u({ reasoningTokens: 1000 }), 4000], // no reasoning price: output rate
    ['gemini/g-pro', u({ reasoningTokens: 1000 }), 12_000], // reasoning price
    ['gemini/g-pro', u({ inputTokens: 2000, cacheReadTokens: 10_000, outputTokens: 300, reasoningTokens: 700 }), 15_150],
    // Rounded once per call, not per component: 0.25 + 0.03 + 0.3125 = 0.5925 → 1 (per-part rounding would give 3).
    ['anthropic/a-small', u({ inputTokens: 1, cacheReadTokens: 1, cacheWriteTokens: 1 }), 1],
    ['anthropic/a-big', u({ inputTokens: 10_000_000, outputTokens: 10_000_000 }), 180_000_000],
  ])('%s %j → %i µ$', (ref, usage, expected) => {
    expect(costMicros(model(ref), usage)).toBe(expected);
  });

  it.each([[u({ inputTokens: -1 })], [u({ outputTokens: 1.5 })], [u({ reasoningTokens: Number.NaN })]])('rejects %j', (usage) => {
    expect(() => costMicros(model('openai/o-small'), usage)).toThrow(RangeError);
  });
});

describe('token estimates', () => {
  it.each([
    ['', 0],
    ['abcd', 1],
    ['abcde', 2],
    ['日本語', 3],
    ['ab日', 2],
    ['😀', 1],
  ])('estimateTokens(%j) = %i', (text, n) => {
    expect(estimateTokens(text)).toBe(n);
  });

  it('counts system, messages, per-message overhead and images', () => {
    expect(estimatePromptTokens({ messages: [{ role: 'user', content: 'abcd' }] })).toBe(9);
    expect(estimatePromptTokens({ system: 'abcdefgh', messages: [{ role: 'user', content: 'abcd' }] })).toBe(15);
    const withImage = estimatePromptTokens({ messages: [{ role: 'user', content: [{ type: 'text', text: 'abcd' }, { type: 'image', mediaType: 'image/png', base64: 'x'.repeat(400) }] }] });
    expect(withImage).toBe(9 + IMAGE_TOKENS);
    expect(estimatePromptTokens({ messages: [], json: { schema: { type: 'object' } } })).toBe(4 + estimateTokens('{"type":"object"}'));
  });
});

describe('expected and worst-case cost', () => {
  it.each([
    ['openai/o-small', 1000, 500, 300, 300],
    ['anthropic/a-small', 1000, 100, 375, 438], // worst: cache-write rate 312,500 > input 250,000
    ['gemini/g-pro', 1000, 100, 2250, 2450], // worst: reasoning rate 12M > output 10M
    ['openai/o-small', 1, 1, 1, 1],
  ])('%s with %i prompt / %i max output: expected %i, worst %i', (ref, prompt, maxOut, expected, worst) => {
    expect(expectedCostMicros(model(ref), prompt, maxOut)).toBe(expected);
    expect(worstCaseCostMicros(model(ref), prompt, maxOut)).toBe(worst);
  });
});
