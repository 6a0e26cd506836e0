// The Number fast paths of cost.ts against BigInt and the code-point loop they stand in for.
import { describe, expect, it } from 'vitest';
import { catalogFrom, loadCatalog, type CatalogEntry } from '../catalog/catalog.ts';
import type { NormalizedUsage } from '../types.ts';
import { ceilMillionths, costMicros, estimateTokens } from './cost.ts';

const bigCeil = (n: bigint) => Number((n + 999_999n) / 1_000_000n);
const MAX = Number.MAX_SAFE_INTEGER;

function bigCost(m: CatalogEntry | ReturnType<typeof loadCatalog>['models'][number], u: NormalizedUsage): number {
  const p = 'prices' in m ? m.prices : m;
  const B = BigInt;
  return bigCeil(
    B(u.inputTokens) * B(p.input) + B(u.cacheReadTokens) * B(p.cacheRead ?? p.input) + B(u.cacheWriteTokens) * B(p.cacheWrite ?? p.input) +
      B(u.outputTokens) * B(p.output) + B(u.reasoningTokens) * B(p.reasoning ?? p.output),
  );
}

describe('ceilMillionths', () => {
  it.each([0, 1, 999_999, 1_000_000, 1_000_001, 123_456_789_012, MAX, MAX - (MAX % 1_000_000), MAX - (MAX % 1_000_000) + 1, MAX - 1, 2 ** 52 + 1, 9_007_199_253_000_000])('⌈%i / 10^6⌉ is exact', (n) => {
    expect(ceilMillionths(n)).toBe(bigCeil(BigInt(n)));
  });

  it('is exact on a spread of large integers near multiples of a million', () => {
    for (let k = 1; k < 2_000; k++) {
      const base = Math.floor(MAX / 1_000_000 / 2_000) * k * 1_000_000;
      for (const n of [base - 1, base, base + 1]) expect(ceilMillionths(n)).toBe(bigCeil(BigInt(n)));
    }
  });
});

describe('costMicros on Number and BigInt paths', () => {
  const u = (inputTokens: number, cacheReadTokens: number, cacheWriteTokens: number, outputTokens: number, reasoningTokens: number): NormalizedUsage => ({ inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, reasoningTokens });

  it.each([
    ['ordinary', u(1_234, 5_000, 300, 777, 12_345)],
    ['zero', u(0, 0, 0, 0, 0)],
    ['huge counts (BigInt path)', u(MAX, 3, 0, MAX - 1, 1)],
    ['just past the Number bound', u(2 ** 40, 2 ** 40, 0, 2 ** 40, 0)],
  ])('matches BigInt on every pinned model: %s', (_name, usage) => {
    for (const m of loadCatalog().models) expect(costMicros(m, usage)).toBe(bigCost(m, usage));
  });

  it('prices a free cache read at zero, not at the input rate', () => {
    const entry: CatalogEntry = { provider: 'openai', model: 'free-cache', input: 1_000_000, output: 2_000_000, cacheRead: 0, cacheWrite: null, reasoning: 0, maxInput: 1_000, maxOutput: 100, supports: { json: true, tools: true, vision: true } };
    const [m] = catalogFrom([entry]).models;
    if (!m) throw new Error('no model');
    expect(costMicros(m, u(0, 1_000_000, 0, 0, 1_000_000))).toBe(0);
    expect(costMicros(m, u(1, 0, 1, 0, 0))).toBe(2);
  });
});

// What estimateTokens counted before its ASCII shortcut: code points, via for…of.
function codePointEstimate(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4) + other;
}

describe('estimateTokens', () => {
  it.each([
    ['empty', ''],
    ['ASCII', 'Summarise this support email in three bullet points.'],
    ['accents', 'Résumé café naïve'],
    ['CJK', '请把这封邮件翻译成英文'],
    ['emoji pairs', 'ok 👍👍 done 🎉'],
    ['lone high surrogate at the end', 'abc\ud83d'],
    ['lone high surrogate before ASCII', '\ud83dabc'],
    ['lone low surrogate', 'x\udc4dy'],
    ['two high surrogates then a low', '\ud83d\ud83d\udc4d'],
    ['DEL and NUL are ASCII', '\u007f\u0000\u0080'],
  ])('counts code points as before: %s', (_name, text) => {
    expect(estimateTokens(text)).toBe(codePointEstimate(text));
  });
});
