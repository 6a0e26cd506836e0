// What selectCandidates needs from a catalog on every call, worked out once per catalog: tier
// rank, capability bits, Number prices, the static tie-break order, and the models pre-sorted
// for a range of prompt/output mixes so that a call's cost order is nearly there already.
import { tiers, type Catalog, type CatalogModel } from '../catalog/catalog.ts';

export const CAP_JSON = 1;
export const CAP_TOOLS = 2;
export const CAP_VISION = 4;

export interface IndexedModel {
  readonly model: CatalogModel;
  /** Position in the catalog: the slot of this model in the per-call scratch arrays. */
  readonly slot: number;
  /** Position in (provider, model id, catalog position) code-point order: the last tie-breaks as one number. */
  readonly ord: number;
  /** Index of the model's provider in CatalogIndex.providerSlots. */
  readonly providerSlot: number;
  readonly tierRank: number;
  readonly caps: number;
  readonly maxInput: number;
  readonly maxOutput: number;
  readonly input: number;
  readonly output: number;
  /** Dearest input / output rate, as worstCaseCostMicros prices them. */
  readonly worstIn: number;
  readonly worstOut: number;
  /**
   * True when Number arithmetic prices this model exactly for any call it is eligible for.
   * Eligible means promptTokens + maxTokens ≤ maxInput (both non-negative integers), so every
   * product and sum in the cost is ≤ maxInput × max(worstIn, worstOut); when that is at most
   * 2^53 − 1 every intermediate is an integer Number represents exactly. The pinned table peaks
   * at 1,050,000 tokens × 150,000,000 µ$/Mtok = 5.25e13, 170× below 2^53 ≈ 9.0e15; only an
   * override with an absurd price (or a non-integer one in a hand-built table) fails the test,
   * and that model is priced with BigInt as before.
   */
  readonly exact: boolean;
}

export interface CatalogIndex {
  readonly models: readonly CatalogModel[];
  readonly byModel: ReadonlyMap<CatalogModel, IndexedModel>;
  readonly byOrd: readonly IndexedModel[];
  readonly providerSlots: ReadonlyMap<string, number>;
  /** Every model, sorted by input × w + output for each w of MIXES (the last: by input). */
  readonly presorted: readonly (readonly IndexedModel[])[];
  /** Scratch, reused by every (synchronous) selection on this catalog. */
  readonly expected: Float64Array;
  readonly rank: Int32Array;
  readonly providerRank: Int32Array;
  readonly keys: Float64Array;
  readonly ords: Int32Array;
  readonly pool: IndexedModel[];
  /** Expected cost, then the owner's provider rank (both from the scratch), then `ord`. */
  readonly compare: (a: IndexedModel, b: IndexedModel) => number;
}

/** Prompt tokens per output token that the pre-sorted orders are made for: 0, 2^-5 … 2^5, ∞. */
const MIXES = [0, ...Array.from({ length: 11 }, (_, i) => 2 ** (i - 5)), Infinity];

/** The pre-sorted order nearest (in log scale) to `promptTokens / maxTokens`. Only speed depends on the pick. */
export function presortedFor(index: CatalogIndex, promptTokens: number, maxTokens: number): readonly IndexedModel[] {
  const mix = promptTokens / maxTokens;
  const step = mix > 0 ? Math.round(Math.log2(mix)) : -Infinity;
  const i = step < -5 ? 0 : step > 5 ? MIXES.length - 1 : step + 6;
  return index.presorted[i] ?? index.byOrd;
}

// Code-point order, not locale order, so the result is the same on every machine.
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const whole = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

export function indexModel(model: CatalogModel, slot: number, ord: number, providerSlot: number): IndexedModel {
  const p = model.prices;
  const worstIn = Math.max(p.input, p.cacheWrite ?? 0, p.cacheRead ?? 0);
  const worstOut = Math.max(p.output, p.reasoning ?? 0);
  const optional = [p.cacheRead, p.cacheWrite, p.reasoning];
  const exact = whole(p.input) && whole(p.output) && optional.every((n) => whole(n ?? 0)) && whole(model.maxInput) && model.maxInput * Math.max(worstIn, worstOut) <= Number.MAX_SAFE_INTEGER;
  const caps = (model.supports.json ? CAP_JSON : 0) | (model.supports.tools ? CAP_TOOLS : 0) | (model.supports.vision ? CAP_VISION : 0);
  const tierRank = tiers.indexOf(model.tier);
  return { model, slot, ord, providerSlot, tierRank, caps, maxInput: model.maxInput, maxOutput: model.maxOutput, input: p.input, output: p.output, worstIn, worstOut, exact };
}

function build(catalog: Catalog): CatalogIndex {
  const models = catalog.models;
  // A stable sort: duplicates of one ref keep catalog order, as the per-call sort used to.
  const byName = models.map((m, slot) => ({ m, slot })).sort((a, b) => cmp(a.m.provider, b.m.provider) || cmp(a.m.model, b.m.model) || a.slot - b.slot);
  const ords = new Array<number>(models.length);
  byName.forEach((x, ord) => (ords[x.slot] = ord));
  const providerSlots = new Map<string, number>();
  for (const m of models) if (!providerSlots.has(m.provider)) providerSlots.set(m.provider, providerSlots.size);
  const indexed = models.map((m, slot) => indexModel(m, slot, ords[slot] ?? slot, providerSlots.get(m.provider) ?? 0));
  const byOrd = new Array<IndexedModel>(models.length);
  for (const im of indexed) byOrd[im.ord] = im;
  const presorted = MIXES.map((w) =>
    [...indexed].sort((a, b) => (w === Infinity ? a.input - b.input || a.output - b.output : a.input * w + a.output - (b.input * w + b.output)) || a.ord - b.ord),
  );
  const expected = new Float64Array(models.length);
  const rank = new Int32Array(models.length);
  return {
    models,
    byModel: new Map(indexed.map((im) => [im.model, im])),
    byOrd,
    providerSlots,
    presorted,
    expected,
    rank,
    providerRank: new Int32Array(providerSlots.size),
    keys: new Float64Array(models.length),
    ords: new Int32Array(models.length),
    pool: [],
    compare: (a, b) => (expected[a.slot] ?? 0) - (expected[b.slot] ?? 0) || (rank[a.slot] ?? 0) - (rank[b.slot] ?? 0) || a.ord - b.ord,
  };
}

const cache = new WeakMap<Catalog, CatalogIndex>();

/** The index of `catalog`, built on first use. A catalog is immutable once built (loadCatalog freezes it). */
export function catalogIndex(catalog: Catalog): CatalogIndex {
  let index = cache.get(catalog);
  // A hand-made Catalog may swap its model list; the pinned one never does.
  if (!index || index.models !== catalog.models) {
    index = build(catalog);
    cache.set(catalog, index);
  }
  return index;
}
