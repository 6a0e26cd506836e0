// The cost of one run of an AI node, estimated the way the router ranks candidates
// (engine/src/ai/router/select-candidates.ts): the prompt at the input rate plus maxTokens at
// the output rate, on the pinned model or on the cheapest model of the tier the owner holds a
// key for. An estimate for the editor; the run records what was really billed.
import type { CatalogModelInfo, ModelCatalog, Tier } from './inspector-queries.ts';

const NON_ASCII = /[^\x00-\x7f]/;

/** The router's token estimate (engine/src/ai/router/cost.ts): ~4 ASCII characters a token, any other code point one. */
export function estimateTokens(text: string): number {
  if (!NON_ASCII.test(text)) return Math.ceil(text.length / 4);
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4) + other;
}

// Role markers and separators per message, as the router counts them.
const MESSAGE_OVERHEAD = 4;
const DEFAULT_MAX_TOKENS = 1024;

export interface AiCostInput {
  prompt: string;
  system?: string;
  tier?: Tier;
  model?: string;
  maxTokens?: number;
  jsonSchema?: unknown;
}

export type AiCostEstimate =
  | { ok: true; mode: 'pinned' | 'tier'; tier: Tier; model: CatalogModelInfo; promptTokens: number; maxTokens: number; costMicros: number; anyProvider: boolean }
  | { ok: false; mode: 'pinned' | 'tier'; tier: Tier; reason: string };

export function promptTokens(input: AiCostInput): number {
  let n = MESSAGE_OVERHEAD + estimateTokens(input.prompt) + MESSAGE_OVERHEAD;
  if (input.system) n += estimateTokens(input.system) + MESSAGE_OVERHEAD;
  if (input.jsonSchema !== undefined) n += estimateTokens(JSON.stringify(input.jsonSchema));
  return n;
}

function expectedMicros(m: CatalogModelInfo, prompt: number, maxTokens: number): number {
  return Math.ceil((prompt * m.prices.input + maxTokens * m.prices.output) / 1_000_000);
}

function unfit(m: CatalogModelInfo, json: boolean, prompt: number, maxTokens: number): string | null {
  if (json && !m.supports.json) return 'it has no JSON output';
  if (maxTokens > m.maxOutput) return `it writes at most ${m.maxOutput} tokens`;
  if (prompt + maxTokens > m.maxInput) return `its context is ${m.maxInput} tokens`;
  return null;
}

/**
 * @param providers the AI providers the owner holds keys for; empty means "none yet", and the
 *   estimate then considers every provider (anyProvider: true).
 */
export function estimateAiCost(input: AiCostInput, catalog: ModelCatalog, providers: ReadonlySet<string>): AiCostEstimate {
  const tier = input.tier ?? catalog.defaultTier;
  const maxTokens = input.maxTokens ?? DEFAULT_MAX_TOKENS;
  const prompt = promptTokens(input);
  const json = input.jsonSchema !== undefined;
  const anyProvider = providers.size === 0;
  const usable = (m: CatalogModelInfo) => anyProvider || providers.has(m.provider);
  if (input.model) {
    const m = catalog.models.find((x) => x.ref === input.model);
    if (!m) return { ok: false, mode: 'pinned', tier, reason: `${input.model} is not in the price table` };
    if (!usable(m)) return { ok: false, mode: 'pinned', tier, reason: `you have no ${m.provider} key for ${m.ref}` };
    const why = unfit(m, json, prompt, maxTokens);
    if (why) return { ok: false, mode: 'pinned', tier, reason: `${m.ref} cannot serve this node: ${why}` };
    return { ok: true, mode: 'pinned', tier: m.tier, model: m, promptTokens: prompt, maxTokens, costMicros: expectedMicros(m, prompt, maxTokens), anyProvider };
  }
  const minTier = catalog.tiers.indexOf(tier);
  let best: { m: CatalogModelInfo; cost: number } | undefined;
  for (const m of catalog.models) {
    if (!usable(m) || catalog.tiers.indexOf(m.tier) < minTier || unfit(m, json, prompt, maxTokens)) continue;
    const cost = expectedMicros(m, prompt, maxTokens);
    if (!best || cost < best.cost) best = { m, cost };
  }
  if (!best) return { ok: false, mode: 'tier', tier, reason: `no model of tier ${tier} or above ${anyProvider ? 'fits' : 'among your keys fits'} this node` };
  return { ok: true, mode: 'tier', tier, model: best.m, promptTokens: prompt, maxTokens, costMicros: best.cost, anyProvider };
}

/** "$0.0031", "$0.00042", "$1.25": enough digits to tell small costs apart. */
export function formatUsd(micros: number): string {
  const usd = micros / 1_000_000;
  if (usd === 0) return '$0';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  return `$${usd.toPrecision(2).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}`;
}
