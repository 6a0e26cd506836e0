import { describe, expect, it } from 'vitest';
import { catalogFrom } from '../catalog/catalog.ts';
import type { ProviderId } from '../types.ts';
import { NoModelAvailable } from './router-errors.ts';
import type { Needs } from './router-types.ts';
import { selectCandidates, type SelectInput } from './select-candidates.ts';
import { testCatalog, testEntries } from './test-stubs.ts';

const everyone = new Set<ProviderId>(['openai', 'anthropic', 'deepseek', 'gemini']);
const refs = (input: Partial<SelectInput>) =>
  selectCandidates({ catalog: testCatalog(), needs: {}, providers: everyone, promptTokens: 1000, maxTokens: 1000, ...input }).map((c) => c.model.ref);

describe('selectCandidates', () => {
  it.each<[string, Partial<SelectInput>, string[]]>([
    ['cheapest first; equal cost falls back to provider id', {}, ['gemini/g-small', 'openai/o-small', 'deepseek/d-chat', 'anthropic/a-small', 'openai/o-mid', 'gemini/g-pro', 'openai/o-big', 'anthropic/a-big']],
    ['the owner provider order breaks a tie', { providerOrder: ['openai', 'gemini'] }, ['openai/o-small', 'gemini/g-small', 'deepseek/d-chat', 'anthropic/a-small', 'openai/o-mid', 'gemini/g-pro', 'openai/o-big', 'anthropic/a-big']],
    ['provider order never beats price', { providerOrder: ['anthropic'] }, ['gemini/g-small', 'openai/o-small', 'deepseek/d-chat', 'anthropic/a-small', 'openai/o-mid', 'gemini/g-pro', 'openai/o-big', 'anthropic/a-big']],
    ['tier balanced = balanced or premium', { needs: { tier: 'balanced' } }, ['openai/o-mid', 'gemini/g-pro', 'openai/o-big', 'anthropic/a-big']],
    ['tier premium = premium only', { needs: { tier: 'premium' } }, ['gemini/g-pro', 'openai/o-big', 'anthropic/a-big']],
    ['json drops models without structured output', { needs: { json: true, tier: 'economy' } }, ['gemini/g-small', 'openai/o-small', 'deepseek/d-chat', 'openai/o-mid', 'gemini/g-pro', 'openai/o-big', 'anthropic/a-big']],
    ['vision drops text-only models', { needs: { vision: true, tier: 'premium' } as Needs, providers: new Set<ProviderId>(['deepseek', 'anthropic']) }, ['anthropic/a-big']],
    ['only providers the owner has keys for', { providers: new Set<ProviderId>(['anthropic']) }, ['anthropic/a-small', 'anthropic/a-big']],
    ['context must hold prompt + max output', { promptTokens: 150_000 }, ['gemini/g-small', 'anthropic/a-small', 'openai/o-mid', 'gemini/g-pro', 'anthropic/a-big']],
    ['max output must fit the model', { maxTokens: 20_000 }, ['gemini/g-small', 'openai/o-mid', 'gemini/g-pro', 'anthropic/a-big']],
    ['a pinned model ignores the tier', { pinnedModel: 'openai/o-small', needs: { tier: 'premium' } }, ['openai/o-small']],
  ])('%s', (_name, input, expected) => {
    expect(refs(input)).toEqual(expected);
  });

  it('is deterministic whatever the catalog order', () => {
    const shuffled = catalogFrom([...testEntries].reverse());
    const a = refs({ providerOrder: ['deepseek'] });
    const b = selectCandidates({ catalog: shuffled, needs: {}, providers: everyone, promptTokens: 1000, maxTokens: 1000, providerOrder: ['deepseek'] }).map((c) => c.model.ref);
    expect(b).toEqual(a);
  });

  it('gives expected and worst-case cost per candidate', () => {
    const [first] = selectCandidates({ catalog: testCatalog(), needs: { tier: 'premium' }, providers: everyone, promptTokens: 1000, maxTokens: 100 });
    expect(first).toMatchObject({ expectedCostMicros: 2250, worstCaseCostMicros: 2450 });
  });

  it.each<[string, Partial<SelectInput>, RegExp]>([
    ['no keys', { providers: new Set() }, /no usable AI key/],
    ['nothing meets the needs', { needs: { tier: 'premium', json: true }, providers: new Set<ProviderId>(['deepseek']) }, /no model of deepseek meets tier ≥ premium/],
    ['unknown pinned model', { pinnedModel: 'openai/nope' }, /not in the price table/],
    ['pinned without a key', { pinnedModel: 'gemini/g-pro', providers: new Set<ProviderId>(['openai']) }, /no usable key for gemini/],
    ['pinned without the capability', { pinnedModel: 'anthropic/a-small', needs: { json: true } }, /a-small: no JSON output/],
  ])('refuses: %s', (_name, input, message) => {
    expect(() => refs(input)).toThrow(NoModelAvailable);
    expect(() => refs(input)).toThrow(message);
  });
});
