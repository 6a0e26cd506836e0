// Which models may serve a call, cheapest first. Pure: the same inputs give the same order
// (the per-catalog scratch it sorts with is filled and read within one synchronous call).
import { tiers, type Catalog, type CatalogModel } from '../catalog/catalog.ts';
import type { ProviderId } from '../types.ts';
import { CAP_JSON, CAP_TOOLS, CAP_VISION, catalogIndex, indexModel, presortedFor, type CatalogIndex, type IndexedModel } from './catalog-index.ts';
import { ceilMillionths, checkCount, expectedCostMicros, worstCaseCostMicros } from './cost.ts';
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

export interface RankedCandidates {
  /** Parallel arrays, cheapest first: one object per candidate is left to the caller. */
  models: CatalogModel[];
  expected: number[];
  worst: number[];
}

// Number arithmetic is exact here: `im.exact` bounds maxInput × rate, and every candidate has
// promptTokens + maxTokens ≤ maxInput (see IndexedModel.exact).
function expectedOf(im: IndexedModel, promptTokens: number, maxTokens: number): number {
  return im.exact ? ceilMillionths(promptTokens * im.input + maxTokens * im.output) : expectedCostMicros(im.model, promptTokens, maxTokens);
}

function worstOf(im: IndexedModel, promptTokens: number, maxTokens: number): number {
  return im.exact ? ceilMillionths(promptTokens * im.worstIn + maxTokens * im.worstOut) : worstCaseCostMicros(im.model, promptTokens, maxTokens);
}

function rankOf(order: readonly ProviderId[], p: ProviderId): number {
  const i = order.indexOf(p);
  return i === -1 ? order.length : i;
}

/** selectCandidates without a Candidate object per model: what the router uses on every call. */
export function rankCandidates(input: SelectInput): RankedCandidates {
  const { catalog, needs, providers, promptTokens, maxTokens } = input;
  if (providers.size === 0) throw new NoModelAvailable('the owner has no usable AI key');
  const index = catalogIndex(catalog);
  if (input.pinnedModel) {
    const m = catalog.find(input.pinnedModel);
    if (!m) throw new NoModelAvailable(`pinned model ${input.pinnedModel} is not in the price table`);
    if (!providers.has(m.provider)) throw new NoModelAvailable(`no usable key for ${m.provider} (pinned model ${m.ref})`);
    const why = unfitReason(m, needs, promptTokens, maxTokens, false);
    if (why) throw new NoModelAvailable(`pinned model ${m.ref}: ${why}`);
    checkCount('promptTokens', promptTokens);
    checkCount('maxOutputTokens', maxTokens);
    const im = index.byModel.get(m) ?? indexModel(m, 0, 0, 0);
    return { models: [m], expected: [expectedOf(im, promptTokens, maxTokens)], worst: [worstOf(im, promptTokens, maxTokens)] };
  }

  const minTier = tiers.indexOf(needs.tier ?? 'economy');
  const caps = (needs.json ? CAP_JSON : 0) | (needs.tools ? CAP_TOOLS : 0) | (needs.vision ? CAP_VISION : 0);
  const order = input.providerOrder ?? [];
  const providerRank = index.providerRank.fill(-1);
  for (const provider of providers) {
    const slot = index.providerSlots.get(provider);
    if (slot !== undefined) providerRank[slot] = rankOf(order, provider);
  }
  const pool = index.pool;
  let n = 0;
  for (const im of presortedFor(index, promptTokens, maxTokens)) {
    const rank = providerRank[im.providerSlot] ?? -1;
    // The owner's providers first, then the same tests as unfitReason(…, true) === null.
    if (rank < 0 || im.tierRank < minTier || (im.caps & caps) !== caps || maxTokens > im.maxOutput || promptTokens + maxTokens > im.maxInput) continue;
    index.rank[im.slot] = rank;
    pool[n++] = im;
  }
  if (n === 0) throw new NoModelAvailable(`no model of ${[...providers].sort().join(', ')} meets ${describeNeeds(needs, promptTokens, maxTokens)}`);
  checkCount('promptTokens', promptTokens);
  checkCount('maxOutputTokens', maxTokens);
  let least = Infinity;
  let most = 0;
  for (let i = 0; i < n; i++) {
    const im = pool[i] as IndexedModel;
    const cost = expectedOf(im, promptTokens, maxTokens);
    index.expected[im.slot] = cost;
    if (cost < least) least = cost;
    if (cost > most) most = cost;
  }
  if (!packedSort(index, n, order.length + 1, least, most)) {
    const sorted = pool.slice(0, n).sort(index.compare);
    for (let i = 0; i < n; i++) pool[i] = sorted[i] as IndexedModel;
  }

  const ranked: RankedCandidates = { models: new Array<CatalogModel>(n), expected: new Array<number>(n), worst: new Array<number>(n) };
  for (let i = 0; i < n; i++) {
    const im = pool[i] as IndexedModel;
    ranked.models[i] = im.model;
    ranked.expected[i] = index.expected[im.slot] ?? 0;
    ranked.worst[i] = worstOf(im, promptTokens, maxTokens);
  }
  return ranked;
}

/**
 * Sorts the first `n` of the pool as the comparator would, on (key, ord) pairs of numbers: the
 * key expected × ranks + rank orders exactly as (expected, rank) while every key is a
 * non-negative integer ≤ 2^53 − 1. False (nothing done) when a key could exceed that (a call
 * costing ~$10^9, or an absurdly long provider order); the caller then sorts with the comparator.
 * Insertion sort, because the pool comes pre-sorted for a nearby prompt/output mix: few entries
 * move far, where a general sort would pay for ~n log n comparator calls.
 */
function packedSort(index: CatalogIndex, n: number, ranks: number, least: number, most: number): boolean {
  if (!(least >= 0 && most * ranks + ranks <= Number.MAX_SAFE_INTEGER)) return false;
  const { keys, ords, pool, expected, rank } = index;
  for (let i = 0; i < n; i++) {
    const im = pool[i] as IndexedModel;
    const key = (expected[im.slot] ?? 0) * ranks + (rank[im.slot] ?? 0);
    const ord = im.ord;
    let j = i - 1;
    for (; j >= 0; j--) {
      const k = keys[j] ?? 0;
      if (k < key || (k === key && (ords[j] ?? 0) < ord)) break;
      keys[j + 1] = k;
      ords[j + 1] = ords[j] ?? 0;
    }
    keys[j + 1] = key;
    ords[j + 1] = ord;
  }
  for (let i = 0; i < n; i++) pool[i] = index.byOrd[ords[i] ?? 0] as IndexedModel;
  return true;
}

/** Eligible models ordered by expected cost, then the owner's provider order, then provider and model id. */
export function selectCandidates(input: SelectInput): Candidate[] {
  const { models, expected, worst } = rankCandidates(input);
  return models.map((model, i) => ({ model, expectedCostMicros: expected[i] ?? 0, worstCaseCostMicros: worst[i] ?? 0 }));
}
