// Rebuilds prices.json from LiteLLM's model_prices_and_context_window.json (MIT, see SOURCE.md).
// Run by hand when the price table is refreshed, then update SOURCE.md and `priceDate`:
//   node engine/src/ai/catalog/build-catalog.ts <path/to/model_prices_and_context_window.json>
// The source file itself is not kept in the repo; only the extract below is.
import { readFileSync, writeFileSync } from 'node:fs';
import type { ProviderId } from '../types.ts';

const providerMap: Record<string, ProviderId> = {
  openai: 'openai',
  anthropic: 'anthropic',
  deepseek: 'deepseek',
  gemini: 'gemini',
  azure: 'azure_openai',
};
const prefixes: Record<string, string> = { azure: 'azure/', gemini: 'gemini/', deepseek: 'deepseek/', anthropic: 'anthropic/', openai: 'openai/' };

/** Models that are retired before this date are left out. */
const KEEP_IF_DEPRECATED_AFTER = '2026-11-27';
// Variants our `complete()` shape cannot drive (audio, realtime, search, computer use, fine-tunes).
const skipPattern = /(^ft:|audio|realtime|search|-tts|-live|computer-use|robotics|lyria|container|^gemini-gemma)/;

export interface CatalogEntry {
  provider: ProviderId;
  model: string;
  /** Micro-dollars per million tokens (= USD per token × 10^12), integers. */
  input: number;
  output: number;
  cacheRead: number | null;
  cacheWrite: number | null;
  reasoning: number | null;
  maxInput: number;
  maxOutput: number;
  supports: { json: boolean; tools: boolean; vision: boolean };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** USD per token → integer micro-dollars per million tokens; refuses anything inexact. */
export function perMillionMicros(usdPerToken: number | undefined): number | null {
  if (usdPerToken === undefined) return null;
  const scaled = usdPerToken * 1e12;
  const rounded = Math.round(scaled);
  if (Math.abs(scaled - rounded) > 1e-6 * Math.max(1, rounded)) throw new Error(`price ${usdPerToken} is not a whole micro-dollar per million tokens`);
  return rounded;
}

export function extractCatalog(source: Record<string, unknown>): CatalogEntry[] {
  const byRef = new Map<string, { entry: CatalogEntry; prefixed: boolean }>();
  for (const [key, raw] of Object.entries(source)) {
    if (typeof raw !== 'object' || raw === null) continue;
    const v = raw as Record<string, unknown>;
    const litellmProvider = typeof v.litellm_provider === 'string' ? v.litellm_provider : '';
    const provider = providerMap[litellmProvider];
    if (!provider || v.mode !== 'chat') continue;
    const prefix = prefixes[litellmProvider] ?? '';
    const prefixed = key.startsWith(prefix);
    const model = prefixed ? key.slice(prefix.length) : key;
    // Regional Azure deployment types (eu/, us/, global/…) are priced per region; we list the base one.
    if (model.includes('/') || skipPattern.test(model)) continue;
    if (provider === 'azure_openai' && !/^(gpt-|o\d)/.test(model)) continue;
    if (typeof v.deprecation_date === 'string' && v.deprecation_date < KEEP_IF_DEPRECATED_AFTER) continue;
    const input = num(v.input_cost_per_token);
    const output = num(v.output_cost_per_token);
    // Free "experimental" entries would always win on cost and have no stable availability.
    if (!input || !output) continue;
    const maxInput = num(v.max_input_tokens) ?? num(v.max_tokens);
    const maxOutput = num(v.max_output_tokens) ?? num(v.max_tokens);
    if (!maxInput || !maxOutput) continue;
    const entry: CatalogEntry = {
      provider,
      model,
      input: perMillionMicros(input) ?? 0,
      output: perMillionMicros(output) ?? 0,
      cacheRead: perMillionMicros(num(v.cache_read_input_token_cost)),
      cacheWrite: perMillionMicros(num(v.cache_creation_input_token_cost)),
      reasoning: perMillionMicros(num(v.output_cost_per_reasoning_token)),
      maxInput,
      maxOutput,
      supports: { json: v.supports_response_schema === true, tools: v.supports_function_calling === true, vision: v.supports_vision === true },
    };
    const ref = `${provider}/${model}`;
    const seen = byRef.get(ref);
    // The provider-prefixed key is LiteLLM's canonical entry when both spellings exist.
    if (!seen || (prefixed && !seen.prefixed)) byRef.set(ref, { entry, prefixed });
  }
  return [...byRef.values()].map((x) => x.entry).sort((a, b) => (a.provider + '/' + a.model).localeCompare(b.provider + '/' + b.model));
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const path = process.argv[2];
  if (!path) throw new Error('usage: build-catalog.ts <model_prices_and_context_window.json>');
  const entries = extractCatalog(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>);
  const out = new URL('./prices.json', import.meta.url);
  writeFileSync(out, '[\n' + entries.map((e) => '  ' + JSON.stringify(e)).join(',\n') + '\n]\n');
  process.stdout.write(`wrote ${entries.length} models to ${out.pathname}\n`);
}
