// The indexed selection (Number prices, packed insertion sort, comparator fallback) against the
// plain one it replaced: filter the whole catalog, price with BigInt, sort with the comparator.
import { describe, expect, it } from 'vitest';
import { catalogFrom, loadCatalog, tiers, type Catalog, type CatalogModel } from '../catalog/catalog.ts';
import { providerIds, type ProviderId } from '../types.ts';
import { expectedCostMicros, worstCaseCostMicros } from './cost.ts';
import type { Needs } from './router-types.ts';
import { rankCandidates, selectCandidates, unfitReason, type SelectInput } from './select-candidates.ts';
import { testEntries } from './test-stubs.ts';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function reference(input: SelectInput): string[] {
  const { catalog, needs, providers, promptTokens, maxTokens } = input;
  const pool = catalog.models.filter((m) => providers.has(m.provider) && unfitReason(m, needs, promptTokens, maxTokens, true) === null);
  if (pool.length === 0) return ['none'];
  const order = input.providerOrder ?? [];
  const rank = (p: ProviderId) => (order.indexOf(p) === -1 ? order.length : order.indexOf(p));
  return pool
    .map((model) => ({ model, expected: expectedCostMicros(model, promptTokens, maxTokens), worst: worstCaseCostMicros(model, promptTokens, maxTokens) }))
    .sort((a, b) => a.expected - b.expected || rank(a.model.provider) - rank(b.model.provider) || cmp(a.model.provider, b.model.provider) || cmp(a.model.model, b.model.model))
    .map((c) => `${c.model.ref}:${c.expected}:${c.worst}`);
}

function actual(input: SelectInput): string[] {
  try {
    return selectCandidates(input).map((c) => `${c.model.ref}:${c.expectedCostMicros}:${c.worstCaseCostMicros}`);
  } catch (err) {
    if (err instanceof Error && /meets/.test(err.message)) return ['none'];
    throw err;
  }
}

// A fixed-seed generator: the same cases on every run.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const promptSizes = [0, 1, 7, 120, 999, 4_000, 50_000, 190_000, 900_000];
const outputSizes = [0, 1, 100, 1_000, 4_096, 8_192, 32_000, 100_000];

function cases(catalog: Catalog, seed: number, count: number): SelectInput[] {
  const rnd = random(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  return Array.from({ length: count }, () => {
    const providers = new Set(providerIds.filter(() => rnd() < 0.6));
    if (providers.size === 0) providers.add(pick(providerIds));
    const needs: Needs = { tier: rnd() < 0.3 ? undefined : pick(tiers), json: rnd() < 0.4, tools: rnd() < 0.3, vision: rnd() < 0.2 };
    const providerOrder = rnd() < 0.5 ? undefined : Array.from({ length: Math.floor(rnd() * 4) }, () => pick(providerIds));
    const promptTokens = rnd() < 0.5 ? pick(promptSizes) : Math.floor(rnd() * 300_000);
    const maxTokens = rnd() < 0.5 ? pick(outputSizes) : Math.floor(rnd() * 70_000);
    return { catalog, needs, providers, promptTokens, maxTokens, providerOrder };
  });
}

const pinned = loadCatalog();
const every = (pick: (m: CatalogModel, i: number) => boolean) => pinned.models.filter(pick).map((m) => m.ref);

const catalogs: [string, Catalog][] = [
  ['the pinned table', pinned],
  // Equal prices across providers, so the owner order, provider and model id decide.
  ['many exact ties', loadCatalog(every((_, i) => i % 3 === 0).map((ref) => ({ ref, input: 1_000_000, output: 2_000_000 })))],
  // Too dear for Number arithmetic (BigInt pricing) and for the packed sort (comparator fallback).
  ['absurd override prices', loadCatalog(every((_, i) => i % 17 === 0).map((ref) => ({ ref, input: 2 ** 52, output: 2 ** 40, tier: 'premium' as const })))],
  ['duplicate entries', catalogFrom([...testEntries, ...testEntries.slice(0, 4)])],
];

describe('selectCandidates matches the plain filter-price-sort it replaced', () => {
  it.each(catalogs)('on %s', (_name, catalog) => {
    let routable = 0;
    for (const input of cases(catalog, 7, 400)) {
      const expected = reference(input);
      expect(actual(input)).toEqual(expected);
      if (expected[0] !== 'none') routable++;
    }
    expect(routable).toBeGreaterThan(200);
  });

  it.each([
    [0, 0],
    [0, 5],
    [5, 0],
    [1, 40],
    [40, 1],
    [3_000, 3_000],
    [700_000, 1],
  ])('gives the same order whichever pre-sorted walk the mix picks: %i prompt, %i output tokens', (promptTokens, maxTokens) => {
    const input = { catalog: pinned, needs: {}, providers: new Set(providerIds), promptTokens, maxTokens };
    expect(actual(input)).toEqual(reference(input));
  });

  it('prices a pinned model as the BigInt functions do', () => {
    for (const m of pinned.models) {
      const input = { catalog: pinned, needs: {}, providers: new Set(providerIds), promptTokens: 1_234, maxTokens: Math.min(m.maxOutput, 1_001), pinnedModel: m.ref };
      const [only] = selectCandidates(input);
      expect(only).toEqual({ model: m, expectedCostMicros: expectedCostMicros(m, 1_234, input.maxTokens), worstCaseCostMicros: worstCaseCostMicros(m, 1_234, input.maxTokens) });
    }
  });

  it('rejects invalid token counts as before, after the same eligibility checks', () => {
    const base = { catalog: pinned, needs: {}, providers: new Set<ProviderId>(['openai']) };
    expect(() => rankCandidates({ ...base, promptTokens: 10, maxTokens: 1.5 })).toThrow('maxOutputTokens must be a non-negative integer, got 1.5');
    expect(() => rankCandidates({ ...base, promptTokens: -3, maxTokens: 10 })).toThrow('promptTokens must be a non-negative integer, got -3');
    expect(() => rankCandidates({ ...base, promptTokens: 10, maxTokens: 10_000_000 })).toThrow(/no model of openai meets/);
  });

  it('is unaffected by an earlier call on the same catalog', () => {
    const a = { catalog: pinned, needs: { tier: 'premium' as const }, providers: new Set<ProviderId>(['anthropic', 'gemini']), promptTokens: 500, maxTokens: 2_000 };
    const first = actual(a);
    actual({ catalog: pinned, needs: {}, providers: new Set(providerIds), promptTokens: 90_000, maxTokens: 10, providerOrder: ['gemini'] });
    expect(actual(a)).toEqual(first);
  });
});
