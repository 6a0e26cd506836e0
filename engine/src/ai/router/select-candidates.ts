// Which models may serve a call, cheapest first. Pure: the same inputs give the same order.
import { tiers, type Catalog, type CatalogModel } from '../catalog/catalog.ts';
import type { ProviderId } from '../types.ts';
import { expectedCostMicros, worstCaseCostMicros } from './cost.ts';
import { NoModelAvailable } from './router-errors.ts';
import type { Needs } from './router-types.ts';

export interface Candidate {
  model: CatalogModel;
  expectedCostMicros: number;
  worstCaseCostMicros: number;
}

export interface SelectInput {
  catalog: Catalog;
  needs: Needs;
  /** Providers the owner holds a usable key for. */
  providers: ReadonlySet<ProviderId>;
  promptTokens: number;
  maxTokens: number;
  pinnedModel?: string | undefined;
  providerOrder?: readonly ProviderId[] | undefined;
}

/** Why a model cannot serve the call, or null if it can. */
export function unfitReason(m: CatalogModel, needs: Needs, promptTokens: number, maxTokens: number, checkTier: boolean): string | null {
  if (checkTier && tiers.indexOf(m.tier) < tiers.indexOf(needs.tier ?? 'economy')) return `below tier ${needs.tier}`;
  if (needs.json && !m.supports.json) return 'no JSON output';
  if (needs.tools && !m.supports.tools) return 'no tool calls';
  if (needs.vision && !m.supports.vision) return 'no image input';
  if (maxTokens > m.maxOutput) return `max output ${m.maxOutput} < ${maxTokens}`;
  if (promptTokens + maxTokens > m.maxInput) return `context ${m.maxInput} < ${promptTokens + maxTokens}`;
  return null;
}

function describeNeeds(needs: Needs, promptTokens: number, maxTokens: number): string {
  const parts = [`tier ≥ ${needs.tier ?? 'economy'}`, `context ≥ ${promptTokens + maxTokens}`];
  if (needs.json) parts.push('JSON output');
  if (needs.tools) parts.push('tools');
  if (needs.vision) parts.push('vision');
  return parts.join(', ');
}

/** Eligible models ordered by expected cost, then the owner's provider order, then provider and model id. */
export function selectCandidates(input: SelectInput): Candidate[] {
  const { catalog, needs, providers, promptTokens, maxTokens } = input;
  if (providers.size === 0) throw new NoModelAvailable('the owner has no usable AI key');
  let pool: CatalogModel[];
  if (input.pinnedModel) {
    const m = catalog.find(input.pinnedModel);
    if (!m) throw new NoModelAvailable(`pinned model ${input.pinnedModel} is not in the price table`);
    if (!providers.has(m.provider)) throw new NoModelAvailable(`no usable key for ${m.provider} (pinned model ${m.ref})`);
    const why = unfitReason(m, needs, promptTokens, maxTokens, false);
    if (why) throw new NoModelAvailable(`pinned model ${m.ref}: ${why}`);
    pool = [m];
  } else {
    pool = catalog.models.filter((m) => providers.has(m.provider) && unfitReason(m, needs, promptTokens, maxTokens, true) === null);
    if (pool.length === 0) throw new NoModelAvailable(`no model of ${[...providers].sort().join(', ')} meets ${describeNeeds(needs, promptTokens, maxTokens)}`);
  }
  const order = input.providerOrder ?? [];
  const rank = (p: ProviderId) => {
    const i = order.indexOf(p);
    return i === -1 ? order.length : i;
  };
  return pool
    .map((model) => ({
      model,
      expectedCostMicros: expectedCostMicros(model, promptTokens, maxTokens),
      worstCaseCostMicros: worstCaseCostMicros(model, promptTokens, maxTokens),
    }))
    .sort(
      (a, b) =>
        a.expectedCostMicros - b.expectedCostMicros ||
        rank(a.model.provider) - rank(b.model.provider) ||
        cmp(a.model.provider, b.model.provider) ||
        cmp(a.model.model, b.model.model),
    );
}

// Code-point order, not locale order, so the result is the same on every machine.
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
