// The pinned price table (prices.json, built by build-catalog.ts from LiteLLM's MIT data) as
// router-ready models, with the owner's price overrides applied on top.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Invalid } from '../../errors.ts';
import { providerIds, type ProviderId } from '../types.ts';
import { assignTier } from './assign-tier.ts';

/** Date of the price snapshot; shown to users next to every cost. */
export const priceDate = '2026-07-24';

export const tiers = ['economy', 'balanced', 'premium'] as const;
export type Tier = (typeof tiers)[number];

/**
 * Prices in micro-dollars per MILLION tokens, integers, so that
 * cost in micro-dollars = ⌈Σ tokens × price / 10^6⌉ is exact integer arithmetic.
 * A null cache/reasoning price means the provider bills those tokens at the plain rate.
 */
export interface Prices {
  input: number;
  output: number;
  cacheRead: number | null;
  cacheWrite: number | null;
  reasoning: number | null;
}

export interface CatalogModel {
  provider: ProviderId;
  /** The provider's own model id (Azure: the deployment is expected to carry this name). */
  model: string;
  /** `${provider}/${model}` */
  ref: string;
  tier: Tier;
  prices: Prices;
  maxInput: number;
  maxOutput: number;
  supports: { json: boolean; tools: boolean; vision: boolean };
}

export interface Catalog {
  readonly models: readonly CatalogModel[];
  readonly priceDate: string;
  find(ref: string): CatalogModel | undefined;
}

const price = z.number().int().nonnegative();
const entrySchema = z.object({
  provider: z.enum(providerIds),
  model: z.string().min(1),
  input: price,
  output: price,
  cacheRead: price.nullable(),
  cacheWrite: price.nullable(),
  reasoning: price.nullable(),
  maxInput: z.number().int().positive(),
  maxOutput: z.number().int().positive(),
  supports: z.object({ json: z.boolean(), tools: z.boolean(), vision: z.boolean() }),
});
type Entry = z.infer<typeof entrySchema>;

/** An owner's correction to one model's prices (micro-dollars per million tokens) or tier. */
export const catalogOverrideSchema = z.object({
  ref: z.string().regex(/^[a-z_]+\/.+$/),
  input: price.optional(),
  output: price.optional(),
  cacheRead: price.nullable().optional(),
  cacheWrite: price.nullable().optional(),
  reasoning: price.nullable().optional(),
  tier: z.enum(tiers).optional(),
});
export type CatalogOverride = z.infer<typeof catalogOverrideSchema>;

let pinned: Entry[] | undefined;
function pinnedEntries(): Entry[] {
  pinned ??= z.array(entrySchema).parse(JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8')));
  return pinned;
}

function toModel(e: Entry, o: CatalogOverride | undefined): CatalogModel {
  const prices: Prices = {
    input: o?.input ?? e.input,
    output: o?.output ?? e.output,
    cacheRead: o?.cacheRead !== undefined ? o.cacheRead : e.cacheRead,
    cacheWrite: o?.cacheWrite !== undefined ? o.cacheWrite : e.cacheWrite,
    reasoning: o?.reasoning !== undefined ? o.reasoning : e.reasoning,
  };
  // Frozen: the router precomputes prices and flags once per catalog (router/catalog-index.ts).
  return Object.freeze({
    provider: e.provider,
    model: e.model,
    ref: `${e.provider}/${e.model}`,
    tier: o?.tier ?? assignTier(e.model, prices.input, prices.output),
    prices: Object.freeze(prices),
    maxInput: e.maxInput,
    maxOutput: e.maxOutput,
    supports: Object.freeze({ ...e.supports }),
  });
}

/** The pinned catalog with the owner's overrides applied; an override of an unknown model is Invalid. */
export function loadCatalog(overrides: readonly CatalogOverride[] = [], entries: readonly Entry[] = pinnedEntries()): Catalog {
  const byRef = new Map<string, CatalogOverride>();
  overrides.forEach((raw, i) => {
    const parsed = catalogOverrideSchema.safeParse(raw);
    if (!parsed.success) throw new Invalid('invalid price override', parsed.error.issues.map((x) => ({ path: [i, ...x.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: x.message })));
    byRef.set(parsed.data.ref, parsed.data);
  });
  const models = Object.freeze(entries.map((e) => toModel(e, byRef.get(`${e.provider}/${e.model}`))));
  const index = new Map(models.map((m) => [m.ref, m]));
  for (const ref of byRef.keys()) {
    if (!index.has(ref)) throw new Invalid(`price override for unknown model ${ref}`, [{ path: ['ref'], message: 'not in the catalog' }]);
  }
  return { models, priceDate, find: (ref) => index.get(ref) };
}

/** Builds a catalog from explicit entries (tests, or a table other than the pinned one). */
export function catalogFrom(entries: readonly Entry[], overrides: readonly CatalogOverride[] = []): Catalog {
  return loadCatalog(overrides, z.array(entrySchema).parse(entries));
}
export type CatalogEntry = Entry;
