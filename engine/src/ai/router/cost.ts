// Exact cost in integer micro-dollars. Prices are integer micro-dollars per million tokens, so
// Σ tokens × price is an exact integer (BigInt: no 2^53 worries), divided by 10^6 and rounded UP
// once per call: a call is never reported cheaper than the provider bills it.
import type { CatalogModel } from '../catalog/catalog.ts';
import type { ChatMessage, CompletionRequest, NormalizedUsage } from '../types.ts';

const MILLION = 1_000_000n;

function ceilDiv(n: bigint, d: bigint): number {
  return Number((n + d - 1n) / d);
}

function count(name: string, n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer, got ${n}`);
  return BigInt(n);
}

/** What `usage` costs on `model`: cache tokens at their own rates, reasoning at the reasoning rate or else the output rate. */
export function costMicros(model: CatalogModel, usage: NormalizedUsage): number {
  const p = model.prices;
  const total =
    count('inputTokens', usage.inputTokens) * BigInt(p.input) +
    count('cacheReadTokens', usage.cacheReadTokens) * BigInt(p.cacheRead ?? p.input) +
    count('cacheWriteTokens', usage.cacheWriteTokens) * BigInt(p.cacheWrite ?? p.input) +
    count('outputTokens', usage.outputTokens) * BigInt(p.output) +
    count('reasoningTokens', usage.reasoningTokens) * BigInt(p.reasoning ?? p.output);
  return ceilDiv(total, MILLION);
}

/**
 * Token estimate without a tokenizer: ASCII text runs about 4 characters per token in every
 * provider's BPE, while other scripts (CJK, emoji, accents) are often one token or more per
 * character, so each non-ASCII code point counts as a whole token. Errs high, never low.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4) + other;
}

/** A high-resolution image costs up to ~1,600 tokens at Anthropic and OpenAI's detail tiles. */
export const IMAGE_TOKENS = 1_600;
/** Role markers and separators that every chat format adds per message. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

function messageTokens(m: ChatMessage): number {
  if (typeof m.content === 'string') return estimateTokens(m.content) + MESSAGE_OVERHEAD_TOKENS;
  let n = MESSAGE_OVERHEAD_TOKENS;
  for (const part of m.content) n += part.type === 'text' ? estimateTokens(part.text) : IMAGE_TOKENS;
  return n;
}

/** Estimated prompt tokens of a request: system, messages, images, and a JSON schema if sent. */
export function estimatePromptTokens(req: Pick<CompletionRequest, 'system' | 'messages' | 'json'>): number {
  let n = MESSAGE_OVERHEAD_TOKENS;
  if (req.system) n += estimateTokens(req.system) + MESSAGE_OVERHEAD_TOKENS;
  for (const m of req.messages) n += messageTokens(m);
  if (req.json?.schema) n += estimateTokens(JSON.stringify(req.json.schema));
  return n;
}

/** Expected cost: prompt at the input rate, `maxOutputTokens` at the output rate. Ranks candidates. */
export function expectedCostMicros(model: CatalogModel, promptTokens: number, maxOutputTokens: number): number {
  const p = model.prices;
  return ceilDiv(count('promptTokens', promptTokens) * BigInt(p.input) + count('maxOutputTokens', maxOutputTokens) * BigInt(p.output), MILLION);
}

/**
 * Worst case: every prompt token at the dearest input rate (a cache write can cost more than
 * plain input) and every output token at the dearest output rate (reasoning may be priced
 * higher). This is what the budget reserves before a call.
 */
export function worstCaseCostMicros(model: CatalogModel, promptTokens: number, maxOutputTokens: number): number {
  const p = model.prices;
  const inRate = Math.max(p.input, p.cacheWrite ?? 0, p.cacheRead ?? 0);
  const outRate = Math.max(p.output, p.reasoning ?? 0);
  return ceilDiv(count('promptTokens', promptTokens) * BigInt(inRate) + count('maxOutputTokens', maxOutputTokens) * BigInt(outRate), MILLION);
}
