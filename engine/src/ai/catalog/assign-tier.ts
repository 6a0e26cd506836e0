// Capability class of a model, derived from its price: what a provider charges tracks the model
// class closely enough, and it needs no hand-kept list that goes stale with every release.
import type { Tier } from './catalog.ts';

/**
 * Blended price = (3 × input + 1 × output) / 4, per million tokens: prompts usually outweigh
 * answers about three to one. Thresholds (micro-dollars per million tokens):
 *   economy  < 1,000,000  (< $1.00 / M blended: gpt-4o-mini, gpt-5-mini, gemini-2.5-flash, deepseek)
 *   balanced < 3,000,000  (< $3.00 / M: claude-haiku-4-5, o4-mini, gpt-5.4-mini)
 *   premium  ≥ 3,000,000  (gpt-5, gpt-4.1, gemini-2.5-pro, claude sonnet/opus)
 */
export const tierThresholds = { balancedFrom: 1_000_000, premiumFrom: 3_000_000 } as const;

// Legacy gpt-3.5 variants are priced above their class (16k context surcharge).
const forceEconomy = /^(gpt-3\.5|gpt-35)/;
// Small-model families are never the premium class, whatever their list price.
const capAtBalanced = /(^|-)(mini|nano|flash|haiku|lite)(-|$)/;

export function blendedPrice(input: number, output: number): number {
  return (3 * input + output) / 4;
}

export function assignTier(model: string, input: number, output: number): Tier {
  if (forceEconomy.test(model)) return 'economy';
  const blended = blendedPrice(input, output);
  const byPrice: Tier = blended < tierThresholds.balancedFrom ? 'economy' : blended < tierThresholds.premiumFrom ? 'balanced' : 'premium';
  return byPrice === 'premium' && capAtBalanced.test(model) ? 'balanced' : byPrice;
}
